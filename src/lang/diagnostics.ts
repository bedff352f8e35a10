import { codeFrame, formatPos, type Source, type Span } from './source.js';

/** Every compile-time diagnostic has a code; messages live in one table below. */
export enum Code {
  UnexpectedChar = 'E001',
  UnterminatedString = 'E002',
  UnterminatedRegex = 'E003',
  BadNumber = 'E004',
  BadDuration = 'E005',
  Syntax = 'E010',
  TooDeep = 'E011',
  UnknownName = 'E020',
  UnknownCapref = 'E021',
  UnknownDecorator = 'E022',
  Redeclared = 'E023',
  NextOutsideDecorator = 'E024',
  NextTwice = 'E025',
  NoNextInDecorator = 'E026',
  TypeMismatch = 'E030',
  Arity = 'E031',
  NotAssignable = 'E032',
  BadIndex = 'E033',
  NotACondition = 'E034',
  DivideByZero = 'E035',
  BadDelete = 'E036',
  BadBuckets = 'E037',
  BadStrptimeLayout = 'E038',
  NotAPattern = 'E039',
  BadRegex = 'E040',
  RegexTooLong = 'E041',
  BadDeclaration = 'E042',
  Unused = 'W001',
  RenamedForExport = 'W002',
}

export type Severity = 'error' | 'warning';

/** A diagnostic with its position; formatted as file:line:col, message, code frame, hint. */
export class Diagnostic {
  constructor(
    readonly code: Code,
    readonly message: string,
    readonly span: Span,
    readonly hint?: string,
    readonly severity: Severity = code.startsWith('W') ? 'warning' : 'error',
  ) {}

  format(src: Source): string {
    let s = `${formatPos(src, this.span)}: ${this.severity}: ${this.message}\n${codeFrame(src, this.span)}`;
    if (this.hint) s += `\n  hint: ${this.hint}`;
    return s;
  }
}

/** Collects diagnostics of one compilation; nothing is thrown. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  add(code: Code, message: string, span: Span, hint?: string): void {
    this.list.push(new Diagnostic(code, message, span, hint));
  }
  get errors(): Diagnostic[] {
    return this.list.filter((d) => d.severity === 'error');
  }
  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}
