/**
 * Context source registration subscriptions (ETSI GS CIM 009 v1.8, clause 5.11, data type of
 * clause 5.2.12): parsing a body or an update fragment, deciding which registrations a
 * subscription matches, and the subscription as a client sees it.
 */
import { randomUUID } from 'node:crypto';
import {
  type CSourceRegistration,
  type CSourceSubscription,
  compactRegistration,
  type EntityInfo,
  expandQ,
  fail,
  isDateTime,
  isUri,
  LOCATION,
  matchingInformation,
  ok,
  parseGeoQ,
  parseQ,
  type RegistrationInfo,
  type Result,
  type TermMap,
} from '../../ngsi/index.ts';
import { type IntervalQuery, registrationMatches } from './registration-ops.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const bad = (detail: string): Result<never> => fail('BadRequestData', `csourceSubscription: ${detail}`);

const FORMATS = new Set(['normalized', 'keyValues', 'simplified', 'concise']);
const ACCEPTS = new Set(['application/json', 'application/ld+json']);

function parseEntities(value: unknown, terms: TermMap): Result<EntityInfo[]> {
  if (!Array.isArray(value) || value.length === 0) return bad('entities must be a non-empty array');
  const out: EntityInfo[] = [];
  for (const [i, e] of value.entries()) {
    if (!isObject(e) || typeof e.type !== 'string' || e.type === '')
      return bad(`entities[${i}].type is required`);
    const info: EntityInfo = { type: [terms.expand(e.type)] };
    if (e.id !== undefined) {
      if (!isUri(e.id)) return bad(`entities[${i}].id '${String(e.id)}' is not a URI`);
      info.id = e.id;
    }
    if (e.idPattern !== undefined) {
      if (typeof e.idPattern !== 'string') return bad(`entities[${i}].idPattern must be a string`);
      try {
        new RegExp(e.idPattern);
      } catch {
        return bad(`entities[${i}].idPattern is not a valid regular expression`);
      }
      info.idPattern = e.idPattern;
    }
    out.push(info);
  }
  return ok(out);
}

function parseNotification(
  value: unknown,
  terms: TermMap,
  previous?: CSourceSubscription['notification'],
): Result<CSourceSubscription['notification']> {
  if (!isObject(value)) return bad('notification must be an object');
  const endpoint = value.endpoint;
  if (!isObject(endpoint) || !isUri(endpoint.uri))
    return bad('notification.endpoint.uri is required and must be a URI');
  const accept = endpoint.accept ?? 'application/json';
  if (typeof accept !== 'string' || !ACCEPTS.has(accept))
    return bad(`notification.endpoint.accept '${String(accept)}' is not supported`);
  const format = value.format ?? 'normalized';
  if (typeof format !== 'string' || !FORMATS.has(format))
    return bad(`notification.format '${String(format)}' is not supported`);
  const n: CSourceSubscription['notification'] = {
    format,
    endpoint: { uri: endpoint.uri, accept },
    timesSent: previous?.timesSent ?? 0,
    timesFailed: previous?.timesFailed ?? 0,
  };
  for (const key of ['status', 'lastNotification', 'lastSuccess', 'lastFailure'] as const)
    if (previous?.[key] !== undefined) (n as unknown as Record<string, unknown>)[key] = previous[key];
  if (value.attributes !== undefined) {
    if (!Array.isArray(value.attributes) || value.attributes.some((a) => typeof a !== 'string'))
      return bad('notification.attributes must be a list of names');
    n.attributes = (value.attributes as string[]).map((a) => terms.expand(a));
  }
  return ok(n);
}

export interface ParseCSourceSubscriptionOptions {
  now: string;
  context?: unknown;
  /** the subscription an update fragment applies to (clause 5.11.3) */
  current?: CSourceSubscription;
}

/**
 * A subscription body (clause 5.11.2), or an update fragment merged into `current` (clause
 * 5.11.3), checked against clause 5.2.12: type Subscription, a notification with an endpoint,
 * entities or watchedAttributes, a valid csf and geoQ, expiresAt in the future.
 */
