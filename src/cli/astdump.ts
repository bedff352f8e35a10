import type * as A from '../lang/ast.js';
import { type Type, typeName } from '../lang/types.js';

/** The typed AST as JSON: types by name, back-references (declarations, patterns) by name or index. */
export function astToJson(program: A.Program): string {
  return JSON.stringify(
    program,
    function (key, value: unknown) {
      if (key === 'type' && value && typeof value === 'object') return typeName(value as Type);
      if (key === 'valueType') return typeName(value as Type);
      if (key === 'keyTypes') return (value as Type[]).map(typeName);
      if (key === 'decl' && value && typeof value === 'object') return `${(value as { kind: string }).kind} ${(value as { name: string }).name}`;
      if (key === 'pattern' && value && typeof value === 'object' && (value as A.PatternExpr).kind === 'pattern') return `pattern #${(value as A.PatternExpr).index}`;
      return value;
    },
    2,
  );
}
