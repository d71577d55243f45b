/**
 * Subscriptions (ETSI GS CIM 009 v1.8, clauses 5.2.12 Subscription, 5.2.14 NotificationParams,
 * 5.2.15 Endpoint, 5.8 operations): parsing a request body into a normal form with expanded
 * names, compacting it back, updating it, and its status. Whether a change triggers one and what
 * its notification carries is notification.ts. Pure: time and ids come in as arguments.
 */
import type { TermMap } from './context.ts';
import { isJsonObject } from './entity.ts';
import type { Format } from './entity-compactor.ts';
import { isDateTime, isUri } from './entity-parser.ts';
import { badRequest, ok, type Result } from './errors.ts';
import { parseGeoQ } from './geo-query.ts';
import { expandQ, parseQ } from './q-parser.ts';
import type { GeoQuery, QNode, TypeNode } from './query-ast.ts';
import { expandTypeQuery, parseTypeQuery } from './type-query.ts';

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
    if (!isJsonObject(kv) || typeof kv.key !== 'string' || kv.key === '' || typeof kv.value !== 'string') {
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
  if (!isJsonObject(v)) return badRequest(`${where}: must be an object`);
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
  if (!isJsonObject(v)) return badRequest('notification.endpoint: missing or not an object');
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
  if (!isJsonObject(v)) return badRequest('notification: missing or not an object (clause 5.2.12)');
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
  if (!isJsonObject(body)) return badRequest('the body must be a JSON object');
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
  if (!isJsonObject(fragment)) return badRequest('the body must be a JSON object');
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
  if (isJsonObject(fragment.notification)) {
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
