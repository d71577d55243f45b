/**
 * q AST -> an SQLite prefilter over the JSONB entity document. The prefilter only has to be a
 * superset of the matches: every candidate is refined by `evaluateQ` in memory, so a term the
 * SQL cannot express exactly (sub-attributes, compound paths, multi-attributes, lists) simply
 * lets its candidates through. The common terms — a scalar comparison on an attribute's value
 * or a relationship's object — are filtered exactly, which is what makes type+q fast.
 */
import type { QNode, QScalar } from '../../ngsi/index.ts';

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
    if (value.kind === 'range' && node.op === '==' && value.from.kind === 'number' && value.to.kind === 'number') {
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
