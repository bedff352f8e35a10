import { codeFrame, formatPos, type Source, type Span } from './source.js';

/**
 * Every compile-time diagnostic has a code; its message and hint are templates in MESSAGES
 * below (as vue's compiler-core keeps ErrorCodes and errorMessages), and its longer
 * explanation is in explanations.ts for `logmetrics explain CODE`. A code's number never
 * changes meaning: add new codes, retire old ones. E0xx are errors, W0xx warnings.
 */
export enum Code {
  // Lexer: characters that make no token.
  UnexpectedChar = 'E001',
  UnterminatedString = 'E002',
  UnterminatedRegex = 'E003',
  BadNumber = 'E004',
  BadDuration = 'E005',
  BadCapref = 'E006',
  // Parser: tokens in the wrong place.
  Expected = 'E010',
  TooDeep = 'E011',
  TooNested = 'E019',
  UnmatchedBrace = 'E012',
  UnexpectedKeyword = 'E013',
  TrailingTokens = 'E014',
  BlockWithoutCondition = 'E015',
  AssignmentAsCondition = 'E016',
  UnclosedBlock = 'E017',
  BadDeclAttribute = 'E018',
  // Names: declarations and uses.
  UnknownName = 'E020',
  UnknownCapref = 'E021',
  UnknownDecorator = 'E022',
  Redeclared = 'E023',
  NextOutsideDecorator = 'E024',
  NextTwice = 'E025',
  NoNextInDecorator = 'E026',
  UnknownCaprefNumber = 'E027',
  DecoratorInItself = 'E028',
  UnusedMetric = 'E060',
  UnusedConst = 'E061',
  UnusedDecorator = 'E062',
  // Types and values.
  TypeMismatch = 'E030',
  Arity = 'E031',
  ConstNotAssignable = 'E032',
  IndexMissing = 'E033',
  NotACondition = 'E034',
  DivideByZero = 'E035',
  BadDelete = 'E036',
  BucketsNotHistogram = 'E037',
  BadStrptimeLayout = 'E038',
  NotAPattern = 'E039',
  BadRegex = 'E040',
  RegexTooLong = 'E041',
  BadLimit = 'E042',
  StrptimeLayoutNotLiteral = 'E043',
  HistogramWithoutBuckets = 'E044',
  BucketsNotIncreasing = 'E045',
  MetricInPattern = 'E046',
  BadPatternPart = 'E047',
  ConstIndexed = 'E048',
  IndexArity = 'E049',
  ComplementNotInt = 'E050',
  LogicNotBool = 'E051',
  BitwiseNotInt = 'E052',
  IncrementNotInt = 'E053',
  AssignMismatch = 'E054',
  PatternArgument = 'E055',
  TolowerNotString = 'E056',
  BadConversion = 'E057',
  IncrementNotMetric = 'E058',
  AssignNotMetric = 'E059',
  PatternStatement = 'E063',
  NoEffect = 'E064',
  DecoratorsTooDeep = 'E065',
  PatternKey = 'E066',
  // Warnings: the program runs, perhaps not as meant.
  ConstStatement = 'W001',
  RenamedForExport = 'W002',
  StrftimeLayout = 'W004',
  EndMark = 'W005',
}

export type Severity = 'error' | 'warning';

/** A message template and an optional hint template; `{name}` is replaced by the argument `name`. */
export interface MessageTemplate {
  message: string;
  hint?: string;
}

