/**
 * mtail's value types and its unification, made explicit: the checker gives
 * every expression a Type and inserts conversions; code generation reads them.
 */
export type Concrete = 'int' | 'float' | 'string' | 'bool' | 'pattern' | 'none' | 'undef';

export interface TypeVar {
  readonly kind: 'var';
  readonly id: number;
  instance?: Type;
}

export type Type = { readonly kind: Concrete } | TypeVar | { readonly kind: 'error' };

const concrete = (kind: Concrete): Type => Object.freeze({ kind });
export const Int = concrete('int');
export const Float = concrete('float');
export const Str = concrete('string');
export const Bool = concrete('bool');
export const Pattern = concrete('pattern');
export const None = concrete('none');
export const Undef = concrete('undef');
export const ErrorType: Type = Object.freeze({ kind: 'error' });

let nextVar = 0;
export function newVar(): TypeVar {
  return { kind: 'var', id: nextVar++ };
}

/** The representative of a type after unification. */
export function root(t: Type): Type {
  while (t.kind === 'var' && (t as TypeVar).instance) t = (t as TypeVar).instance!;
  return t;
}

export function isError(t: Type): boolean {
  return root(t).kind === 'error';
}

export function same(a: Type, b: Type): boolean {
  const ra = root(a);
  const rb = root(b);
  return ra === rb || (ra.kind !== 'var' && ra.kind === rb.kind);
}

/** mtail's LeastUpperBound: the smallest type holding both, or undefined when none does. */
export function lub(a: Type, b: Type): Type | undefined {
  const x = root(a);
  const y = root(b);
  if (same(x, y)) return x;
  if (x.kind === 'var') return y;
  if (y.kind === 'var') return x;
  if (x.kind === 'undef') return y;
  if (y.kind === 'undef') return x;
  const pair = (p: Concrete, q: Concrete) => (x.kind === p && y.kind === q) || (x.kind === q && y.kind === p);
  if (pair('float', 'int')) return Float;
  if (pair('string', 'int') || pair('string', 'float')) return Str;
  if (pair('pattern', 'bool')) return Bool;
  if (pair('bool', 'int')) return Int;
  if (pair('string', 'pattern')) return Pattern;
  if (pair('pattern', 'int')) return Bool;
  return undefined;
}

/**
 * Binds type variables as mtail's Unify does: a variable takes the other side;
 * two different concrete types are accepted when they have an upper bound
 * (mtail does not rebind them), and rejected otherwise.
 */
export function unify(a: Type, b: Type): boolean {
  const x = root(a);
  const y = root(b);
  if (x === y) return true;
  if (x.kind === 'var') {
    (x as TypeVar).instance = y;
    return true;
  }
  if (y.kind === 'var') {
    (y as TypeVar).instance = x;
    return true;
  }
  if (x.kind === 'error' || y.kind === 'error') return false;
  return x.kind === y.kind || lub(x, y) !== undefined;
}

/** The concrete kind of a resolved type; unresolved variables default to int, as in mtail. */
export function kindOf(t: Type): Concrete | 'error' {
  const r = root(t);
  return r.kind === 'var' ? 'int' : (r.kind as Concrete | 'error');
}

export function typeName(t: Type): string {
  const r = root(t);
  switch (r.kind) {
    case 'var': return 'an unknown type';
    case 'int': return 'Int';
    case 'float': return 'Float';
    case 'string': return 'String';
    case 'bool': return 'Bool';
    case 'pattern': return 'Pattern';
    case 'none': return 'None';
    case 'undef': return 'Undef';
    default: return 'Error';
  }
}
