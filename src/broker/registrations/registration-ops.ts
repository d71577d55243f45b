/**
 * Context source registration operations (ETSI GS CIM 009 v1.8, clause 5.9 registration, 5.10
 * discovery): create, update, delete, retrieve and query registrations. Inputs are parsed by
 * ngsi/; changes go to the listeners (registration subscriptions) after they are stored.
 */
import { randomUUID } from 'node:crypto';
import {
  type CSourceRegistration,
  type Entity,
  evaluateGeoQuery,
  evaluateQ,
  fail,
  type GeoJsonGeometry,
  type GeoQuery,
  isRegistrationLive,
  matchingInformation,
  ok,
  type QNode,
  type RegistrationFilter,
  type RegistrationInfo,
  type Result,
  registrationProperties,
} from '../../ngsi/index.ts';
import type { Store, Tenant } from '../../store/index.ts';

/** A temporal query on registrations (clause 5.10.2): matched against observation or management interval. */
export interface IntervalQuery {
  timerel: 'before' | 'after' | 'between';
  timeAtMs: number;
  endTimeAtMs?: number;
  timeproperty: 'observedAt' | 'createdAt' | 'modifiedAt';
}

export interface RegistrationQuery {
  filter: RegistrationFilter;
  /** csf, expanded: a q over the registration's context source properties */
  csf?: QNode;
  geoQ?: GeoQuery;
  temporal?: IntervalQuery;
  limit: number;
  offset: number;
  count?: boolean;
}

export interface RegistrationChange {
  before?: CSourceRegistration;
  after?: CSourceRegistration;
}

export type RegistrationListener = (tenant: Tenant, change: RegistrationChange) => void;

export type RegistrationDraft = Partial<CSourceRegistration> & { removed: string[] };

function overlaps(interval: { startAt: string; endAt?: string } | undefined, t: IntervalQuery): boolean {
  if (!interval) return false;
  const start = Date.parse(interval.startAt);
  const end = interval.endAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(interval.endAt);
  if (t.timerel === 'before') return start < t.timeAtMs;
  if (t.timerel === 'after') return end > t.timeAtMs;
  return start < (t.endTimeAtMs ?? Number.POSITIVE_INFINITY) && end > t.timeAtMs;
}

/** A registration's context source properties seen as an entity, so ngsi/'s q evaluator applies (csf). */
function propertiesEntity(reg: CSourceRegistration): Entity {
  const attrs: Entity['attrs'] = {};
  for (const [name, value] of Object.entries(registrationProperties(reg))) {
    attrs[name] = [{ type: 'Property', value }];
  }
  return { id: reg.id, type: [], attrs };
}

/**
 * Whether a registration answers a discovery query (clause 5.12): at least one RegistrationInfo
 * matches, the csf holds on its properties, its location satisfies the geo-query, and its
 * interval the temporal query. Without a temporal query only registrations of sources that
 * provide latest information (no observation or management interval) are considered.
 */
export function registrationMatches(
  reg: CSourceRegistration,
  q: Omit<RegistrationQuery, 'limit' | 'offset'>,
): RegistrationInfo[] | undefined {
  const infos = matchingInformation(reg, q.filter);
  if (infos.length === 0) return undefined;
  if (q.temporal) {
    const interval =
      q.temporal.timeproperty === 'observedAt' ? reg.observationInterval : reg.managementInterval;
    if (!overlaps(interval, q.temporal)) return undefined;
  } else if (reg.observationInterval || reg.managementInterval) return undefined;
  if (q.csf && !evaluateQ(q.csf, propertiesEntity(reg))) return undefined;
  if (q.geoQ) {
    const target = registrationProperties(reg)[q.geoQ.geoproperty] as GeoJsonGeometry | undefined;
    if (!target || !evaluateGeoQuery(q.geoQ, target)) return undefined;
  }
  return infos;
}

export interface RegistrationBrokerOptions {
  store: Store;
  now?: () => Date;
}

export type RegistrationBroker = ReturnType<typeof createRegistrationBroker>;