/** The one table of messages. */
export const MESSAGES: Record<Code, MessageTemplate> = {
  [Code.UnexpectedChar]: { message: 'unexpected character {char}' },
  [Code.UnterminatedString]: { message: 'unterminated string', hint: 'close the string with `"` on the same line' },
  [Code.UnterminatedRegex]: { message: 'unterminated regular expression', hint: 'close the pattern with `/` {where}' },
  [Code.BadNumber]: { message: 'malformed number {text}' },
  [Code.BadDuration]: { message: 'expected a duration such as 30m or 24h after `after`, found {found}' },
  [Code.BadCapref]: { message: 'expected a capture group name or number after `$`' },

  [Code.Expected]: { message: 'expected {expected}, found {found}' },
  [Code.TooDeep]: {
    message: 'program nested deeper than the maximum of {max}, counted as mtail counts it',
    hint: 'split the expression or the nesting into smaller parts, or raise --max-recursion-depth',
  },
  [Code.TooNested]: {
    message: 'nested more than {max} deep, more than this compiler takes',
    hint: 'this bound protects the compiler and does not change with --max-recursion-depth',
  },
  [Code.UnmatchedBrace]: { message: 'unexpected `}` with no block to close' },
  [Code.UnexpectedKeyword]: { message: 'unexpected keyword `{keyword}`' },
  [Code.TrailingTokens]: { message: 'unexpected {found} after the statement', hint: 'start the next statement on a new line' },
  [Code.BlockWithoutCondition]: {
    message: 'a block needs a condition before it',
    hint: 'write a pattern such as `/regex/ {` or a comparison before the `{`',
  },
  [Code.AssignmentAsCondition]: { message: 'an assignment cannot be a condition', hint: 'use `==` to compare' },
  [Code.UnclosedBlock]: { message: 'this block is never closed', hint: 'add a `}`' },
  [Code.BadDeclAttribute]: {
    message: 'unexpected `{attr}` in a metric declaration',
    hint: 'a declaration takes `by`, `as`, `buckets` and `limit`',
  },

  [Code.UnknownName]: { message: '`{name}` is not declared', hint: 'declare it earlier: `{declaration}`' },
  [Code.UnknownCapref]: {
    message: 'capture group `${name}` is not defined by a pattern visible here',
    hint: 'name a group in the pattern: `(?P<{name}>...)`',
  },
  [Code.UnknownDecorator]: { message: 'decorator `@{name}` is not defined', hint: 'define it earlier: `def {name} { ... next ... }`' },
  [Code.Redeclared]: { message: '`{name}` is already declared at {previous}', hint: 'rename one of them' },
  [Code.NextOutsideDecorator]: {
    message: '`next` can only be used inside a decorator definition',
    hint: 'define one with `def name { ... next ... }`',
  },
  [Code.NextTwice]: { message: '`next` appears twice in decorator `@{name}`' },
  [Code.NoNextInDecorator]: { message: 'decorator `@{name}` has no `next`', hint: 'put `next` where the decorated block should run' },
  [Code.UnknownCaprefNumber]: {
    message: 'capture group `${name}` is not defined by a pattern visible here',
    hint: 'check that the pattern has at least {name} pairs of parentheses',
  },
  [Code.DecoratorInItself]: { message: 'decorator `@{name}` is used inside its own definition' },
  [Code.UnusedMetric]: {
    message: 'metric `{name}` is declared but never used',
    hint: 'mtail refuses such a program too; use it, or remove the declaration',
  },
  [Code.UnusedConst]: {
    message: 'pattern constant `{name}` is defined but never used',
    hint: 'mtail refuses such a program too; use it in a pattern, or remove it',
  },
  [Code.UnusedDecorator]: {
    message: 'decorator `@{name}` is defined but never used',
    hint: 'mtail refuses such a program too; decorate a block with `@{name} { ... }`, or remove it',
  },

  [Code.TypeMismatch]: { message: "can't apply `{op}` to {left} and {right}" },
  [Code.Arity]: { message: '{fn}() takes {want}, but {given}' },
  [Code.ConstNotAssignable]: { message: "`{name}` is a pattern constant and can't be assigned to" },
  [Code.IndexMissing]: { message: '`{name}` has {labels} but no index is given', hint: 'write {example}' },
  [Code.NotACondition]: { message: "can't use {type} as a condition", hint: 'compare it explicitly, for example `x > 0`' },
  [Code.DivideByZero]: { message: "can't divide by zero" },
  [Code.BadDelete]: { message: 'only an element of a metric with labels can be deleted', hint: 'write `del metric[$label]`' },
  [Code.BucketsNotHistogram]: { message: 'only histograms take buckets, and `{name}` is a {kind}' },
  [Code.BadStrptimeLayout]: {
    message: 'invalid time layout "{layout}": {problem}',
    hint: 'layouts are written with Go\'s reference time Mon Jan 2 15:04:05 MST 2006, e.g. "2006-01-02T15:04:05Z07:00"',
  },
  [Code.NotAPattern]: { message: 'the right side of `{op}` must be a pattern or a string, not {type}' },
  [Code.BadRegex]: { message: 'invalid regular expression: {reason}' },
  [Code.RegexTooLong]: {
    message: 'pattern is {bytes} bytes long, more than the maximum of {max}',
    hint: 'long patterns are slow to compile and match; split the work over several patterns, or raise --max-regexp-length',
  },
  [Code.BadLimit]: { message: '`limit` must be a positive number' },
  [Code.StrptimeLayoutNotLiteral]: {
    message: 'the layout of strptime() must be a string literal',
    hint: 'for example "02/Jan/2006:15:04:05 -0700"',
  },
  [Code.HistogramWithoutBuckets]: { message: 'histogram `{name}` needs bucket bounds', hint: 'add `buckets 0.1, 0.5, 1, 5`' },
  [Code.BucketsNotIncreasing]: { message: 'bucket bounds of `{name}` must increase: {bound} follows {previous}' },
  [Code.MetricInPattern]: {
    message: '`{name}` is a {kind}, not a pattern constant',
    hint: 'only `const` patterns can be joined to a pattern',
  },
  [Code.BadPatternPart]: { message: 'only regexes, pattern constants and literals can be joined into a pattern' },
  [Code.ConstIndexed]: { message: "`{name}` is a pattern constant and can't be indexed" },
  [Code.IndexArity]: { message: '{many} keys for `{name}`: it has {labels}, the index gives {given}' },
  [Code.ComplementNotInt]: { message: '`~` needs an Int, got {type}' },
  [Code.LogicNotBool]: { message: '`{op}` needs boolean operands, got {type}' },
  [Code.BitwiseNotInt]: { message: '`{op}` needs Int operands, got {left} and {right}' },
  [Code.IncrementNotInt]: { message: '`{op}` needs an Int metric, and `{name}` holds {type} values' },
  [Code.AssignMismatch]: { message: "can't assign {value} to `{name}`{holds}" },
  [Code.PatternArgument]: { message: "a pattern can't be an argument of {fn}()" },
  [Code.TolowerNotString]: { message: 'tolower() needs a String, got {type}' },
  [Code.BadConversion]: { message: "can't convert {type} with {fn}()" },
  [Code.IncrementNotMetric]: { message: '`{op}` needs a metric on its left' },
  [Code.AssignNotMetric]: { message: "can't assign to this: the left side of `{op}` must be a metric" },
  [Code.PatternKey]: { message: "a pattern can't be a label value of `{name}`", hint: 'use a capture of the pattern: `{name}[$1]`' },
  [Code.PatternStatement]: {
    message: 'a pattern on its own has no effect',
    hint: 'add a `{ ... }` block after it, or join it to the next line with `+`',
  },

  [Code.DecoratorsTooDeep]: {
    message: '`@{name}` expands to decorators nested more than {max} deep',
    hint: 'each decorator here uses another in its body; shorten the chain, or raise --max-recursion-depth',
  },
  [Code.NoEffect]: {
    message: 'this statement has no effect',
    hint: 'a statement assigns (`=`, `+=`), increments (`++`, `--`) or calls a function; a condition needs a `{ ... }` block after it',
  },

  [Code.ConstStatement]: {
    message: 'the pattern constant `{name}` on its own does nothing',
    hint: 'add a `{ ... }` block after it to match it, or remove the line',
  },
  [Code.RenamedForExport]: {
    message: '`{name}` is exported as `{exported}`: `{requested}` is not a valid Prometheus metric name',
    hint: 'write `as "{exported}"` to export it under that name without this warning',
  },
  [Code.StrftimeLayout]: {
    message: 'time layout "{layout}" looks like a strftime format (%Y, %m, ...), but strptime takes Go layouts: lines will fail to parse',
    hint: 'layouts are written with Go\'s reference time Mon Jan 2 15:04:05 MST 2006, e.g. "2006-01-02T15:04:05Z07:00"',
  },
  [Code.EndMark]: {
    message: 'the program ends at this `\u2424` (U+2424): what follows it is not read, as mtail does not read it',
    hint: 'remove the `\u2424` if the lines after it are part of the program',
  },
};

