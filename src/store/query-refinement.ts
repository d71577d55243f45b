/**
 * What both engines decide alike before planning a query: which types the type index can match
 * exactly, and what is left for the in-memory refinement (ngsi/refine.ts) to check on each
 * candidate document.
 */
import type { EntityQueryRefinement, TypeNode } from '../ngsi/index.ts';
import type { EntityQuery } from './store.ts';

export interface TypeFilter {
  /** the type names an index can match, or undefined when there is no type or it needs refining */
  exact: string[] | undefined;
  needsRefine: boolean;
}

export function typesOf(node: TypeNode | undefined): TypeFilter {
  if (!node) return { exact: undefined, needsRefine: false };
  if (node.kind === 'type') return { exact: [node.name], needsRefine: false };
  if (node.kind === 'or' && node.children.every((c) => c.kind === 'type')) {
    return { exact: node.children.map((c) => (c as { name: string }).name), needsRefine: false };
  }
  // AND and nested expressions: prefilter on no type, refine in memory
  return { exact: undefined, needsRefine: true };
}

/** The checks a candidate must pass in memory, and whether there are any (orderBy needs all rows). */
export function refinementOf(
  query: EntityQuery,
  types: TypeFilter,
): { refinement: EntityQueryRefinement; needsRefine: boolean } {
  const refinement: EntityQueryRefinement = {
    type: types.needsRefine ? query.type : undefined,
    q: query.q,
    geoQ: query.geoQ,
    idPattern: query.idPattern ? new RegExp(query.idPattern) : undefined,
    scopeQ: query.scopeQ,
  };
  const needsRefine = Boolean(
    refinement.type ||
      refinement.q ||
      refinement.geoQ ||
      refinement.idPattern ||
      refinement.scopeQ ||
      query.orderBy,
  );
  return { refinement, needsRefine };
}
