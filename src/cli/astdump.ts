import type * as A from '../lang/ast.js';
import { type Type, typeName } from '../lang/types.js';

/** The typed AST as JSON: types by name, back-references (declarations, patterns) by name or index. */
export function astToJson(program: A.Program): string {
  const json = JSON.stringify(
    program,
    function (key, value: unknown) {
      // An int literal beyond 2^53 is a bigint, which JSON.stringify refuses: marked here, written as its digits below.
      if (typeof value === 'bigint') return `${BIG}${value}`;
      if (key === 'type' && value && typeof value === 'object') return typeName(value as Type);
      if (key === 'valueType') return typeName(value as Type);
      if (key === 'keyTypes') return (value as Type[]).map(typeName);
      if (key === 'decl' && value && typeof value === 'object') return `${(value as { kind: string }).kind} ${(value as { name: string }).name}`;
      if (key === 'pattern' && value && typeof value === 'object' && (value as A.PatternExpr).kind === 'pattern') return `pattern #${(value as A.PatternExpr).index}`;
      return value;
    },
    2,
  );
  return json.replace(BIG_MARK, '$1');
}

const BIG = '\u0000int64:';
const BIG_MARK = /"\\u0000int64:(-?\d+)"/g;