/** Arguments of a message template. */
export type MessageArgs = Record<string, string | number>;

/** Fills `{name}` placeholders; a placeholder without an argument is a programming error. */
export function render(template: string, args: MessageArgs): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = args[name];
    if (v === undefined) throw new Error(`diagnostic template "${template}" needs the argument ${name}`);
    return String(v);
  });
}

/** Every code, in table order. */
export const ALL_CODES: readonly Code[] = Object.values(Code).sort();

/** A diagnostic with its position; formatted as file:line:col, severity[code], message, code frame, hint. */
export class Diagnostic {
  readonly message: string;
  readonly hint: string | undefined;
  readonly severity: Severity;

  constructor(readonly code: Code, readonly span: Span, readonly args: MessageArgs = {}) {
    const t = MESSAGES[code];
    this.message = render(t.message, args);
    this.hint = t.hint === undefined ? undefined : render(t.hint, args);
    this.severity = code.startsWith('W') ? 'warning' : 'error';
  }

  format(src: Source): string {
    let s = `${formatPos(src, this.span)}: ${this.severity}[${this.code}]: ${this.message}\n${codeFrame(src, this.span)}`;
    if (this.hint) s += `\n  hint: ${this.hint}`;
    return s;
  }
}

/** Collects diagnostics of one compilation; nothing is thrown. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  add(code: Code, span: Span, args: MessageArgs = {}): void {
    this.list.push(new Diagnostic(code, { start: span.start, end: span.end }, args));
  }
  get errors(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'error');
  }
  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}
