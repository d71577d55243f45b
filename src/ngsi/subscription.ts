/**
 * Subscriptions (ETSI GS CIM 009 v1.8, clauses 5.2.12 Subscription, 5.2.14 NotificationParams,
 * 5.2.15 Endpoint, 5.3 Notification, 5.8 operations): parsing a request body into a normal form
 * with expanded names, compacting it back, deciding whether a committed entity change triggers
 * it, and building the entity a notification carries. Pure: time and ids come in as arguments.
 */
import type { TermMap } from './context.ts';
import type { Attribute, CompactedEntity, Entity } from './entity.ts';
import { compactEntity, type Format } from './entity-compactor.ts';
import { isDateTime, isUri } from './entity-parser.ts';
import { badRequest, ok, type Result } from './errors.ts';
import { parseGeoQ } from './geo-query.ts';
import { expandQ, parseQ } from './q-parser.ts';
import type { GeoQuery, QNode, TypeNode } from './query-ast.ts';
import { refineEntity } from './refine.ts';
import { evaluateTypeQuery, expandTypeQuery, parseTypeQuery } from './type-query.ts';

/** Clause 5.2.12 notificationTrigger values. */
export const NOTIFICATION_TRIGGERS = [
  'entityCreated',
  'entityUpdated',
  'entityDeleted',
  'attributeCreated',
  'attributeUpdated',
  'attributeDeleted',
] as const;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];
/** The default when a subscription names no trigger (clause 5.2.12). */
const DEFAULT_TRIGGERS: NotificationTrigger[] = ['attributeCreated', 'attributeUpdated'];

const ACCEPT = ['application/json', 'application/ld+json', 'application/geo+json'] as const;
export type NotificationAccept = (typeof ACCEPT)[number];

/** The value NGSI-LD writes in place of a deleted attribute (clause 5.2.12, attributeDeleted). */
export const NGSI_LD_NULL_VALUE = 'urn:ngsi-ld:null';

export interface KeyValuePair {
  key: string;
  value: string;
}

/** Clause 5.2.33 EntitySelector, names expanded; `typeText` keeps the selection as written. */
export interface EntitySelector {
  id?: string;
  idPattern?: string;
  type?: TypeNode;
}

export interface SubscriptionEndpoint {
  uri: string;
  accept: NotificationAccept;
  receiverInfo?: KeyValuePair[];
  notifierInfo?: KeyValuePair[];
}

export interface NotificationParams {
  /** expanded attribute names; undefined means all */
  attributes?: string[];
  format: Format;
  /** the format as the client wrote it (`simplified` is an alias of keyValues) */
  formatText?: string;
  sysAttrs: boolean;
  showChanges: boolean;
  endpoint: SubscriptionEndpoint;
}

/** A subscription in normal form: what the store keeps and the notifier works on. */
export interface Subscription {
  id: string;
  subscriptionName?: string;
  description?: string;
  entities?: EntitySelector[];
  watchedAttributes?: string[];
  notificationTrigger: NotificationTrigger[];
  /** expanded q, and the text as written for retrieval */
  q?: QNode;
  qText?: string;
  geoQ?: GeoQuery;
  geoQText?: Record<string, unknown>;
  timeInterval?: number;
  throttling?: number;
  expiresAt?: string;
  /** as given; absent means active (clause 5.2.12) */
  isActive?: boolean;
  datasetId?: string[];
  lang?: string;
  jsonldContext?: string;
  /** the @context the subscription was written with: notifications are compacted with it */
  context?: unknown;
  notification: NotificationParams;
  createdAt: string;
  modifiedAt: string;
}

/** Delivery state kept beside a subscription (clause 5.2.12 status, 5.2.14 counters). */
export interface SubscriptionState {
  timesSent: number;
  timesFailed: number;
  lastNotification?: string;
  lastSuccess?: string;
  lastFailure?: string;
  /** outcome of the last delivery attempt */
  notificationStatus?: 'ok' | 'failed';
}

