import type * as A from './ast.js';
import type { Span } from './source.js';

/**
 * mtail's -max_recursion_depth, counted as mtail counts it. mtail's checker adds one level
 * for every node of its syntax tree on the way down, after its optimiser has folded
 * constant arithmetic (`1 + 1 + ... + 1` is one literal). Its tree has nodes ours does not:
 * a block is a statement list inside the conditional (so each block counts twice), a name
 * is an index expression holding the name (two levels), a call's arguments are a list, a
 * pattern condition is a match holding the pattern holding the regex; parentheses are no
 * node at all. This walk counts those levels on our tree, so the same programs pass.
 *
 * Returns the first node (in mtail's order: parent before children, left to right) that
 * lies deeper than `max`, or deeper than `rawMax` in our own tree, or undefined. It uses its own stack, not recursion: it runs
 * before anything that recurses on the tree, which is why a deeper tree is safe to check.
 */
export function tooDeep(program: A.Program, max: number, rawMax: number): { span: Span; raw: boolean } | undefined {
  // Nodes still to visit with mtail's depth and our tree's depth, in three stacks; children
  // are pushed in reverse so they pop in source order. Inside folded arithmetic mtail counts
  // nothing (depth 0), but our checker still recurses on it, so our own depth is bounded too
  // (by rawMax).
  const nodes: Node[] = [{ list: program.body, span: program }];
  const depths: number[] = [1];
  const raws: number[] = [1];
  const children = new Children();
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    const raw = raws.pop()!;
    const span = 'list' in node ? node.span : node;
    if (depth > max) return { span, raw: false };
    if (raw > rawMax) return { span, raw: true };
    children.count = 0;
    childrenOf(node, depth, children);
    for (let i = children.count - 1; i >= 0; i--) {
      nodes.push(children.nodes[i]!);
      depths.push(children.depths[i]!);
      raws.push(raw + 1);
    }
  }
  return undefined;
}

/** A statement list (mtail's StmtList or ExprList): a level of its own. */
interface List {
  list: readonly (A.Stmt | A.Expr)[];
  span: Span;
}
type Node = A.Stmt | A.Expr | List;

/** The children of one node with their depths: nodes[0, count) and depths[0, count), reused from node to node. */
class Children {
  readonly nodes: Node[] = [];
  readonly depths: number[] = [];
  count = 0;

  add(n: Node, d: number): void {
    this.nodes[this.count] = n;
    this.depths[this.count] = d;
    this.count++;
  }
}

function childrenOf(n: Node, d: number, out: Children): void {
  if ('list' in n) {
    for (const x of n.list) out.add(x, d + 1);
    return;
  }
  switch (n.kind) {
    case 'block': out.add({ list: n.body, span: n }, d); return;
    case 'cond':
      // CondStmt → its condition, then each block as a StmtList one level down.
      if (n.cond !== null) out.add(asCondition(n.cond), d + 1);
      out.add({ list: n.then.body, span: n.then }, d + 1);
      if (n.else !== null) out.add({ list: n.else.body, span: n.else }, d + 1);
      return;
    case 'def':
    case 'deco':
      out.add({ list: n.body.body, span: n.body }, d + 1);
      return;
    case 'const': out.add(n.value.kind === 'pattern' ? n.value : { kind: 'pattern', parts: [n.value], start: n.value.start, end: n.value.end }, d + 1); return;
    case 'del': out.add(n.target, d + 1); return;
    case 'decl':
    case 'next':
    case 'stop':
      return;
    case 'exprstmt': out.add(n.expr, d); return;
    default: exprChildren(n, d, out);
  }
}

/** A pattern alone as a condition is a match of it in mtail's tree: one more level. */
function asCondition(e: A.Expr): A.Expr {
  if (e.kind === 'pattern') return { kind: 'unary', op: 'match', expr: e, start: e.start, end: e.end };
  if (e.kind === 'binary' && (e.op === '&&' || e.op === '||') && e.lhs.kind === 'pattern') {
    return { ...e, lhs: asCondition(e.lhs) };
  }
  return e;
}

function exprChildren(e: A.Expr, d: number, out: Children): void {
  switch (e.kind) {
    case 'int':
    case 'float':
    case 'string':
    case 'capref':
    case 'regex':
      return;
    case 'ident':
      // IndexedExpr → (empty ExprList, IDTerm).
      out.add({ list: [], span: e }, d + 1);
      return;
    case 'index':
      out.add({ list: e.keys, span: e }, d + 1);
      return;
    case 'call':
      if (e.args.length > 0) out.add({ list: e.args, span: e }, d + 1);
      return;
    case 'pattern': {
      // PatternExpr → a left-leaning chain of `+` over the parts: n parts sit n levels down
      // at the deepest; a const name inside a pattern is a bare IDTerm, a leaf.
      const n = e.parts.length;
      for (let i = 0; i < n; i++) {
        const part = e.parts[i];
        const leaf: A.Expr = part.kind === 'ident' ? { kind: 'regex', source: '', start: part.start, end: part.end } : part;
        out.add(leaf, d + (i === 0 ? n : n - i + 1));
      }
      return;
    }
    case 'unary':
    case 'postfix':
    case 'conv':
      out.add(e.expr, d + 1);
      return;
    case 'binary':
      // Folded into one literal by mtail: no levels of mtail's, but still ours to walk.
      if (d === 0 || folds(e)) {
        out.add(e.lhs, 0);
        out.add(e.rhs, 0);
      } else {
        out.add(e.lhs, d + 1);
        out.add(e.rhs, d + 1);
      }
      return;
  }
}

const FOLDED = new Set(['+', '-', '*', '/', '%', '**']);
const foldCache = new WeakMap<A.Expr, boolean>();

/** mtail's optimiser replaces arithmetic on number literals by its result before checking. */
function folds(e: A.Expr): boolean {
  // `1 + 1 + ... + 1` leans left and may be long: walk its left spine without recursion,
  // then decide from the bottom up, remembering each answer so the walk stays linear.
  const spine: A.BinaryExpr[] = [];
  let x = e;
  while (x.kind === 'binary' && !foldCache.has(x)) {
    spine.push(x);
    x = x.lhs;
  }
  let ok = x.kind === 'binary' ? foldCache.get(x)! : x.kind === 'int' || x.kind === 'float';
  for (let i = spine.length - 1; i >= 0; i--) {
    const b = spine[i];
    ok = ok && FOLDED.has(b.op) && foldsRight(b.rhs);
    foldCache.set(b, ok);
  }
  return ok;
}

function foldsRight(e: A.Expr): boolean {
  if (e.kind === 'int' || e.kind === 'float') return true;
  // A parenthesised right operand: as deep as the parser's nesting limit allows, no deeper.
  return e.kind === 'binary' && folds(e);
}
