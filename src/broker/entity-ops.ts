/**
 * Pure entity transformations behind the provision operations (clause 5.6): stamping system
 * attributes, appending, updating, merging and deleting attribute instances. Each returns a new
 * entity and never mutates its input, so a store engine may retry a mutation after a conflict.
 */
import { type Attribute, type Entity, NGSI_LD_NULL } from '../ngsi/index.ts';

function stampAttribute(attr: Attribute, now: string, previous?: Attribute): Attribute {
  const out: Attribute = { ...attr, createdAt: previous?.createdAt ?? now, modifiedAt: now };
  if (attr.sub) {
    out.sub = {};
    for (const [name, list] of Object.entries(attr.sub)) {
      const prev = previous?.sub?.[name];
      out.sub[name] = list.map((s) =>
        stampAttribute(
          s,
          now,
          prev?.find((p) => (p.datasetId ?? '') === (s.datasetId ?? '')),
        ),
      );
    }
  }
  return out;
}

function sameInstance(a: Attribute, b: Attribute): boolean {
  return (a.datasetId ?? '') === (b.datasetId ?? '');
}

/** A new entity as created: every attribute instance gets createdAt = modifiedAt = now. */
export function stampNewEntity(entity: Entity, now: string): Entity {
  const attrs: Record<string, Attribute[]> = {};
  for (const [name, list] of Object.entries(entity.attrs))
    attrs[name] = list.map((a) => stampAttribute(a, now));
  return { ...entity, attrs, createdAt: now, modifiedAt: now };
}

/** Replace (clause 5.6.18): all attributes replaced, the entity keeps its createdAt. */
export function replaceEntity(current: Entity, replacement: Entity, now: string): Entity {
  const fresh = stampNewEntity(replacement, now);
  return { ...fresh, createdAt: current.createdAt ?? now };
}

export interface AttributeOutcome {
  updated: string[];
  notUpdated: Array<{ attributeName: string; reason: string }>;
}

/**
 * Append (clause 5.6.3): add attributes; an existing instance (same datasetId) is overwritten
 * unless `noOverwrite`, in which case it is reported as not updated.
 */
export function appendAttributes(
  current: Entity,
  attrs: Record<string, Attribute[]>,
  now: string,
  noOverwrite: boolean,
): { entity: Entity; outcome: AttributeOutcome } {
  const next: Record<string, Attribute[]> = { ...current.attrs };
  const outcome: AttributeOutcome = { updated: [], notUpdated: [] };
  for (const [name, instances] of Object.entries(attrs)) {
    const list = [...(next[name] ?? [])];
    let changed = false;
    for (const inst of instances) {
      const i = list.findIndex((e) => sameInstance(e, inst));
      if (isNullValue(inst)) {
        // "urn:ngsi-ld:null" deletes the instance (clause 4.5.? NGSI-LD Null)
        if (i >= 0) {
          list.splice(i, 1);
          changed = true;
        }
        continue;
      }
      if (i >= 0) {
        if (noOverwrite) {
          outcome.notUpdated.push({
            attributeName: name,
            reason: 'attribute exists and noOverwrite was requested',
          });
          continue;
        }
        list[i] = stampAttribute(inst, now, list[i]);
      } else {
        list.push(stampAttribute(inst, now));
      }
      changed = true;
    }
    if (changed) {
      if (list.length > 0) next[name] = list;
      else delete next[name];
      outcome.updated.push(name);
    }
  }
  return { entity: { ...current, attrs: next, modifiedAt: now }, outcome };
}

/**
 * Update (clause 5.6.2): attributes and instances given replace the stored ones, missing ones
 * are added (as the v1.8 conformance suite expects), "urn:ngsi-ld:null" deletes.
 */
export function updateAttributes(
  current: Entity,
  attrs: Record<string, Attribute[]>,
  now: string,
): { entity: Entity; outcome: AttributeOutcome } {
  return appendAttributes(current, attrs, now, false);
}

function isNullValue(attr: Attribute): boolean {
  return (
    attr.value === NGSI_LD_NULL ||
    attr.object === NGSI_LD_NULL ||
    attr.json === NGSI_LD_NULL ||
    attr.vocab === NGSI_LD_NULL ||
    attr.languageMap?.['@none'] === NGSI_LD_NULL
  );
}

/** Merges one attribute instance into an existing one: members given win, sub-attributes merge. */
function mergeAttribute(previous: Attribute, patch: Attribute, now: string): Attribute | null {
  if (isNullValue(patch)) return null;
  const { sub: _patchSub, ...patchMembers } = patch;
  const merged: Attribute = { ...previous, ...patchMembers, createdAt: previous.createdAt, modifiedAt: now };
  // a change of attribute kind must not keep the old kind's value member
  if (patch.type !== previous.type) {
    for (const key of [
      'value',
      'object',
      'languageMap',
      'vocab',
      'json',
      'valueList',
      'objectList',
    ] as const) {
      if (!(key in patch)) delete merged[key];
    }
  }
  if (
    patch.type === 'Property' &&
    previous.type === 'Property' &&
    isPlainObject(previous.value) &&
    isPlainObject(patch.value)
  ) {
    merged.value = mergeJson(
      previous.value as Record<string, unknown>,
      patch.value as Record<string, unknown>,
    );
  }
  if (patch.sub || previous.sub) {
    const sub: Record<string, Attribute[]> = { ...(previous.sub ?? {}) };
    for (const [name, list] of Object.entries(patch.sub ?? {})) {
      const prev = sub[name] ?? [];
      const out = [...prev];
      for (const inst of list) {
        const i = out.findIndex((e) => sameInstance(e, inst));
        if (i >= 0) {
          const m = mergeAttribute(out[i], inst, now);
          if (m === null) out.splice(i, 1);
          else out[i] = m;
        } else if (!isNullValue(inst)) out.push(stampAttribute(inst, now));
      }
      if (out.length > 0) sub[name] = out;
      else delete sub[name];
    }
    merged.sub = Object.keys(sub).length > 0 ? sub : undefined;
    if (!merged.sub) delete merged.sub;
  }
  return merged;
}