export function parseCSourceSubscription(
  body: unknown,
  terms: TermMap,
  options: ParseCSourceSubscriptionOptions,
): Result<CSourceSubscription> {
  if (!isObject(body)) return bad('the body must be a JSON object');
  const current = options.current;
  if ((body.type !== undefined || !current) && body.type !== 'Subscription')
    return bad(`type must be 'Subscription', got '${String(body.type)}'`);
  if (body.id !== undefined && !isUri(body.id)) return bad(`id '${String(body.id)}' is not a URI`);
  if (current && body.id !== undefined && body.id !== current.id)
    return bad(`the fragment's id '${String(body.id)}' differs from '${current.id}'`);
  const sub: CSourceSubscription = current
    ? { ...current, modifiedAt: options.now }
    : {
        id: (body.id as string | undefined) ?? `urn:ngsi-ld:Subscription:${randomUUID()}`,
        isActive: true,
        notification: {
          format: 'normalized',
          endpoint: { uri: '', accept: 'application/json' },
          timesSent: 0,
          timesFailed: 0,
        },
        createdAt: options.now,
        modifiedAt: options.now,
      };
  if (options.context !== undefined) sub.context = options.context;
  for (const member of ['subscriptionName', 'description'] as const) {
    if (body[member] === undefined) continue;
    if (typeof body[member] !== 'string') return bad(`${member} must be a string`);
    sub[member] = body[member];
  }
  if (body.entities !== undefined) {
    const e = parseEntities(body.entities, terms);
    if (!e.ok) return e;
    sub.entities = e.value;
  }
  if (body.watchedAttributes !== undefined) {
    const w = body.watchedAttributes;
    if (!Array.isArray(w) || w.length === 0 || w.some((a) => typeof a !== 'string' || a === ''))
      return bad('watchedAttributes must be a non-empty list of names');
    sub.watchedAttributes = (w as string[]).map((a) => terms.expand(a));
  }
  if (!sub.entities && !sub.watchedAttributes)
    return bad('at least one of entities and watchedAttributes is required');
  // q filters entities, which a registration has none of: registrations are filtered by csf
  if (body.q !== undefined)
    return bad('q does not apply to registration subscriptions; filter on registration properties with csf');
  if (body.csf !== undefined) {
    if (typeof body.csf !== 'string') return bad('csf must be a string');
    const parsed = parseQ(body.csf);
    if (!parsed.ok) return parsed;
    sub.csf = body.csf;
  }
  if (body.geoQ !== undefined) {
    const g = parseGeoQ(body.geoQ, (n) => (n === 'location' ? LOCATION : terms.expand(n)));
    if (!g.ok) return g;
    sub.geoQ = body.geoQ as CSourceSubscription['geoQ'];
  }
  if (body.temporalQ !== undefined) {
    const t = body.temporalQ;
    if (
      !isObject(t) ||
      !['before', 'after', 'between'].includes(t.timerel as string) ||
      !isDateTime(t.timeAt)
    ) {
      return bad('temporalQ needs timerel (before, after, between) and timeAt');
    }
    if (t.timerel === 'between' && !isDateTime(t.endTimeAt)) return bad('temporalQ: between needs endTimeAt');
    sub.temporalQ = t as CSourceSubscription['temporalQ'];
  }
  if (body.timeInterval !== undefined) {
    if (typeof body.timeInterval !== 'number' || !(body.timeInterval > 0))
      return bad('timeInterval must be a positive number of seconds');
    sub.timeInterval = body.timeInterval;
  }
  if (body.isActive !== undefined) {
    if (typeof body.isActive !== 'boolean') return bad('isActive must be a boolean');
    sub.isActive = body.isActive;
  }
  if (body.expiresAt !== undefined) {
    if (body.expiresAt === null && current) delete sub.expiresAt;
    else if (!isDateTime(body.expiresAt))
      return bad(`expiresAt '${String(body.expiresAt)}' is not a date-time`);
    else if (!current && Date.parse(body.expiresAt) <= Date.parse(options.now))
      return bad(`expiresAt ${body.expiresAt} is in the past`);
    else sub.expiresAt = body.expiresAt;
  }
  if (body.notification !== undefined || !current) {
    if (body.notification === undefined) return bad('member notification is missing');
    const n = parseNotification(body.notification, terms, current?.notification);
    if (!n.ok) return n;
    sub.notification = n.value;
  }
  return ok(sub);
}

