/**
 * q AST -> a PostgreSQL prefilter over the JSONB entity document. As on SQLite the prefilter
 * only has to be a superset of the matches, because every candidate is refined by `evaluateQ` in
 * memory: a term SQL cannot decide exactly (sub-attributes, compound paths, lists, regexes) keeps
 * only its existence test. Existence is `doc->'attrs' ? name`, which the GIN index on the
 * attributes answers; scalar comparisons on the first instance's value or object are exact when
 * the attribute has one instance and a scalar value, and let everything else through.
 */
import type { QNode } from '../../ngsi/index.ts';

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** Builds SQL with positional parameters continuing after those already bound. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(initial: unknown[] = []) {
    this.values.push(...initial);
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const SQL_OPS: Record<string, string> = { '==': '=', '!=': '<>', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

function compareSql(node: Extract<QNode, { kind: 'compare' }>, attrs: string, p: SqlParams): string {
  const name = p.add(node.path.attr);
  const exists = `(${attrs} ? ${name})`;
  if (node.path.sub.length > 0 || node.path.compound.length > 0) return exists;
  const value = node.value;
  const op = SQL_OPS[node.op];
  if (op === undefined) return exists;
  const instances = `(${attrs} -> ${name})`;
  const first = `(${instances} -> 0)`;
  const several = `jsonb_array_length(${instances}) > 1`;
  if (value.kind === 'number') {
    const v = `(${first} -> 'value')`;
    const n = p.add(value.value);
    return `(${exists} AND (${several} OR jsonb_typeof(${v}) IS DISTINCT FROM 'number' OR (CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::double precision ${op} ${n}::double precision END)))`;
  }
  if (
    value.kind === 'range' &&
    node.op === '==' &&
    value.from.kind === 'number' &&
    value.to.kind === 'number'
  ) {
    const v = `(${first} -> 'value')`;
    const lo = p.add(value.from.value);
    const hi = p.add(value.to.value);
    return `(${exists} AND (${several} OR jsonb_typeof(${v}) IS DISTINCT FROM 'number' OR (CASE WHEN jsonb_typeof(${v}) = 'number' THEN (${v})::double precision BETWEEN ${lo}::double precision AND ${hi}::double precision END)))`;
  }
  if ((value.kind === 'string' || value.kind === 'uri') && (node.op === '==' || node.op === '!=')) {
    const v = `coalesce(${first} -> 'value', ${first} -> 'object')`;
    const s = p.add(value.value);
    return `(${exists} AND (${several} OR jsonb_typeof(${v}) IS DISTINCT FROM 'string' OR (${v} #>> '{}') ${op} ${s}::text))`;
  }
  return exists;
}

/**
 * Translates q to a superset prefilter on `attrs`, the JSONB expression of an entity's attributes
 * object; undefined when nothing is filtered.
 */
export function qToSql(node: QNode, attrs: string, p: SqlParams): string | undefined {
  switch (node.kind) {
    case 'exists':
      return `(${attrs} ? ${p.add(node.path.attr)})`;
    case 'compare':
      return compareSql(node, attrs, p);
    case 'and': {
      const parts = node.children.map((c) => qToSql(c, attrs, p)).filter((s): s is string => s !== undefined);
      return parts.length === 0 ? undefined : `(${parts.join(' AND ')})`;
    }
    case 'or': {
      const bound = p.values.length;
      const parts = node.children.map((c) => qToSql(c, attrs, p));
      if (parts.some((s) => s === undefined)) {
        // the parameters of the other branches are no longer referenced
        p.values.length = bound;
        return undefined;
      }
      return `(${parts.join(' OR ')})`;
    }
  }
}
