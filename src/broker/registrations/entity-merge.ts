/**
 * Merging the fragments of one entity that a broker and its context sources return (ETSI GS
 * CIM 009 v1.8, clause 4.3.6.3 and 5.7.1/5.7.2 distributed retrieval): types are united; for the
 * same attribute and datasetId the most recent instance wins, by observedAt, else modifiedAt;
 * instances from auxiliary sources only fill what no other source provides (clause 4.3.6.2).
 */
import type { Attribute, Entity, TermMap } from '../../ngsi/index.ts';
import { parseEntity, type Result } from '../../ngsi/index.ts';

export interface EntityFragment {
  entity: Entity;
  auxiliary?: boolean;
}

function instanceTime(a: Attribute): number {
  const t = a.observedAt ?? a.modifiedAt;
  const ms = t === undefined ? Number.NaN : Date.parse(t);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * Merges fragments of the same entity; the first fragment wins ties (callers put the local
 * entity first).
 *
 * @example
 * mergeFragments([{ entity: local }, { entity: remote }]) // local's attributes plus remote's newer or missing ones
 */
export function mergeFragments(fragments: EntityFragment[]): Entity {
  const first = fragments[0].entity;
  const merged: Entity = { ...first, type: [...first.type], attrs: {} };
  const ordered = [...fragments.filter((f) => !f.auxiliary), ...fragments.filter((f) => f.auxiliary)];
  for (const { entity, auxiliary } of ordered) {
    for (const t of entity.type) if (!merged.type.includes(t)) merged.type.push(t);
    if (entity.scope) merged.scope = [...new Set([...(merged.scope ?? []), ...entity.scope])];
    if (entity.createdAt && (!merged.createdAt || entity.createdAt < merged.createdAt))
      merged.createdAt = entity.createdAt;
    if (entity.modifiedAt && (!merged.modifiedAt || entity.modifiedAt > merged.modifiedAt))
      merged.modifiedAt = entity.modifiedAt;
    for (const [name, instances] of Object.entries(entity.attrs)) {
      const list = merged.attrs[name] ?? [];
      for (const inst of instances) {
        const at = list.findIndex((i) => (i.datasetId ?? '') === (inst.datasetId ?? ''));
        if (at < 0) list.push(inst);
        else if (!auxiliary && instanceTime(inst) > instanceTime(list[at])) list[at] = inst;
      }
      merged.attrs[name] = list;
    }
  }
  return merged;
}

/** Groups entities by id and merges each group; result sorted by id (the store's order). */
export function mergeById(fragments: EntityFragment[]): Entity[] {
  const groups = new Map<string, EntityFragment[]>();
  for (const f of fragments) {
    const g = groups.get(f.entity.id);
    if (g) g.push(f);
    else groups.set(f.entity.id, [f]);
  }
  return [...groups.values()]
    .map((g) => (g.length === 1 ? g[0].entity : mergeFragments(g)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * An entity as a context source returned it (normalized, with sysAttrs), parsed into the normal
 * form with the same term map the request was forwarded with; the system attributes the entity
 * parser leaves out are copied back, since merging needs modifiedAt.
 */
export function parseRemoteEntity(raw: unknown, terms: TermMap): Result<Entity> {
  const parsed = parseEntity(raw, terms);
  if (!parsed.ok) return parsed;
  const entity = parsed.value;
  const body = raw as Record<string, unknown>;
  if (typeof body.createdAt === 'string') entity.createdAt = body.createdAt;
  if (typeof body.modifiedAt === 'string') entity.modifiedAt = body.modifiedAt;
  for (const [key, value] of Object.entries(body)) {
    const list = entity.attrs[terms.expand(key)];
    if (!list) continue;
    const rawList = (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
    for (const r of rawList) {
      if (r === null || typeof r !== 'object') continue;
      const inst = list.find((i) => (i.datasetId ?? '') === ((r.datasetId as string | undefined) ?? ''));
      if (!inst) continue;
      if (typeof r.createdAt === 'string') inst.createdAt = r.createdAt;
      if (typeof r.modifiedAt === 'string') inst.modifiedAt = r.modifiedAt;
    }
  }
  return parsed;
}