const TOP_MEMBERS = new Set([
  'id',
  'type',
  '@context',
  'subscriptionName',
  'description',
  'entities',
  'watchedAttributes',
  'notificationTrigger',
  'timeInterval',
  'q',
  'geoQ',
  'csf',
  'isActive',
  'notification',
  'expiresAt',
  'throttling',
  'temporalQ',
  'scopeQ',
  'lang',
  'datasetId',
  'jsonldContext',
  'status',
  'createdAt',
  'modifiedAt',
]);
/** Members a client may send but twinbox does not evaluate yet: refused, never ignored silently. */
const NOT_IMPLEMENTED = new Set(['csf', 'temporalQ', 'scopeQ']);
const READ_ONLY = new Set(['status', 'createdAt', 'modifiedAt']);
const NOTIFICATION_MEMBERS = new Set([
  'attributes',
  'sysAttrs',
  'format',
  'endpoint',
  'showChanges',
  'pick',
  'omit',
  'join',
  'joinLevel',
  'status',
  'timesSent',
  'timesFailed',
  'lastNotification',
  'lastFailure',
  'lastSuccess',
]);
const FORMATS: Record<string, Format> = {
  normalized: 'normalized',
  keyValues: 'keyValues',
  simplified: 'keyValues',
  concise: 'concise',
};

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringList(v: unknown, where: string, allowEmpty = false): Result<string[]> {
  if (
    !Array.isArray(v) ||
    (!allowEmpty && v.length === 0) ||
    v.some((s) => typeof s !== 'string' || s === '')
  ) {
    return badRequest(`${where}: must be a non-empty array of non-empty strings`);
  }
  return ok(v as string[]);
}

function keyValues(v: unknown, where: string): Result<KeyValuePair[]> {
  if (!Array.isArray(v)) return badRequest(`${where}: must be an array of {key, value}`);
  for (const [i, kv] of v.entries()) {
    if (!isObj(kv) || typeof kv.key !== 'string' || kv.key === '' || typeof kv.value !== 'string') {
      return badRequest(`${where}[${i}]: must be {key: string, value: string}`);
    }
  }
  return ok((v as Obj[]).map((kv) => ({ key: kv.key as string, value: kv.value as string })));
}

function positive(v: unknown, where: string): Result<number> {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    return badRequest(`${where}: must be a number greater than 0`);
  return ok(v);
}

function parseSelector(v: unknown, i: number, terms: TermMap): Result<EntitySelector> {
  const where = `entities[${i}]`;
  if (!isObj(v)) return badRequest(`${where}: must be an object`);
  const sel: EntitySelector = {};
  if (v.id !== undefined) {
    if (!isUri(v.id)) return badRequest(`${where}.id: must be a URI`);
    sel.id = v.id;
  }
  if (v.idPattern !== undefined) {
    if (typeof v.idPattern !== 'string') return badRequest(`${where}.idPattern: must be a string`);
    try {
      new RegExp(v.idPattern);
    } catch {
      return badRequest(`${where}.idPattern: not a valid regular expression`);
    }
    sel.idPattern = v.idPattern;
  }
  if (v.type === undefined) return badRequest(`${where}.type: missing (clause 5.2.33)`);
  if (typeof v.type !== 'string') return badRequest(`${where}.type: must be a string`);
  const type = parseTypeQuery(v.type);
  if (!type.ok) return badRequest(`${where}.type: ${type.problem.detail}`);
  sel.type = expandTypeQuery(type.value, (t) => terms.expand(t));
  return ok(sel);
}