export function csourceSubscriptionStatus(
  sub: CSourceSubscription,
  now: string,
): 'active' | 'paused' | 'expired' {
  if (sub.expiresAt !== undefined && Date.parse(sub.expiresAt) <= Date.parse(now)) return 'expired';
  return sub.isActive ? 'active' : 'paused';
}

/**
 * The RegistrationInfo elements of `reg` relevant to `sub` (clause 5.11.2: a notification
 * carries only the matching information), or undefined when the registration does not match.
 */
export function subscriptionMatches(
  sub: CSourceSubscription,
  reg: CSourceRegistration,
  terms: TermMap,
): RegistrationInfo[] | undefined {
  const types = sub.entities?.flatMap((e) => e.type);
  const candidates = sub.entities
    ? sub.entities.flatMap((e) =>
        matchingInformation(reg, {
          types: e.type,
          ids: e.id ? [e.id] : undefined,
          idPattern: e.idPattern,
          attrs: sub.watchedAttributes,
        }),
      )
    : matchingInformation(reg, { types, attrs: sub.watchedAttributes });
  const infos = reg.information.filter((i) => candidates.includes(i));
  if (infos.length === 0) return undefined;
  let temporal: IntervalQuery | undefined;
  if (sub.temporalQ) {
    const t = sub.temporalQ;
    temporal = {
      timerel: t.timerel,
      timeAtMs: Date.parse(t.timeAt),
      endTimeAtMs: t.endTimeAt ? Date.parse(t.endTimeAt) : undefined,
      timeproperty: (t.timeproperty ?? 'observedAt') as IntervalQuery['timeproperty'],
    };
  }
  const csf = sub.csf ? parseQ(sub.csf) : undefined;
  const geo = sub.geoQ
    ? parseGeoQ(sub.geoQ, (n) => (n === 'location' ? LOCATION : terms.expand(n)))
    : undefined;
  const matched = registrationMatches(reg, {
    filter: {},
    temporal,
    csf: csf?.ok ? expandQ(csf.value, (n) => terms.expand(n)) : undefined,
    geoQ: geo?.ok ? geo.value : undefined,
  });
  return matched ? infos : undefined;
}

/** The subscription as a client sees it (clause 5.11.4), names compacted. */
export function compactCSourceSubscription(
  sub: CSourceSubscription,
  terms: TermMap,
  now: string,
  context?: unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: sub.id, type: 'Subscription' };
  for (const member of ['subscriptionName', 'description'] as const)
    if (sub[member] !== undefined) out[member] = sub[member];
  if (sub.entities) {
    out.entities = sub.entities.map((e) => {
      const c: Record<string, unknown> = {};
      if (e.id) c.id = e.id;
      if (e.idPattern) c.idPattern = e.idPattern;
      c.type = terms.compact(e.type[0]);
      return c;
    });
  }
  if (sub.watchedAttributes) out.watchedAttributes = sub.watchedAttributes.map((a) => terms.compact(a));
  if (sub.csf !== undefined) out.csf = sub.csf;
  if (sub.geoQ) out.geoQ = sub.geoQ;
  if (sub.temporalQ) out.temporalQ = sub.temporalQ;
  if (sub.timeInterval !== undefined) out.timeInterval = sub.timeInterval;
  if (sub.expiresAt) out.expiresAt = sub.expiresAt;
  out.isActive = sub.isActive;
  out.status = csourceSubscriptionStatus(sub, now);
  const { attributes, ...notification } = sub.notification;
  out.notification = attributes
    ? { ...notification, attributes: attributes.map((a) => terms.compact(a)) }
    : notification;
  if (context !== undefined) out['@context'] = context;
  return out;
}

/** A registration as notified to `sub`: only its matching information (clause 5.11.2). */
export function notifiedRegistration(
  reg: CSourceRegistration,
  infos: RegistrationInfo[],
  terms: TermMap,
): Record<string, unknown> {
  return compactRegistration({ ...reg, information: infos }, terms);
}
