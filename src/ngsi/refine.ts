/**
 * The exact, in-memory half of filter-refine: an engine prefilters candidates with its indexes,
 * then every candidate passes through here, so both engines answer a query identically.
 */
import type { Attribute, Entity } from './entity.ts';
import { fail, ok, type Result } from './errors.ts';
import { evaluateGeoQuery } from './geo-predicates.ts';
import { evaluateQ } from './q-evaluate.ts';
import type { GeoJsonGeometry, GeoQuery, OrderKey, QNode, TypeNode } from './query-ast.ts';
import { evaluateTypeQuery } from './type-query.ts';

export interface EntityQueryRefinement {
  type?: TypeNode;
  q?: QNode;
  geoQ?: GeoQuery;
  idPattern?: RegExp;
  /** alternatives of conjunctions of scope patterns (parseScopeQ) */
  scopeQ?: string[][];
}

/**
 * scopeQ (clause 4.19): `/a/b`, `/a/+` (one level), `/a/#` (any depth below, and /a itself),
 * `/#` (any scope); `,` or `|` separate alternatives, `;` joins conditions.
 *
 * @example
 * parseScopeQ('/Madrid/#;/Spain'); // ok([['/Madrid/#', '/Spain']])
 */
export function parseScopeQ(text: string): Result<string[][]> {
  const alternatives = text.split(/[,|]/).map((alt) => alt.split(';').map((t) => t.trim()));
  for (const alt of alternatives) {
    for (const term of alt) {
      if (!/^\/(#|[^/#+\s]+|\+)(\/([^/#+\s]+|\+))*(\/#)?$/.test(term) && term !== '/#') {
        return fail('BadRequestData', `scopeQ: '${term}' is not a scope pattern`);
      }
    }
  }
  return ok(alternatives);
}

function scopeMatches(scope: string, pattern: string): boolean {
  if (pattern === '/#') return true;
  const s = scope.split('/').slice(1);
  const p = pattern.split('/').slice(1);
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '#') return true;
    if (i >= s.length) return false;
    if (p[i] !== '+' && p[i] !== s[i]) return false;
  }
  return s.length === p.length;
}

function inScope(entity: Entity, scopeQ: string[][]): boolean {
  const own = entity.scope ?? [];
  return scopeQ.some((conj) => conj.every((pattern) => own.some((s) => scopeMatches(s, pattern))));
}

/** Compares entities by orderBy keys; missing values sort last (clause 4.?, v1.8 orderBy). */
export function compareByOrder(a: Entity, b: Entity, keys: OrderKey[]): number {
  for (const k of keys) {
    const va = orderValue(a, k);
    const vb = orderValue(b, k);
    let c = 0;
    if (va === undefined && vb !== undefined) c = 1;
    else if (va !== undefined && vb === undefined) c = -1;
    else if (va !== undefined && vb !== undefined) {
      if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
      else c = String(va) < String(vb) ? -1 : String(va) > String(vb) ? 1 : 0;
      if (k.descending) c = -c;
    }
    if (c !== 0) return c;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function orderValue(e: Entity, k: OrderKey): unknown {
  if (k.member === 'id') return e.id;
  if (k.member === 'type') return e.type[0];
  if (k.member) return e[k.member];
  let attr: Attribute | undefined = e.attrs[k.attr ?? '']?.[0];
  for (let i = 0; i < k.path.length && attr; i++) {
    const step = k.path[i];
    if (
      i === k.path.length - 1 &&
      (step === 'createdAt' ||
        step === 'modifiedAt' ||
        step === 'observedAt' ||
        step === 'unitCode' ||
        step === 'datasetId')
    ) {
      return attr[step];
    }
    attr = attr.sub?.[step]?.[0];
  }
  if (!attr) return undefined;
  const v = attr.type === 'Relationship' ? attr.object : attr.value;
  return typeof v === 'object' ? JSON.stringify(v) : v;
}

/** True when the entity matches every given part of the query. */
export function refineEntity(entity: Entity, r: EntityQueryRefinement): boolean {
  if (r.idPattern && !r.idPattern.test(entity.id)) return false;
  if (r.type && !evaluateTypeQuery(r.type, entity.type)) return false;
  if (r.scopeQ && !inScope(entity, r.scopeQ)) return false;
  if (r.geoQ) {
    const instances = entity.attrs[r.geoQ.geoproperty] ?? [];
    const query = r.geoQ;
    if (
      !instances.some((i) => i.type === 'GeoProperty' && evaluateGeoQuery(query, i.value as GeoJsonGeometry))
    )
      return false;
  }
  if (r.q && !evaluateQ(r.q, entity)) return false;
  return true;
}
