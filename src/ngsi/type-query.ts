/**
 * Entity type selection (ETSI GS CIM 009 v1.8, clause 4.17), parsed by recursive descent.
 *
 * ```
 * TypeQuery = OrExpr
 * OrExpr    = AndExpr *( ( "|" / "," ) AndExpr )   ; "," is the older spelling of OR
 * AndExpr   = Factor *( ";" Factor )
 * Factor    = "(" OrExpr ")" / TypeName
 * TypeName  = 1*( any character but , | ; ( ) and whitespace )
 * ```
 *
 * Positions in error details are 0-based offsets into the type parameter.
 */

import { badRequest, ok, type Result } from './errors.ts';
import type { TypeNode } from './query-ast.ts';

/** Deeper nesting is refused rather than risking the call stack on hostile input. */
const MAX_DEPTH = 32;
const NAME_END = /[,|;()\s]/;

class TypeSyntaxError {
  constructor(readonly detail: string) {}
}

/**
 * Parses the `type` query parameter (clause 4.17) into a `TypeNode`; names stay as written.
 *
 * @example
 * parseTypeQuery('(Building;Landmark)|Vehicle')
 * // { ok: true, value: { kind: 'or', children: [{ kind: 'and', ... }, { kind: 'type', name: 'Vehicle' }] } }
 */
export function parseTypeQuery(type: string): Result<TypeNode> {
  if (typeof type !== 'string' || type.trim() === '') return badRequest('type: empty expression');
  let pos = 0;
  const fail = (what: string): never => {
    throw new TypeSyntaxError(`type: ${what}`);
  };
  const skipSpace = () => {
    while (pos < type.length && /\s/.test(type[pos])) pos++;
  };
  const orExpr = (depth: number): TypeNode => {
    const children = [andExpr(depth)];
    for (skipSpace(); type[pos] === '|' || type[pos] === ','; skipSpace()) {
      pos++;
      children.push(andExpr(depth));
    }
    return combine('or', children);
  };
  const andExpr = (depth: number): TypeNode => {
    const children = [factor(depth)];
    for (skipSpace(); type[pos] === ';'; skipSpace()) {
      pos++;
      children.push(factor(depth));
    }
    return combine('and', children);
  };
  const factor = (depth: number): TypeNode => {
    skipSpace();
    const start = pos;
    if (type[pos] === '(') {
      if (depth >= MAX_DEPTH) fail(`parentheses nested deeper than ${MAX_DEPTH} at position ${start}`);
      pos++;
      const inner = orExpr(depth + 1);
      skipSpace();
      if (pos >= type.length) fail(`unbalanced parenthesis at position ${start}`);
      if (type[pos] !== ')') fail(`unexpected '${type[pos]}' at position ${pos}`);
      pos++;
      return inner;
    }
    while (pos < type.length && !NAME_END.test(type[pos])) pos++;
    if (pos === start) {
      if (pos >= type.length) fail('expected a type name at end of expression');
      fail(`expected a type name at position ${start}, found '${type[start]}'`);
    }
    return { kind: 'type', name: type.slice(start, pos) };
  };
  try {
    const node = orExpr(0);
    skipSpace();
    if (pos < type.length) {
      if (type[pos] === ')') fail(`unbalanced parenthesis at position ${pos}`);
      fail(`unexpected '${type[pos]}' at position ${pos}`);
    }
    return ok(node);
  } catch (e) {
    if (e instanceof TypeSyntaxError) return badRequest(e.detail);
    throw e;
  }
}

/**
 * Maps every type name to its IRI with `expand` (the request's @context term map).
 *
 * @example
 * expandTypeQuery({ kind: 'type', name: 'Building' }, (t) => `https://ex.org/${t}`)
 * // { kind: 'type', name: 'https://ex.org/Building' }
 */
export function expandTypeQuery(node: TypeNode, expand: (term: string) => string): TypeNode {
  if (node.kind === 'type') return { kind: 'type', name: expand(node.name) };
  return { kind: node.kind, children: node.children.map((c) => expandTypeQuery(c, expand)) };
}

/**
 * True if an entity with the (expanded) `types` is selected by `node` (clause 4.17).
 *
 * @example
 * evaluateTypeQuery(parsed, ['https://ex.org/Building', 'https://ex.org/Landmark']) // true for 'Building;Landmark'
 */
export function evaluateTypeQuery(node: TypeNode, types: readonly string[]): boolean {
  switch (node.kind) {
    case 'type':
      return types.includes(node.name);
    case 'and':
      return node.children.every((c) => evaluateTypeQuery(c, types));
    case 'or':
      return node.children.some((c) => evaluateTypeQuery(c, types));
  }
}

function combine(kind: 'and' | 'or', children: TypeNode[]): TypeNode {
  if (children.length === 1) return children[0];
  const flat: TypeNode[] = [];
  for (const c of children) {
    if (c.kind === kind) flat.push(...c.children);
    else flat.push(c);
  }
  return { kind, children: flat };
}
