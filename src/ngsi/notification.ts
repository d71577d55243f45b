/**
 * Notifications of subscriptions (ETSI GS CIM 009 v1.8, clauses 5.2.12 notificationTrigger, 5.3
 * Notification): which attributes a committed entity change created, updated and deleted, which
 * of a subscription's triggers it fires, and the entity a notification carries. Pure: time comes
 * in as an argument.
 */
import type { TermMap } from './context.ts';
import { type Attribute, type CompactedEntity, type Entity, isJsonObject } from './entity.ts';
import { compactEntity } from './entity-compactor.ts';
import { refineEntity } from './refine.ts';
import {
  NGSI_LD_NULL_VALUE,
  type NotificationTrigger,
  type Subscription,
  subscriptionStatus,
} from './subscription.ts';
import { evaluateTypeQuery } from './type-query.ts';

/** A committed change of one entity, as the store's change log records it. */
export interface EntityChangeRecord {
  id: string;
  before?: Entity;
  after?: Entity;
}

interface ChangedAttributes {
  created: Set<string>;
  updated: Set<string>;
  deleted: Set<string>;
}

function instanceKey(a: Attribute): string {
  return a.datasetId ?? '';
}

/** Which attributes a change created, updated and deleted (an instance counts for its attribute). */
export function changedAttributes(change: EntityChangeRecord): ChangedAttributes {
  const out: ChangedAttributes = { created: new Set(), updated: new Set(), deleted: new Set() };
  const before = change.before?.attrs ?? {};
  const after = change.after?.attrs ?? {};
  for (const [name, list] of Object.entries(after)) {
    const old = before[name];
    if (!old) {
      out.created.add(name);
      continue;
    }
    const oldByKey = new Map(old.map((a) => [instanceKey(a), a]));
    for (const inst of list) {
      const prev = oldByKey.get(instanceKey(inst));
      if (!prev) out.created.add(name);
      else if (JSON.stringify(prev) !== JSON.stringify(inst)) out.updated.add(name);
    }
    const keys = new Set(list.map(instanceKey));
    if (old.some((a) => !keys.has(instanceKey(a)))) out.deleted.add(name);
  }
  for (const name of Object.keys(before)) if (!after[name]) out.deleted.add(name);
  return out;
}

function selects(sub: Subscription, entity: Entity): boolean {
  if (!sub.entities) return true;
  return sub.entities.some(
    (s) =>
      (s.id === undefined || s.id === entity.id) &&
      (s.idPattern === undefined || new RegExp(s.idPattern).test(entity.id)) &&
      (s.type === undefined || evaluateTypeQuery(s.type, entity.type)),
  );
}

function watched(sub: Subscription, names: Iterable<string>): boolean {
  if (!sub.watchedAttributes) {
    for (const _ of names) return true;
    return false;
  }
  for (const n of names) if (sub.watchedAttributes.includes(n)) return true;
  return false;
}

/**
 * The triggers of clause 5.2.12 that a change fires for this subscription, in the subscription's
 * order; empty when it does not fire. Creating an entity creates its attributes and deleting it
 * deletes them, so attribute triggers fire on those too. q and geoQ are evaluated on the new
 * state (on the old one for a deletion, which has no new state).
 *
 * @example
 * firedTriggers(sub, { id, before: undefined, after: entity }) // ['attributeCreated'] with default triggers
 */
export function firedTriggers(sub: Subscription, change: EntityChangeRecord): NotificationTrigger[] {
  const subject = change.after ?? change.before;
  if (!subject || !selects(sub, subject)) return [];
  if (sub.q || sub.geoQ) {
    if (!refineEntity(subject, { q: sub.q, geoQ: sub.geoQ })) return [];
  }
  const attrs = changedAttributes(change);
  const fired: NotificationTrigger[] = [];
  for (const t of sub.notificationTrigger) {
    let hit = false;
    switch (t) {
      case 'entityCreated':
        hit = !change.before && change.after !== undefined;
        break;
      case 'entityDeleted':
        hit = change.before !== undefined && !change.after;
        break;
      case 'entityUpdated':
        hit =
          change.before !== undefined &&
          change.after !== undefined &&
          (sub.watchedAttributes === undefined ||
            watched(sub, [...attrs.created, ...attrs.updated, ...attrs.deleted]));
        break;
      case 'attributeCreated':
        hit = watched(sub, attrs.created);
        break;
      case 'attributeUpdated':
        hit = watched(sub, attrs.updated);
        break;
      case 'attributeDeleted':
        hit = watched(sub, attrs.deleted);
        break;
    }
    if (hit) fired.push(t);
  }
  return fired;
}

/**
 * True when a committed change triggers the subscription (ignoring activity, expiry, throttling
 * and periodic mode, which depend on time and are the notifier's to judge).
 */
export function matches(sub: Subscription, change: EntityChangeRecord): boolean {
  return firedTriggers(sub, change).length > 0;
}

/** True for a subscription that may notify now: active, not expired. */
export function isLive(sub: Subscription, now: string): boolean {
  return subscriptionStatus(sub, now) === 'active';
}

function nullAttribute(
  a: Attribute,
  deletedAt: string,
  sysAttrs: boolean,
): Attribute & { deletedAt?: string } {
  const out: Attribute & { deletedAt?: string } = { type: a.type };
  if (a.type === 'Relationship' || a.type === 'ListRelationship') {
    out.type = 'Relationship';
    out.object = NGSI_LD_NULL_VALUE;
  } else if (a.type === 'LanguageProperty') out.languageMap = { '@none': NGSI_LD_NULL_VALUE };
  else if (a.type === 'VocabProperty') out.vocab = NGSI_LD_NULL_VALUE;
  else if (a.type === 'JsonProperty') out.json = NGSI_LD_NULL_VALUE;
  else {
    out.type = a.type === 'GeoProperty' ? 'GeoProperty' : 'Property';
    out.value = NGSI_LD_NULL_VALUE;
  }
  if (a.datasetId !== undefined) out.datasetId = a.datasetId;
  if (sysAttrs) {
    if (a.createdAt) out.createdAt = a.createdAt;
    if (a.modifiedAt) out.modifiedAt = a.modifiedAt;
    out.deletedAt = deletedAt;
  }
  return out;
}

