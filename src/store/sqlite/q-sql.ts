/**
 * q AST -> an SQLite prefilter over the JSON entity document. The prefilter only has to be a
 * superset of the matches: every candidate is refined by `evaluateQ` in memory, so a term the
 * SQL cannot express exactly (sub-attributes, compound paths, multi-attributes, lists) simply
 * lets its candidates through. The common terms — a scalar comparison on an attribute's value
 * or a relationship's object — are filtered exactly, which is what makes type+q fast.
 */
import type { QNode, QScalar } from '../../ngsi/index.ts';
import { INDEXED_STRING_CHARS } from '../attr-values.ts';

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const TRUE: SqlFragment = { sql: '1', params: [] };

function jsonPath(iri: string): string {
  return `$.attrs."${iri.replaceAll('"', '\\"')}"`;
}

function scalarParam(v: QScalar): unknown {
  switch (v.kind) {
    case 'number':
      return v.value;
    case 'boolean':
      return v.value ? 1 : 0;
    case 'null':
      return null;
    default:
      return v.value;
  }
}

const SQL_OPS: Record<string, string> = { '==': '=', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

function compareSql(node: Extract<QNode, { kind: 'compare' }>, doc: string): SqlFragment {
  const p = jsonPath(node.path.attr);
  const exists: SqlFragment = { sql: `json_type(${doc}, ?) IS NOT NULL`, params: [p] };
  if (node.path.sub.length > 0 || node.path.compound.length > 0) return exists;
  const value = node.value;
  const op = SQL_OPS[node.op];
  if (op === undefined) return exists;
  // the values this prefilter can decide exactly; anything else is refined in memory
  const isNumber = value.kind === 'number';
  const isString = value.kind === 'string' || value.kind === 'uri';
  if (!isNumber && !(isString && (node.op === '==' || node.op === '!='))) {
    if (
      value.kind === 'range' &&
      node.op === '==' &&
      value.from.kind === 'number' &&
      value.to.kind === 'number'
    ) {
      const v = `json_extract(${doc}, ?)`;
      return {
        sql: `(${v} BETWEEN ? AND ? OR json_array_length(${doc}, ?) > 1 OR coalesce(json_type(${doc}, ?), 'x') NOT IN ('integer','real'))`,
        params: [`${p}[0].value`, value.from.value, value.to.value, p, `${p}[0].value`],
      };
    }
    return exists;
  }
  const param = scalarParam(value as QScalar);
  if (isNumber) {
    return {
      sql: `(json_extract(${doc}, ?) ${op} ? OR json_array_length(${doc}, ?) > 1 OR coalesce(json_type(${doc}, ?), 'x') NOT IN ('integer','real'))`,
      params: [`${p}[0].value`, param, p, `${p}[0].value`],
    };
  }
  return {
    sql: `(coalesce(json_extract(${doc}, ?), json_extract(${doc}, ?)) ${op} ? OR json_array_length(${doc}, ?) > 1 OR coalesce(json_type(${doc}, ?), json_type(${doc}, ?), 'x') NOT IN ('text','integer','real','true','false'))`,
    params: [`${p}[0].value`, `${p}[0].object`, param, p, `${p}[0].value`, `${p}[0].object`],
  };
}

/** Translates q to a superset prefilter on the column or expression `doc`. */
export function qToSql(node: QNode, doc: string): SqlFragment {
  switch (node.kind) {
    case 'exists':
      return { sql: `json_type(${doc}, ?) IS NOT NULL`, params: [jsonPath(node.path.attr)] };
    case 'compare':
      return compareSql(node, doc);
    case 'and': {
      const parts = node.children.map((c) => qToSql(c, doc)).filter((f) => f !== TRUE && f.sql !== '1');
      if (parts.length === 0) return TRUE;
      return { sql: `(${parts.map((f) => f.sql).join(' AND ')})`, params: parts.flatMap((f) => f.params) };
    }
    case 'or': {
      const parts = node.children.map((c) => qToSql(c, doc));
      if (parts.some((f) => f.sql === '1')) return TRUE;
      return { sql: `(${parts.map((f) => f.sql).join(' OR ')})`, params: parts.flatMap((f) => f.params) };
    }
  }
}

/**
 * The most selective q term an index can answer, as a candidate subquery on `attr_value`:
 * equality before ranges, and only terms every match must satisfy (the root, or a member of a
 * top-level AND). `nameId` gives an attribute name's interned id in the tenant (-1 when no entity
 * has that attribute).
 */
export function qIndexCandidates(node: QNode, nameId: (attr: string) => number): SqlFragment | undefined {
  const terms = node.kind === 'and' ? node.children : [node];
  let best: SqlFragment | undefined;
  let bestRank = 0;
  for (const t of terms) {
    if (t.kind !== 'compare' || t.path.sub.length > 0 || t.path.compound.length > 0) continue;
    const v = t.value;
    const base = 'SELECT pk FROM attr_value WHERE nid = ? AND';
    let frag: SqlFragment | undefined;
    let rank = 0;
    if (t.op === '==' && (v.kind === 'string' || v.kind === 'uri')) {
      frag = {
        sql: `${base} str = ?`,
        params: [nameId(t.path.attr), v.value.slice(0, INDEXED_STRING_CHARS)],
      };
      rank = 3;
    } else if (t.op === '==' && v.kind === 'number') {
      frag = { sql: `${base} num = ?`, params: [nameId(t.path.attr), v.value] };
      rank = 3;
    } else if (
      t.op === '==' &&
      v.kind === 'list' &&
      v.values.every((x) => x.kind === 'string' || x.kind === 'uri')
    ) {
      const vals = v.values.map((x) => (x as { value: string }).value.slice(0, INDEXED_STRING_CHARS));
      frag = {
        sql: `${base} str IN (${vals.map(() => '?').join(',')})`,
        params: [nameId(t.path.attr), ...vals],
      };
      rank = 3;
    } else if (t.op === '==' && v.kind === 'range' && v.from.kind === 'number' && v.to.kind === 'number') {
      frag = { sql: `${base} num BETWEEN ? AND ?`, params: [nameId(t.path.attr), v.from.value, v.to.value] };
      rank = 2;
    } else if (v.kind === 'number' && (t.op === '>' || t.op === '>=' || t.op === '<' || t.op === '<=')) {
      frag = { sql: `${base} num ${t.op} ?`, params: [nameId(t.path.attr), v.value] };
      rank = 1;
    }
    if (frag && rank > bestRank) {
      best = frag;
      bestRank = rank;
    }
  }
  // two one-sided bounds on the same attribute make a range: `a>10;a<11`
  if (bestRank === 1 && node.kind === 'and') {
    const bounds = node.children.filter(
      (c): c is Extract<QNode, { kind: 'compare' }> =>
        c.kind === 'compare' &&
        c.path.sub.length === 0 &&
        c.path.compound.length === 0 &&
        c.value.kind === 'number' &&
        ['>', '>=', '<', '<='].includes(c.op),
    );
    for (const lo of bounds) {
      const hi = bounds.find(
        (b) => b !== lo && b.path.attr === lo.path.attr && (b.op[0] === '<') !== (lo.op[0] === '<'),
      );
      if (!hi) continue;
      const [l, h] = lo.op[0] === '>' ? [lo, hi] : [hi, lo];
      return {
        sql: `SELECT pk FROM attr_value WHERE nid = ? AND num ${l.op} ? AND num ${h.op} ?`,
        params: [
          nameId(l.path.attr),
          (l.value as { value: number }).value,
          (h.value as { value: number }).value,
        ],
      };
    }
  }
  return best;
}