function parseEndpoint(v: unknown): Result<SubscriptionEndpoint> {
  if (!isObj(v)) return badRequest('notification.endpoint: missing or not an object');
  if (typeof v.uri !== 'string' || !isUri(v.uri))
    return badRequest('notification.endpoint.uri: must be a URI');
  if (!/^(https?|mqtts?):\/\//.test(v.uri))
    return badRequest(`notification.endpoint.uri: scheme of '${v.uri}' is not http, https, mqtt or mqtts`);
  const accept = v.accept ?? 'application/json';
  if (!ACCEPT.includes(accept as NotificationAccept))
    return badRequest(`notification.endpoint.accept: '${String(accept)}' is not one of ${ACCEPT.join(', ')}`);
  const ep: SubscriptionEndpoint = { uri: v.uri, accept: accept as NotificationAccept };
  for (const name of ['receiverInfo', 'notifierInfo'] as const) {
    if (v[name] === undefined) continue;
    const kv = keyValues(v[name], `notification.endpoint.${name}`);
    if (!kv.ok) return kv;
    ep[name] = kv.value;
  }
  return ok(ep);
}

function parseNotification(v: unknown, terms: TermMap): Result<NotificationParams> {
  if (!isObj(v)) return badRequest('notification: missing or not an object (clause 5.2.12)');
  for (const k of Object.keys(v))
    if (!NOTIFICATION_MEMBERS.has(k)) return badRequest(`notification.${k}: unknown member`);
  if (v.attributes !== undefined && (v.pick !== undefined || v.omit !== undefined)) {
    return badRequest('notification: attributes cannot be combined with pick or omit (clause 5.2.14)');
  }
  if (
    Array.isArray(v.pick) &&
    Array.isArray(v.omit) &&
    v.pick.some((p) => (v.omit as unknown[]).includes(p))
  ) {
    return badRequest('notification: the same member is in pick and omit');
  }
  if (v.pick !== undefined || v.omit !== undefined || v.join !== undefined || v.joinLevel !== undefined) {
    return badRequest('notification: pick, omit and join are not supported by this broker');
  }
  const formatText = v.format ?? 'normalized';
  const format = typeof formatText === 'string' ? FORMATS[formatText] : undefined;
  if (format === undefined)
    return badRequest(`notification.format: '${String(formatText)}' is not normalized, keyValues or concise`);
  for (const flag of ['sysAttrs', 'showChanges'] as const) {
    if (v[flag] !== undefined && typeof v[flag] !== 'boolean')
      return badRequest(`notification.${flag}: must be a boolean`);
  }
  const endpoint = parseEndpoint(v.endpoint);
  if (!endpoint.ok) return endpoint;
  const out: NotificationParams = {
    format,
    sysAttrs: v.sysAttrs === true,
    showChanges: v.showChanges === true,
    endpoint: endpoint.value,
  };
  if (v.format !== undefined) out.formatText = v.format as string;
  if (v.attributes !== undefined) {
    const attrs = stringList(v.attributes, 'notification.attributes');
    if (!attrs.ok) return attrs;
    out.attributes = attrs.value.map((a) => terms.expand(a));
  }
  return ok(out);
}

export interface ParseSubscriptionOptions {
  /** ISO time of the request: expiresAt must lie after it, createdAt/modifiedAt take it */
  now: string;
  /** the id to use when the body has none (the broker generates it) */
  id: string;
  /** the @context the body was expanded with, kept for notifications */
  context?: unknown;
}

/**
 * Parses a Subscription body (clause 5.2.12) with the request's term map.
 *
 * @example
 * parseSubscription({ type: 'Subscription', entities: [{ type: 'Building' }], notification: { endpoint: { uri: 'http://r/n' } } },
 *   TermMap.core(), { now: '2024-01-01T00:00:00Z', id: 'urn:ngsi-ld:Subscription:1' })
 */
export function parseSubscription(
  body: unknown,
  terms: TermMap,
  options: ParseSubscriptionOptions,
): Result<Subscription> {
  if (!isObj(body)) return badRequest('the body must be a JSON object');
  for (const k of Object.keys(body)) {
    if (!TOP_MEMBERS.has(k)) return badRequest(`${k}: not a member of Subscription (clause 5.2.12)`);
    if (NOT_IMPLEMENTED.has(k)) return badRequest(`${k}: not supported by this broker`);
  }
  for (const k of READ_ONLY)
    if (body[k] !== undefined && k !== 'status') return badRequest(`${k}: is set by the broker`);
  if (body.type !== 'Subscription')
    return badRequest(`type: must be 'Subscription', got ${JSON.stringify(body.type)}`);
  const id = body.id ?? options.id;
  if (!isUri(id)) return badRequest(`id: '${String(id)}' is not a URI`);
  const sub: Subscription = {
    id,
    notificationTrigger: DEFAULT_TRIGGERS,
    notification: undefined as unknown as NotificationParams,
    createdAt: options.now,
    modifiedAt: options.now,
  };
  for (const name of ['subscriptionName', 'description', 'lang'] as const) {
    const v = body[name];
    if (v === undefined) continue;
    if (typeof v !== 'string') return badRequest(`${name}: must be a string`);
    sub[name] = v;
  }
  if (body.entities !== undefined) {
    if (!Array.isArray(body.entities) || body.entities.length === 0)
      return badRequest('entities: must be a non-empty array');
    const selectors: EntitySelector[] = [];
    for (const [i, s] of body.entities.entries()) {
      const r = parseSelector(s, i, terms);
      if (!r.ok) return r;
      selectors.push(r.value);
    }
    sub.entities = selectors;
  }
  if (body.watchedAttributes !== undefined) {
    const w = stringList(body.watchedAttributes, 'watchedAttributes');
    if (!w.ok) return w;
    sub.watchedAttributes = w.value.map((a) => terms.expand(a));
  }
  if (sub.entities === undefined && sub.watchedAttributes === undefined) {
    return badRequest('entities or watchedAttributes: at least one is required (clause 5.2.12)');
  }
  if (body.notificationTrigger !== undefined) {
    const t = stringList(body.notificationTrigger, 'notificationTrigger');
    if (!t.ok) return t;
    const bad = t.value.find((x) => !(NOTIFICATION_TRIGGERS as readonly string[]).includes(x));
    if (bad !== undefined)
      return badRequest(`notificationTrigger: '${bad}' is not one of ${NOTIFICATION_TRIGGERS.join(', ')}`);
    sub.notificationTrigger = t.value as NotificationTrigger[];
  }
  if (body.q !== undefined) {
    if (typeof body.q !== 'string') return badRequest('q: must be a string');
    const q = parseQ(decodeQ(body.q));
    if (!q.ok) return q;
    sub.q = expandQ(q.value, (t) => terms.expand(t));
    sub.qText = body.q;
  }
  if (body.geoQ !== undefined) {
    const g = parseGeoQ(body.geoQ, (t) => terms.expand(t));
    if (!g.ok) return g;
    sub.geoQ = g.value;
    sub.geoQText = body.geoQ as Obj;
  }
  for (const name of ['timeInterval', 'throttling'] as const) {
    if (body[name] === undefined) continue;
    const n = positive(body[name], name);
    if (!n.ok) return n;
    sub[name] = n.value;
  }
  if (sub.timeInterval !== undefined && sub.throttling !== undefined) {
    return badRequest('timeInterval and throttling: cannot both be given (clause 5.2.12)');
  }
  if (sub.timeInterval !== undefined && sub.watchedAttributes !== undefined) {
    return badRequest('timeInterval and watchedAttributes: cannot both be given (clause 5.2.12)');
  }
  if (body.expiresAt !== undefined) {
    if (!isDateTime(body.expiresAt)) return badRequest('expiresAt: must be a DateTime');
    if (Date.parse(body.expiresAt) <= Date.parse(options.now))
      return badRequest(`expiresAt: ${body.expiresAt} is not in the future`);
    sub.expiresAt = body.expiresAt;
  }
  if (body.isActive !== undefined) {
    if (typeof body.isActive !== 'boolean') return badRequest('isActive: must be a boolean');
    sub.isActive = body.isActive;
  }
  if (body.datasetId !== undefined) {
    const d = stringList(body.datasetId, 'datasetId');
    if (!d.ok) return d;
    sub.datasetId = d.value;
  }
  if (body.jsonldContext !== undefined) {
    if (typeof body.jsonldContext !== 'string' || !/^https?:\/\/\S+$/.test(body.jsonldContext)) {
      return badRequest(`jsonldContext: '${String(body.jsonldContext)}' is not an http(s) URI`);
    }
    sub.jsonldContext = body.jsonldContext;
  }
  const notification = parseNotification(body.notification, terms);
  if (!notification.ok) return notification;
  sub.notification = notification.value;
  if (options.context !== undefined) sub.context = options.context;
  return ok(sub);
}

/** q in a JSON body may still be URL-encoded (the suite sends `Eiffel%20Tower`). */
function decodeQ(q: string): string {
  if (!q.includes('%')) return q;
  try {
    return decodeURIComponent(q);
  } catch {
    return q;
  }
}

/** Status of clause 5.2.12: expired beats paused beats active. */
export function subscriptionStatus(sub: Subscription, now: string): 'active' | 'paused' | 'expired' {
  if (sub.expiresAt !== undefined && Date.parse(sub.expiresAt) <= Date.parse(now)) return 'expired';
  if (sub.isActive === false) return 'paused';
  return 'active';
}

function typeText(node: TypeNode, terms: TermMap, top = true): string {
  if (node.kind === 'type') return terms.compact(node.name);
  const inner = node.children.map((c) => typeText(c, terms, false)).join(node.kind === 'or' ? '|' : ';');
  return top ? inner : `(${inner})`;
}

/**
 * The subscription as a client reads it (clause 5.8.3), compacted with `terms`, with status and
 * delivery counters.
 */
export function compactSubscription(
  sub: Subscription,
  terms: TermMap,
  state: SubscriptionState | undefined,
  now: string,
  sysAttrs = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: sub.id, type: 'Subscription' };
  if (sub.subscriptionName !== undefined) out.subscriptionName = sub.subscriptionName;
  if (sub.description !== undefined) out.description = sub.description;
  if (sub.entities) {
    out.entities = sub.entities.map((e) => {
      const s: Record<string, unknown> = {};
      if (e.id !== undefined) s.id = e.id;
      if (e.idPattern !== undefined) s.idPattern = e.idPattern;
      if (e.type !== undefined) s.type = typeText(e.type, terms);
      return s;
    });
  }
  if (sub.watchedAttributes) out.watchedAttributes = sub.watchedAttributes.map((a) => terms.compact(a));
  out.notificationTrigger = sub.notificationTrigger;
  if (sub.qText !== undefined) out.q = sub.qText;
  if (sub.geoQText !== undefined) out.geoQ = sub.geoQText;
  if (sub.timeInterval !== undefined) out.timeInterval = sub.timeInterval;
  if (sub.throttling !== undefined) out.throttling = sub.throttling;
  if (sub.expiresAt !== undefined) out.expiresAt = sub.expiresAt;
  if (sub.isActive !== undefined) out.isActive = sub.isActive;
  if (sub.datasetId !== undefined) out.datasetId = sub.datasetId;
  if (sub.lang !== undefined) out.lang = sub.lang;
  if (sub.jsonldContext !== undefined) out.jsonldContext = sub.jsonldContext;
  const n = sub.notification;
  const notification: Record<string, unknown> = {};
  if (n.attributes) notification.attributes = n.attributes.map((a) => terms.compact(a));
  notification.format = n.formatText ?? n.format;
  if (n.sysAttrs) notification.sysAttrs = true;
  if (n.showChanges) notification.showChanges = true;
  const endpoint: Record<string, unknown> = { uri: n.endpoint.uri, accept: n.endpoint.accept };
  if (n.endpoint.receiverInfo) endpoint.receiverInfo = n.endpoint.receiverInfo;
  if (n.endpoint.notifierInfo) endpoint.notifierInfo = n.endpoint.notifierInfo;
  notification.endpoint = endpoint;
  if (state) {
    if (state.notificationStatus) notification.status = state.notificationStatus;
    notification.timesSent = state.timesSent;
    if (state.timesFailed > 0) notification.timesFailed = state.timesFailed;
    if (state.lastNotification) notification.lastNotification = state.lastNotification;
    if (state.lastSuccess) notification.lastSuccess = state.lastSuccess;
    if (state.lastFailure) notification.lastFailure = state.lastFailure;
  }
  out.notification = notification;
  out.status = subscriptionStatus(sub, now);
  if (sysAttrs) {
    out.createdAt = sub.createdAt;
    out.modifiedAt = sub.modifiedAt;
  }
  return out;
}