function keepInstance(sub: Subscription, a: Attribute): boolean {
  if (!sub.datasetId) return true;
  return sub.datasetId.includes(a.datasetId ?? '@none');
}

/**
 * The entity a notification carries for one change (clause 5.3.1): the new state compacted in
 * the subscription's format and attribute selection; for `attributeDeleted` the deleted
 * attributes (or instances) appear with the value `urn:ngsi-ld:null`; a deleted entity carries
 * `deletedAt` and, for attributeDeleted, its watched attributes as deleted.
 */
export function notificationEntity(
  sub: Subscription,
  change: EntityChangeRecord,
  fired: NotificationTrigger[],
  terms: TermMap,
  now: string,
): CompactedEntity {
  const n = sub.notification;
  const base = change.after ?? change.before!;
  const deletedEntity = change.after === undefined;
  const attrs: Record<string, Attribute[]> = {};
  const deletedNames = new Set<string>();
  if (!deletedEntity) {
    for (const [name, list] of Object.entries(base.attrs))
      attrs[name] = list.filter((a) => keepInstance(sub, a));
  }
  if (fired.includes('attributeDeleted')) {
    const before = change.before?.attrs ?? {};
    const after = change.after?.attrs ?? {};
    for (const [name, list] of Object.entries(before)) {
      if (sub.watchedAttributes && !sub.watchedAttributes.includes(name)) continue;
      const remaining = after[name] ?? [];
      const keys = new Set(remaining.map(instanceKey));
      const gone = list.filter((a) => !keys.has(instanceKey(a)) && keepInstance(sub, a));
      if (gone.length === 0) continue;
      deletedNames.add(name);
      if (remaining.length === 0) {
        // the whole attribute is gone: one null stands for it, whatever instances it had
        const { datasetId: _d, ...whole } = gone[0];
        attrs[name] = [nullAttribute(whole, now, n.sysAttrs)];
      } else attrs[name] = [...(attrs[name] ?? []), ...gone.map((a) => nullAttribute(a, now, n.sysAttrs))];
    }
  }
  for (const name of Object.keys(attrs)) if (attrs[name].length === 0) delete attrs[name];
  const entity: Entity = { id: base.id, type: base.type, attrs };
  if (base.scope) entity.scope = base.scope;
  if (base.createdAt) entity.createdAt = base.createdAt;
  if (base.modifiedAt) entity.modifiedAt = base.modifiedAt;
  const selected = n.attributes ? new Set(n.attributes) : undefined;
  const out = compactEntity(entity, terms, {
    format: n.format,
    sysAttrs: n.sysAttrs,
    attrs: selected,
    lang: sub.lang,
  });
  if (n.sysAttrs && n.format === 'keyValues') withEntitySysAttrs(out, entity);
  if (deletedEntity) {
    out.deletedAt = now;
    if (n.format !== 'keyValues' && n.sysAttrs) {
      // the deleted attributes' own deletedAt (clause 4.5.? deletedAt) survives compaction here
      for (const name of deletedNames) {
        const member = out[terms.compact(name)];
        for (const m of Array.isArray(member) ? member : [member]) if (isJsonObject(m)) m.deletedAt = now;
      }
    }
  } else if (n.sysAttrs && n.format !== 'keyValues') {
    for (const name of deletedNames) {
      const member = out[terms.compact(name)];
      for (const m of Array.isArray(member) ? member : [member])
        if (isJsonObject(m) && m.value === NGSI_LD_NULL_VALUE) m.deletedAt = now;
    }
  }
  return out;
}

/** The entity of a periodic notification: the current state in the subscription's format. */
export function periodicEntity(sub: Subscription, entity: Entity, terms: TermMap): CompactedEntity {
  const attrs: Record<string, Attribute[]> = {};
  for (const [name, list] of Object.entries(entity.attrs)) {
    const kept = list.filter((a) => keepInstance(sub, a));
    if (kept.length > 0) attrs[name] = kept;
  }
  const n = sub.notification;
  const out = compactEntity({ ...entity, attrs }, terms, {
    format: n.format,
    sysAttrs: n.sysAttrs,
    attrs: n.attributes ? new Set(n.attributes) : undefined,
    lang: sub.lang,
  });
  if (n.sysAttrs && n.format === 'keyValues') withEntitySysAttrs(out, entity);
  return out;
}

/** keyValues has no room for an attribute's system attributes, but the entity's own show (clause 4.5.4). */
function withEntitySysAttrs(out: CompactedEntity, entity: Entity): void {
  if (entity.createdAt) out.createdAt = entity.createdAt;
  if (entity.modifiedAt) out.modifiedAt = entity.modifiedAt;
}

/** A Notification (clause 5.3.1). */
export interface NotificationMessage {
  id: string;
  type: 'Notification';
  subscriptionId: string;
  notifiedAt: string;
  data: CompactedEntity[];
  '@context'?: unknown;
}

/** The @context URL the notification names (Link header or body member, clause 5.3.1 / 6.3.6). */
export function notificationContext(sub: Subscription): unknown {
  if (sub.jsonldContext !== undefined) return sub.jsonldContext;
  const c = sub.context;
  if (Array.isArray(c) && c.length === 1) return c[0];
  return c;
}
