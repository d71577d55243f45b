/**
 * The exact, in-memory half of filter-refine: an engine prefilters candidates with its indexes,
 * then every candidate passes through here, so both engines answer a query identically.
 */
import type { Entity } from './entity.ts';
import { evaluateGeoQuery } from './geo-predicates.ts';
import { evaluateQ } from './q-evaluate.ts';
import type { GeoJsonGeometry, GeoQuery, QNode, TypeNode } from './query-ast.ts';
import { evaluateTypeQuery } from './type-query.ts';

export interface EntityQueryRefinement {
  type?: TypeNode;
  q?: QNode;
  geoQ?: GeoQuery;
  idPattern?: RegExp;
  scopes?: string[];
}

function inScope(entity: Entity, scopes: string[]): boolean {
  const own = entity.scope ?? [];
  return scopes.some((s) => own.some((o) => o === s || o.startsWith(s.endsWith('/') ? s : `${s}/`)));
}

/** True when the entity matches every given part of the query. */
export function refineEntity(entity: Entity, r: EntityQueryRefinement): boolean {
  if (r.idPattern && !r.idPattern.test(entity.id)) return false;
  if (r.type && !evaluateTypeQuery(r.type, entity.type)) return false;
  if (r.scopes && !inScope(entity, r.scopes)) return false;
  if (r.geoQ) {
    const instances = entity.attrs[r.geoQ.geoproperty] ?? [];
    const query = r.geoQ;
    if (!instances.some((i) => i.type === 'GeoProperty' && evaluateGeoQuery(query, i.value as GeoJsonGeometry))) return false;
  }
  if (r.q && !evaluateQ(r.q, entity)) return false;
  return true;
}