function isPlainObject(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !('type' in (v as object) && 'coordinates' in (v as object))
  );
}

/** RFC 7396 JSON merge patch, with the NGSI-LD null IRI also deleting a member. */
function mergeJson(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === NGSI_LD_NULL) delete out[k];
    else if (isPlainObject(v) && isPlainObject(out[k]))
      out[k] = mergeJson(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/** Merge-patch (clause 5.6.17): attributes merge, "urn:ngsi-ld:null" deletes, new ones are added. */
export function mergeEntity(current: Entity, patch: Entity, now: string): Entity {
  const next: Record<string, Attribute[]> = { ...current.attrs };
  for (const [name, instances] of Object.entries(patch.attrs)) {
    const list = [...(next[name] ?? [])];
    for (const inst of instances) {
      const i = list.findIndex((e) => sameInstance(e, inst));
      if (i >= 0) {
        const m = mergeAttribute(list[i], inst, now);
        if (m === null) list.splice(i, 1);
        else list[i] = m;
      } else if (!isNullValue(inst)) {
        list.push(stampAttribute(inst, now));
      }
    }
    if (list.length > 0) next[name] = list;
    else delete next[name];
  }
  const types = [...current.type];
  for (const t of patch.type) if (!types.includes(t)) types.push(t);
  const merged: Entity = { ...current, type: types, attrs: next, modifiedAt: now };
  if (patch.scope) merged.scope = patch.scope;
  return merged;
}

/**
 * Delete attribute (clause 5.6.5): the default instance, the one with `datasetId`, or all
 * instances with `deleteAll`. Returns undefined when nothing matched.
 */
export function deleteAttribute(
  current: Entity,
  name: string,
  now: string,
  datasetId?: string,
  deleteAll = false,
): Entity | undefined {
  const list = current.attrs[name];
  if (!list) return undefined;
  let kept: Attribute[];
  if (deleteAll) kept = [];
  else {
    kept = list.filter((a) => (a.datasetId ?? '') !== (datasetId ?? ''));
    if (kept.length === list.length) return undefined;
  }
  const attrs = { ...current.attrs };
  if (kept.length > 0) attrs[name] = kept;
  else delete attrs[name];
  return { ...current, attrs, modifiedAt: now };
}

/**
 * Replace attribute (clause 5.6.19): the instances given (by datasetId) are replaced; the
 * attribute's other instances stay.
 */
export function replaceAttribute(current: Entity, name: string, instances: Attribute[], now: string): Entity {
  const prev = current.attrs[name] ?? [];
  const kept = prev.filter((p) => !instances.some((i) => sameInstance(p, i)));
  const replaced = instances.map((i) =>
    stampAttribute(
      i,
      now,
      prev.find((p) => sameInstance(p, i)),
    ),
  );
  const attrs = { ...current.attrs, [name]: [...kept, ...replaced] };
  return { ...current, attrs, modifiedAt: now };
}

/** Scope (clause 4.18): append adds scopes, update replaces them (only if the entity has some). */
export function withScopes(
  current: Entity,
  scopes: string[] | undefined,
  mode: 'append' | 'replace',
  now: string,
): Entity {
  if (!scopes) return current;
  const merged = mode === 'append' ? [...new Set([...(current.scope ?? []), ...scopes])] : scopes;
  return { ...current, scope: merged, modifiedAt: now };
}

/** Delete the entity's scope. */
export function withoutScope(current: Entity, now: string): Entity | undefined {
  if (!current.scope || current.scope.length === 0) return undefined;
  const { scope: _s, ...rest } = current;
  return { ...rest, modifiedAt: now };
}

/**
 * Partial attribute update (clause 5.6.4): the given members of the instance with the same
 * datasetId are replaced; other members stay.
 */
export function partialUpdateAttribute(
  current: Entity,
  name: string,
  patch: Attribute,
  now: string,
  typeGiven = true,
): Entity | undefined {
  const list = current.attrs[name];
  if (!list) return undefined;
  const i = list.findIndex((e) => sameInstance(e, patch));
  if (i < 0) return undefined;
  const merged = mergeAttribute(list[i], typeGiven ? patch : { ...patch, type: list[i].type }, now);
  const copy = [...list];
  if (merged === null) copy.splice(i, 1);
  else copy[i] = merged;
  const attrs = { ...current.attrs };
  if (copy.length > 0) attrs[name] = copy;
  else delete attrs[name];
  return { ...current, attrs, modifiedAt: now };
}