const REQUIRED = ['information', 'endpoint'] as const;

export function createRegistrationBroker(options: RegistrationBrokerOptions) {
  const store = options.store.registrations;
  const clock = options.now ?? (() => new Date());
  const listeners: RegistrationListener[] = [];
  const emit = (tenant: Tenant, change: RegistrationChange) => {
    for (const l of listeners) l(tenant, change);
  };
  const notFound = (id: string): Result<never> =>
    fail('ResourceNotFound', `context source registration '${id}' not found`);

  return {
    onChange(listener: RegistrationListener): void {
      listeners.push(listener);
    },

    /** clause 5.9.2 Register Context Source: returns the id (generated when the body has none) */
    async createRegistration(tenant: Tenant, draft: RegistrationDraft): Promise<Result<string>> {
      const now = clock().toISOString();
      const { removed: _removed, ...fields } = draft;
      for (const m of REQUIRED)
        if (fields[m] === undefined)
          return fail('BadRequestData', `csourceRegistration: member '${m}' is missing`);
      const reg: CSourceRegistration = {
        ...(fields as CSourceRegistration),
        id: fields.id ?? `urn:ngsi-ld:ContextSourceRegistration:${randomUUID()}`,
        mode: fields.mode ?? 'inclusive',
        operations: fields.operations ?? ['federationOps'],
        properties: fields.properties ?? {},
        createdAt: now,
        modifiedAt: now,
      };
      if (!(await store.createRegistration(tenant, reg)))
        return fail('AlreadyExists', `context source registration '${reg.id}' already exists`);
      emit(tenant, { after: reg });
      return ok(reg.id);
    },

    /** clause 5.10.1 Retrieve Context Source Registration */
    async retrieveRegistration(tenant: Tenant, id: string): Promise<Result<CSourceRegistration>> {
      const reg = await store.getRegistration(tenant, id);
      return reg ? ok(reg) : notFound(id);
    },

    /** clause 5.9.3 Update Context Source Registration: the fragment's members replace the registration's */
    async updateRegistration(tenant: Tenant, id: string, draft: RegistrationDraft): Promise<Result<void>> {
      const before = await store.getRegistration(tenant, id);
      if (!before) return notFound(id);
      if (draft.id !== undefined && draft.id !== id)
        return fail('BadRequestData', `the fragment's id '${draft.id}' differs from '${id}'`);
      const { removed, properties, ...fields } = draft;
      const after: CSourceRegistration = {
        ...before,
        ...fields,
        id,
        properties: { ...before.properties, ...properties },
        modifiedAt: clock().toISOString(),
      };
      for (const member of removed) delete (after as unknown as Record<string, unknown>)[member];
      if (!(await store.replaceRegistration(tenant, after))) return notFound(id);
      emit(tenant, { before, after });
      return ok(undefined);
    },

    /** clause 5.9.4 Delete Context Source Registration */
    async deleteRegistration(tenant: Tenant, id: string): Promise<Result<void>> {
      const before = await store.getRegistration(tenant, id);
      if (!before || !(await store.deleteRegistration(tenant, id))) return notFound(id);
      emit(tenant, { before });
      return ok(undefined);
    },

    /** clause 5.10.2 Query Context Source Registrations, in creation order */
    async queryRegistrations(
      tenant: Tenant,
      query: RegistrationQuery,
    ): Promise<{ registrations: CSourceRegistration[]; count: number }> {
      const now = clock().toISOString();
      const all = (await store.listRegistrations(tenant)).filter(
        (r) => isRegistrationLive(r, now) && registrationMatches(r, query),
      );
      return { registrations: all.slice(query.offset, query.offset + query.limit), count: all.length };
    },

    /** Registrations in force, for forwarding (clause 4.3.6) */
    async liveRegistrations(tenant: Tenant): Promise<CSourceRegistration[]> {
      const now = clock().toISOString();
      return (await store.listRegistrations(tenant)).filter((r) => isRegistrationLive(r, now));
    },
  };
}
