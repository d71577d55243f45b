/**
 * Context source registrations (ETSI GS CIM 009 v1.8, clause 5.2.9 CSourceRegistration, 5.2.10
 * RegistrationInfo, 5.2.8 EntityInfo, 4.3.6 distributed operations): parsing a request body into
 * the normal form (type names and attribute names expanded), compacting it back, and the pure
 * matching that registration discovery (clause 5.10.2, 5.12) and forwarding (clause 4.3.6.3) need.
 */
import type { TermMap } from './context.ts';
import { isJsonObject, LOCATION, NGSI_LD } from './entity.ts';
import { isDateTime, isUri } from './entity-parser.ts';
import { fail, ok, type Result } from './errors.ts';
import { validateGeometry } from './geojson.ts';
import type { GeoJsonGeometry } from './query-ast.ts';

/** Registration modes (clause 4.3.6.2): how a source's information combines with the broker's. */
export const REGISTRATION_MODES = ['inclusive', 'exclusive', 'redirect', 'auxiliary'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/**
 * Operation groups (clause 4.3.6.4, table "Context Source Registration operation groups"): a
 * registration may name a group instead of listing the operations one by one.
 */
export const OPERATION_GROUPS: Readonly<Record<string, readonly string[]>> = {
  federationOps: [
    'retrieveEntity',
    'queryEntity',
    'queryBatch',
    'retrieveEntityTypes',
    'retrieveEntityTypeDetails',
    'retrieveEntityTypeInfo',
    'retrieveAttrTypes',
    'retrieveAttrTypeDetails',
    'retrieveAttrTypeInfo',
    'createSubscription',
    'updateSubscription',
    'retrieveSubscription',
    'querySubscription',
    'deleteSubscription',
  ],
  updateOps: ['updateEntity', 'updateAttrs', 'replaceEntity', 'replaceAttrs'],
  retrieveOps: ['retrieveEntity', 'queryEntity'],
  redirectionOps: [
    'createEntity',
    'updateAttrs',
    'appendAttrs',
    'deleteAttrs',
    'deleteEntity',
    'mergeEntity',
    'replaceEntity',
    'replaceAttrs',
    'createBatch',
    'upsertBatch',
    'updateBatch',
    'deleteBatch',
    'mergeBatch',
    'upsertTemporal',
    'appendAttrsTemporal',
    'deleteAttrsTemporal',
    'deleteAttrInstanceTemporal',
    'deleteTemporal',
    'retrieveEntity',
    'queryEntity',
    'queryBatch',
    'retrieveTemporal',
    'queryTemporal',
    'retrieveEntityTypes',
    'retrieveEntityTypeDetails',
    'retrieveEntityTypeInfo',
    'retrieveAttrTypes',
    'retrieveAttrTypeDetails',
    'retrieveAttrTypeInfo',
    'createSubscription',
    'updateSubscription',
    'retrieveSubscription',
    'querySubscription',
    'deleteSubscription',
  ],
};

const OPERATIONS = new Set(Object.values(OPERATION_GROUPS).flat());

/** EntityInfo (clause 5.2.8): `type` expanded; at most one of id and idPattern. */
export interface EntityInfo {
  id?: string;
  idPattern?: string;
  type: string[];
}

/** RegistrationInfo (clause 5.2.10): names expanded; an absent list means "all". */
export interface RegistrationInfo {
  entities?: EntityInfo[];
  propertyNames?: string[];
  relationshipNames?: string[];
}

export interface TimeInterval {
  startAt: string;
  endAt?: string;
}

/** A CSourceRegistration in normal form (clause 5.2.9). */
export interface CSourceRegistration {
  id: string;
  registrationName?: string;
  description?: string;
  information: RegistrationInfo[];
  tenant?: string;
  observationInterval?: TimeInterval;
  managementInterval?: TimeInterval;
  location?: GeoJsonGeometry;
  observationSpace?: GeoJsonGeometry;
  operationSpace?: GeoJsonGeometry;
  expiresAt?: string;
  endpoint: string;
  contextSourceInfo?: Array<{ key: string; value: string }>;
  scope?: string[];
  mode: RegistrationMode;
  /** as registered: operation names and operation groups */
  operations: string[];
  refreshRate?: string;
  management?: Record<string, unknown>;
  createdAt?: string;
  modifiedAt?: string;
  /** other members: context source properties by expanded name, values as sent */
  properties: Record<string, unknown>;
}

const CORE_MEMBERS = new Set([
  'id',
  'type',
  '@context',
  'registrationName',
  'description',
  'information',
  'tenant',
  'observationInterval',
  'managementInterval',
  'location',
  'observationSpace',
  'operationSpace',
  'expiresAt',
  'endpoint',
  'contextSourceInfo',
  'scope',
  'mode',
  'operations',
  'refreshRate',
  'management',
  'createdAt',
  'modifiedAt',
  'status',
]);

const bad = (detail: string): Result<never> => fail('BadRequestData', `csourceRegistration: ${detail}`);

function nameList(value: unknown, member: string, terms: TermMap): Result<string[]> {
  if (!Array.isArray(value) || value.length === 0 || value.some((n) => typeof n !== 'string' || n === '')) {
    return bad(`${member} must be a non-empty array of names`);
  }
  return ok((value as string[]).map((n) => terms.expand(n)));
}

function parseEntityInfo(value: unknown, where: string, terms: TermMap): Result<EntityInfo> {
  if (!isJsonObject(value)) return bad(`${where} must be an object`);
  const types = Array.isArray(value.type) ? value.type : [value.type];
  if (
    value.type === undefined ||
    types.length === 0 ||
    types.some((t) => typeof t !== 'string' || t === '')
  ) {
    return bad(`${where}.type is required and must be a name or a list of names`);
  }
  const info: EntityInfo = { type: (types as string[]).map((t) => terms.expand(t)) };
  if (value.id !== undefined && value.idPattern !== undefined)
    return bad(`${where} has both id and idPattern`);
  if (value.id !== undefined) {
    if (!isUri(value.id)) return bad(`${where}.id '${String(value.id)}' is not a URI`);
    info.id = value.id;
  }
  if (value.idPattern !== undefined) {
    if (typeof value.idPattern !== 'string') return bad(`${where}.idPattern must be a string`);
    try {
      new RegExp(value.idPattern);
    } catch {
      return bad(`${where}.idPattern '${value.idPattern}' is not a valid regular expression`);
    }
    info.idPattern = value.idPattern;
  }
  return ok(info);
}

function parseInformation(value: unknown, terms: TermMap): Result<RegistrationInfo[]> {
  if (!Array.isArray(value) || value.length === 0)
    return bad('information must be a non-empty array of RegistrationInfo');
  const out: RegistrationInfo[] = [];
  for (const [i, raw] of value.entries()) {
    const where = `information[${i}]`;
    if (!isJsonObject(raw)) return bad(`${where} must be an object`);
    const info: RegistrationInfo = {};
    if (raw.entities !== undefined) {
      if (!Array.isArray(raw.entities) || raw.entities.length === 0)
        return bad(`${where}.entities must be a non-empty array`);
      info.entities = [];
      for (const [j, e] of raw.entities.entries()) {
        const parsed = parseEntityInfo(e, `${where}.entities[${j}]`, terms);
        if (!parsed.ok) return parsed;
        info.entities.push(parsed.value);
      }
    }
    for (const member of ['propertyNames', 'relationshipNames'] as const) {
      if (raw[member] === undefined) continue;
      const names = nameList(raw[member], `${where}.${member}`, terms);
      if (!names.ok) return names;
      info[member] = names.value;
    }
    if (!info.entities && !info.propertyNames && !info.relationshipNames) {
      return bad(`${where} needs at least one of entities, propertyNames, relationshipNames`);
    }
    out.push(info);
  }
  return ok(out);
}

function parseInterval(value: unknown, member: string): Result<TimeInterval> {
  if (!isJsonObject(value) || !isDateTime(value.startAt)) return bad(`${member}.startAt must be a date-time`);
  if (value.endAt !== undefined && !isDateTime(value.endAt))
    return bad(`${member}.endAt must be a date-time`);
  if (value.endAt !== undefined && Date.parse(value.endAt as string) < Date.parse(value.startAt))
    return bad(`${member} ends before it starts`);
  const interval: TimeInterval = { startAt: value.startAt };
  if (value.endAt !== undefined) interval.endAt = value.endAt as string;
  return ok(interval);
}

/** A geometry member: a GeoJSON geometry, or a GeoProperty holding one. */
function parseGeometry(value: unknown, member: string): Result<GeoJsonGeometry> {
  const geometry = isJsonObject(value) && value.type === 'GeoProperty' ? value.value : value;
  const valid = validateGeometry(geometry, `csourceRegistration: ${member}`);
  return valid.ok ? valid : fail('BadRequestData', valid.problem.detail);
}

export interface ParseRegistrationOptions {
  /** the clock, as an ISO date-time: expiresAt must be after it (clause 5.9.2) */
  now: string;
  /** an update fragment (clause 5.9.3): every member optional */
  partial?: boolean;
}

/**
 * Parses a CSourceRegistration body (clause 5.2.9), or the fragment of an update (clause 5.9.3,
 * `partial`), into the normal form. A fragment's `null` removes an optional member (expiresAt).
 *
 * @example
 * parseRegistration({ id: 'urn:r:1', type: 'ContextSourceRegistration', information: [{ entities: [{ type: 'Vehicle' }] }],
 *   endpoint: 'http://cs.example:1026' }, TermMap.core(), { now: new Date().toISOString() });
 */
export function parseRegistration(
  body: unknown,
  terms: TermMap,
  options: ParseRegistrationOptions,
): Result<Partial<CSourceRegistration> & { removed: string[] }> {
  if (!isJsonObject(body)) return bad('the body must be a JSON object');
  const partial = options.partial ?? false;
  const reg: Partial<CSourceRegistration> & { removed: string[] } = { properties: {}, removed: [] };
  if (body.id !== undefined) {
    if (!isUri(body.id)) return bad(`id '${String(body.id)}' is not a URI`);
    reg.id = body.id;
  }
  if (body.type !== undefined || !partial) {
    if (body.type !== 'ContextSourceRegistration')
      return bad(`type must be 'ContextSourceRegistration', got '${String(body.type)}'`);
  }
  if (body.information !== undefined || !partial) {
    const info = parseInformation(body.information, terms);
    if (!info.ok) return info;
    reg.information = info.value;
  }
  if (body.endpoint !== undefined || !partial) {
    if (!isUri(body.endpoint) || !/^https?:\/\//.test(body.endpoint))
      return bad(`endpoint '${String(body.endpoint)}' must be an http(s) URI`);
    reg.endpoint = body.endpoint;
  }
  for (const member of ['registrationName', 'description', 'tenant', 'refreshRate'] as const) {
    if (body[member] === undefined) continue;
    if (body[member] === null && partial) reg.removed.push(member);
    else if (typeof body[member] !== 'string') return bad(`${member} must be a string`);
    else reg[member] = body[member];
  }
  if (body.mode !== undefined) {
    if (!REGISTRATION_MODES.includes(body.mode as RegistrationMode))
      return bad(`mode '${String(body.mode)}' is not one of ${REGISTRATION_MODES.join(', ')}`);
    reg.mode = body.mode as RegistrationMode;
  } else if (!partial) reg.mode = 'inclusive';
  if (body.operations !== undefined) {
    const ops = body.operations;
    if (!Array.isArray(ops) || ops.length === 0) return bad('operations must be a non-empty array');
    for (const op of ops) {
      if (typeof op !== 'string' || !(OPERATIONS.has(op) || op in OPERATION_GROUPS))
        return bad(`operations: unknown operation '${String(op)}'`);
    }
    reg.operations = ops as string[];
  } else if (!partial) reg.operations = ['federationOps'];
  if (body.expiresAt !== undefined) {
    if (body.expiresAt === null && partial) reg.removed.push('expiresAt');
    else if (!isDateTime(body.expiresAt))
      return bad(`expiresAt '${String(body.expiresAt)}' is not a date-time`);
    else if (Date.parse(body.expiresAt) <= Date.parse(options.now))
      return bad(`expiresAt ${body.expiresAt} is in the past`);
    else reg.expiresAt = body.expiresAt;
  }
  for (const member of ['observationInterval', 'managementInterval'] as const) {
    if (body[member] === undefined) continue;
    const interval = parseInterval(body[member], member);
    if (!interval.ok) return interval;
    reg[member] = interval.value;
  }
  for (const member of ['location', 'observationSpace', 'operationSpace'] as const) {
    if (body[member] === undefined) continue;
    const geometry = parseGeometry(body[member], member);
    if (!geometry.ok) return geometry;
    reg[member] = geometry.value;
  }
  if (body.contextSourceInfo !== undefined) {
    const csi = body.contextSourceInfo;
    if (
      !Array.isArray(csi) ||
      csi.some((kv) => !isJsonObject(kv) || typeof kv.key !== 'string' || typeof kv.value !== 'string')
    ) {
      return bad('contextSourceInfo must be an array of {key, value} strings');
    }
    reg.contextSourceInfo = (csi as Array<{ key: string; value: string }>).map(({ key, value }) => ({
      key,
      value,
    }));
  }
  if (body.scope !== undefined) {
    const scopes = Array.isArray(body.scope) ? body.scope : [body.scope];
    if (scopes.some((s) => typeof s !== 'string' || !s.startsWith('/')))
      return bad('scope must be one or more scopes starting with /');
    reg.scope = scopes as string[];
  }
  if (body.management !== undefined) {
    if (!isJsonObject(body.management)) return bad('management must be an object');
    reg.management = body.management;
  }
  for (const [key, value] of Object.entries(body)) {
    if (CORE_MEMBERS.has(key)) continue;
    reg.properties![terms.expand(key)] = value;
  }
  return ok(reg);
}

/** The registration as a client sees it: names compacted with the request's term map. */
export function compactRegistration(
  reg: CSourceRegistration,
  terms: TermMap,
  options: { sysAttrs?: boolean; context?: unknown } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: reg.id, type: 'ContextSourceRegistration' };
  for (const member of ['registrationName', 'description'] as const)
    if (reg[member] !== undefined) out[member] = reg[member];
  out.information = reg.information.map((info) => {
    const o: Record<string, unknown> = {};
    if (info.entities) {
      o.entities = info.entities.map((e) => {
        const c: Record<string, unknown> = {};
        if (e.id !== undefined) c.id = e.id;
        if (e.idPattern !== undefined) c.idPattern = e.idPattern;
        const types = e.type.map((t) => terms.compact(t));
        c.type = types.length === 1 ? types[0] : types;
        return c;
      });
    }
    if (info.propertyNames) o.propertyNames = info.propertyNames.map((n) => terms.compact(n));
    if (info.relationshipNames) o.relationshipNames = info.relationshipNames.map((n) => terms.compact(n));
    return o;
  });
  for (const member of [
    'tenant',
    'observationInterval',
    'managementInterval',
    'location',
    'observationSpace',
    'operationSpace',
    'expiresAt',
    'endpoint',
    'contextSourceInfo',
    'scope',
    'mode',
    'operations',
    'refreshRate',
    'management',
  ] as const) {
    if (reg[member] !== undefined) out[member] = reg[member];
  }
  for (const [name, value] of Object.entries(reg.properties)) out[terms.compact(name)] = value;
  if (options.sysAttrs) {
    if (reg.createdAt) out.createdAt = reg.createdAt;
    if (reg.modifiedAt) out.modifiedAt = reg.modifiedAt;
  }
  if (options.context !== undefined) out['@context'] = options.context;
  return out;
}

/** The operations a registration allows, its groups expanded. */
export function registeredOperations(reg: Pick<CSourceRegistration, 'operations'>): Set<string> {
  const out = new Set<string>();
  for (const op of reg.operations) for (const o of OPERATION_GROUPS[op] ?? [op]) out.add(o);
  return out;
}

/** The registration is in force at `now` (clause 5.2.9 expiresAt). */
export function isRegistrationLive(reg: Pick<CSourceRegistration, 'expiresAt'>, now: string): boolean {
  return reg.expiresAt === undefined || Date.parse(reg.expiresAt) > Date.parse(now);
}

/** What a request selects, expanded: the entities it may touch and the attributes it asks for. */
export interface RegistrationFilter {
  /** expanded types; an entity info matches if it lists one of them */
  types?: string[];
  ids?: string[];
  idPattern?: string;
  /** expanded attribute names */
  attrs?: string[];
}

function entityInfoMatches(e: EntityInfo, f: RegistrationFilter): boolean {
  if (f.types && !e.type.some((t) => f.types!.includes(t))) return false;
  if (f.ids && f.ids.length > 0) {
    if (e.id !== undefined) return f.ids.includes(e.id);
    if (e.idPattern !== undefined) {
      const re = new RegExp(e.idPattern);
      return f.ids.some((id) => re.test(id));
    }
    return true;
  }
  if (f.idPattern !== undefined && e.id !== undefined) return new RegExp(f.idPattern).test(e.id);
  return true;
}

/** The attribute names a RegistrationInfo covers, or undefined for "every attribute". */
export function registeredAttributes(info: RegistrationInfo): string[] | undefined {
  if (!info.propertyNames && !info.relationshipNames) return undefined;
  return [...(info.propertyNames ?? []), ...(info.relationshipNames ?? [])];
}

/**
 * The RegistrationInfo elements of `reg` that match a request (clause 4.3.6.3, 5.12): the entity
 * part matches by type and then id or idPattern; the attribute part matches when the info lists
 * none (all attributes) or one of the requested ones.
 */
export function matchingInformation(reg: CSourceRegistration, f: RegistrationFilter): RegistrationInfo[] {
  return reg.information.filter((info) => {
    // an info without entities describes attributes of any entity: it answers attribute
    // selections, not a request for entities of given types or ids (ETSI 037_05)
    if (!info.entities && (f.types || f.ids || f.idPattern)) return false;
    if (info.entities && !info.entities.some((e) => entityInfoMatches(e, f))) return false;
    if (f.attrs && f.attrs.length > 0) {
      const covered = registeredAttributes(info);
      if (covered && !covered.some((a) => f.attrs!.includes(a))) return false;
    }
    return true;
  });
}

/** True if an entity (id and expanded types) falls under one of the infos' entity parts. */
export function coversEntity(infos: RegistrationInfo[], id: string, types: string[]): boolean {
  return infos.some(
    (info) =>
      !info.entities ||
      info.entities.some(
        (e) =>
          e.type.some((t) => types.includes(t)) &&
          (e.id !== undefined
            ? e.id === id
            : e.idPattern !== undefined
              ? new RegExp(e.idPattern).test(id)
              : true),
      ),
  );
}

/** The registration's properties and location as an entity-like view, for q (csf) and geoQ. */
export function registrationProperties(reg: CSourceRegistration): Record<string, unknown> {
  const out: Record<string, unknown> = { ...reg.properties };
  if (reg.location) out[LOCATION] = reg.location;
  if (reg.observationSpace) out[`${NGSI_LD}observationSpace`] = reg.observationSpace;
  if (reg.operationSpace) out[`${NGSI_LD}operationSpace`] = reg.operationSpace;
  return out;
}

/** The notification part of a context source registration subscription (clause 5.2.14, 5.2.15). */
export interface CSourceNotificationParams {
  /** expanded attribute names to include in notified registrations */
  attributes?: string[];
  format: string;
  endpoint: { uri: string; accept: string; receiverInfo?: Array<{ key: string; value: string }> };
  status?: 'ok' | 'failed';
  timesSent: number;
  timesFailed: number;
  lastNotification?: string;
  lastSuccess?: string;
  lastFailure?: string;
}

/**
 * A context source registration subscription (clause 5.2.12 Subscription, as used by clause 5.11):
 * filters expanded, with the client's text of q and geoQ kept for echoing back.
 */
export interface CSourceSubscription {
  id: string;
  subscriptionName?: string;
  description?: string;
  entities?: EntityInfo[];
  watchedAttributes?: string[];
  /** csf (clause 4.3.6.5 context source filter) as sent, validated */
  csf?: string;
  geoQ?: { georel: string; geometry: string; coordinates: unknown; geoproperty?: string };
  temporalQ?: {
    timerel: 'before' | 'after' | 'between';
    timeAt: string;
    endTimeAt?: string;
    timeproperty?: string;
  };
  /** seconds between periodic notifications */
  timeInterval?: number;
  isActive: boolean;
  expiresAt?: string;
  notification: CSourceNotificationParams;
  /** the @context the subscription was created with: notifications are compacted with it */
  context?: unknown;
  createdAt: string;
  modifiedAt: string;
}