/**
 * Applies an update fragment (clause 5.8.2): each member of the fragment replaces the member of
 * the subscription, `null` removes it; the result is parsed again, so a fragment that breaks a
 * rule (or removes a mandatory member) is refused as a whole.
 */
export function updateSubscription(
  current: Subscription,
  fragment: unknown,
  terms: TermMap,
  now: string,
  context: unknown,
): Result<Subscription> {
  if (!isObj(fragment)) return badRequest('the body must be a JSON object');
  if (Object.keys(fragment).filter((k) => k !== '@context').length === 0)
    return badRequest('the fragment has no members to update');
  if (fragment.id !== undefined && fragment.id !== current.id)
    return badRequest(`id: the fragment's id differs from '${current.id}'`);
  const merged: Obj = compactSubscription(current, terms, undefined, now);
  delete merged.status;
  // a default trigger list stays a default, so a later fragment's members are judged alone
  for (const [k, v] of Object.entries(fragment)) {
    if (k === '@context') continue;
    if (v === null) {
      if (k === 'notification' || k === 'type' || k === 'id')
        return badRequest(`${k}: a mandatory member cannot be removed`);
      delete merged[k];
    } else merged[k] = v;
  }
  if (merged.type === undefined) merged.type = 'Subscription';
  if (isObj(fragment.notification)) {
    for (const [k, v] of Object.entries(fragment.notification)) {
      if (v === null) return badRequest(`notification.${k}: cannot be set to null`);
    }
  }
  // expiresAt only has to lie in the future when the fragment sets it
  const keepExpiry = fragment.expiresAt === undefined ? merged.expiresAt : undefined;
  if (keepExpiry !== undefined) delete merged.expiresAt;
  const parsed = parseSubscription(merged, terms, {
    now,
    id: current.id,
    context: context ?? current.context,
  });
  if (!parsed.ok) return parsed;
  if (keepExpiry !== undefined) parsed.value.expiresAt = keepExpiry as string;
  return ok({ ...parsed.value, createdAt: current.createdAt, modifiedAt: now });
}

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
        for (const m of Array.isArray(member) ? member : [member]) if (isObj(m)) m.deletedAt = now;
      }
    }
  } else if (n.sysAttrs && n.format !== 'keyValues') {
    for (const name of deletedNames) {
      const member = out[terms.compact(name)];
      for (const m of Array.isArray(member) ? member : [member])
        if (isObj(m) && m.value === NGSI_LD_NULL_VALUE) m.deletedAt = now;
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
