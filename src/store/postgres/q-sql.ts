/**
 * q AST -> a PostgreSQL prefilter over the JSONB entity document. As on SQLite the prefilter
 * only has to be a superset of the matches, because every candidate is refined by `evaluateQ` in
 * memory: a term SQL cannot decide exactly (sub-attributes, compound paths, lists, regexes) keeps
 * only its existence test. Existence is `doc->'attrs' ? name`, which the GIN index on the
 * attributes answers; scalar comparisons on the first instance's value or object are exact when
 * the attribute has one instance and a scalar value, and let everything else through.
 */
import type { QNode } from '../../ngsi/index.ts';
import { INDEXED_STRING_CHARS } from '../attr-values.ts';

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

type Compare = Extract<QNode, { kind: 'compare' }>;

/** Ranks of candidate sources: the more selective kind of term drives the query. */
const RANK_EQUAL = 3;
const RANK_RANGE = 2;
const RANK_BOUND = 1;

function isPlainCompare(t: QNode): t is Compare {
  return t.kind === 'compare' && t.path.sub.length === 0 && t.path.compound.length === 0;
}

function isBound(t: Compare): boolean {
  return t.value.kind === 'number' && (t.op === '>' || t.op === '>=' || t.op === '<' || t.op === '<=');
}

/**
 * The most selective q term the `attr_value` index can answer, as a subquery of candidate entity
 * ids (tenant `$1`): equality before ranges before one-sided bounds, and only terms every match
 * must satisfy (the root, or a member of a top-level AND). Two bounds on one attribute
 * (`no2>10;no2<10.6`) make a range. Undefined when no term qualifies.
 */
export function qIndexCandidates(node: QNode, p: SqlParams): string | undefined {
  const terms = (node.kind === 'and' ? node.children : [node]).filter(isPlainCompare);
  let best: Compare | undefined;
  let bestRank = 0;
  for (const t of terms) {
    const v = t.value;
    let rank = 0;
    if (t.op === '==') {
      if (v.kind === 'string' || v.kind === 'uri' || v.kind === 'number') rank = RANK_EQUAL;
      else if (v.kind === 'list' && v.values.length > 0) {
        const kinds = new Set(v.values.map((x) => (x.kind === 'uri' ? 'string' : x.kind)));
        if (kinds.size === 1 && (kinds.has('string') || kinds.has('number'))) rank = RANK_EQUAL;
      } else if (v.kind === 'range' && v.from.kind === 'number' && v.to.kind === 'number') rank = RANK_RANGE;
    } else if (isBound(t)) rank = RANK_BOUND;
    if (rank > bestRank) {
      best = t;
      bestRank = rank;
    }
  }
  if (!best) return undefined;
  const base = (attr: string) =>
    `SELECT DISTINCT entity_id FROM attr_value WHERE tenant = $1 AND attr = ${p.add(attr)}`;
  if (bestRank === RANK_BOUND) {
    const bounds = terms.filter(isBound);
    for (const lo of bounds) {
      if (lo.op[0] !== '>') continue;
      const hi = bounds.find((b) => b.op[0] === '<' && b.path.attr === lo.path.attr);
      if (!hi) continue;
      const sql = base(lo.path.attr);
      const l = p.add((lo.value as { value: number }).value);
      const h = p.add((hi.value as { value: number }).value);
      return `${sql} AND num ${lo.op} ${l}::float8 AND num ${hi.op} ${h}::float8`;
    }
  }
  const sql = base(best.path.attr);
  const v = best.value;
  switch (v.kind) {
    case 'number':
      return `${sql} AND num ${SQL_OPS[best.op]} ${p.add(v.value)}::float8`;
    case 'string':
    case 'uri':
      return `${sql} AND str = left(${p.add(v.value)}::text, ${INDEXED_STRING_CHARS})`;
    case 'range':
      return `${sql} AND num BETWEEN ${p.add((v.from as { value: number }).value)}::float8 AND ${p.add((v.to as { value: number }).value)}::float8`;
    case 'list': {
      const values = v.values.map((x) => (x as { value: string | number }).value);
      if (typeof values[0] === 'number') return `${sql} AND num = ANY(${p.add(values)}::float8[])`;
      return `${sql} AND str IN (SELECT left(s, ${INDEXED_STRING_CHARS}) FROM unnest(${p.add(values)}::text[]) AS s)`;
    }
    default:
      return undefined;
  }
}
