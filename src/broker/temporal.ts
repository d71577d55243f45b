/**
 * Temporal operations (clause 5.6.11–5.6.16 provision, 5.7.3–5.7.4 consumption) over the
 * store's history. q and geoQ of a temporal query are evaluated on each entity's newest state
 * (its latest instance per attribute): "which sensors are in this district, and how did they
 * read last week".
 */
import {
  type Attribute,
  type Entity,
  type EntityQueryRefinement,
  fail,
  ok,
  type Result,
  refineEntity,
  type TemporalEntityInput,
  type TemporalInstance,
  type TypeNode,
} from '../ngsi/index.ts';
import type {
  AggregateBucket,
  AggregateMethod,
  Store,
  TemporalEntityRecord,
  Tenant,
  TimeFilter,
} from '../store/index.ts';

export interface TemporalQuery extends TimeFilter {
  ids?: string[];
  idPattern?: string;
  /** expanded types an entity must have one of (type expressions beyond OR are refined) */
  type?: TypeNode;
  attrs?: string[];
  datasetIds?: string[];
  refinement?: EntityQueryRefinement;
  lastN?: number;
  limit: number;
  offset: number;
  count?: boolean;
  aggregate?: { methods: AggregateMethod[]; periodMs: number };
}

export interface TemporalEntityResult {
  header: Entity;
  instances: TemporalInstance[];
  aggregates: AggregateBucket[];
  /** expanded attribute names whose instances did not all fit this page */
  truncated: Set<string>;
  /** attributes left without instances on this page only because their instances lie beyond its range */
  emptyAttributes: Record<string, Attribute['type']>;
}

/**
 * The time range a page of a temporal answer covers (clause 6.3.10): from `startMs` towards
 * `endMs` (backwards in time under lastN), with `size` the lastN asked for or '*'.
 */
export interface TemporalRange {
  startMs: number;
  endMs: number;
  size: number | '*';
}

/** Instances per attribute in one response before the answer is paginated (clause 6.3.10): a week of minute readings fits. */
export const MAX_INSTANCES_PER_ATTRIBUTE = 20_000;

export interface TemporalBrokerOptions {
  now?: () => Date;
  /** page size of temporal pagination, in instances per attribute (default MAX_INSTANCES_PER_ATTRIBUTE) */
  maxInstancesPerAttribute?: number;
}

function typeNames(node: TypeNode | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'type') return [node.name];
  if (node.kind === 'or' && node.children.every((c) => c.kind === 'type'))
    return node.children.map((c) => (c as { name: string }).name);
  return undefined;
}

export type TemporalBroker = ReturnType<typeof createTemporalBroker>;

export interface TemporalQueryAnswer {
  results: TemporalEntityResult[];
  count?: number;
  range?: TemporalRange;
}

function instantOf(i: TemporalInstance, p: TimeFilter['timeproperty']): number {
  const t = p === 'observedAt' ? i.attribute.observedAt : p === 'createdAt' ? i.createdAt : i.modifiedAt;
  return t === undefined ? Number.NaN : Date.parse(t);
}

/**
 * Temporal pagination (clause 6.3.10). Where an attribute had more instances than a page holds,
 * every attribute of the answer is cut to one common time range, so that the next request
 * (timerel after the range's end, or before it under lastN) continues all of them without a gap
 * or an overlap. Without lastN the page runs forward from timeAt (or the oldest instance) to the
 * earliest last instance of a cut attribute; under lastN it runs backward from endTimeAt/timeAt
 * (or the newest instance) to the latest first instance of a cut attribute.
 */
function paginate(results: TemporalEntityResult[], q: TemporalQuery): TemporalRange | undefined {
  if (!results.some((r) => r.truncated.size > 0)) return undefined;
  const p = q.timeproperty;
  const backwards = q.lastN !== undefined;
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  let end = backwards ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  let cut = false;
  for (const r of results) {
    if (r.truncated.size === 0) {
      for (const i of r.instances) {
        const t = instantOf(i, p);
        if (t < oldest) oldest = t;
        if (t > newest) newest = t;
      }
      continue;
    }
    const spans = new Map<string, { first: number; last: number }>();
    for (const i of r.instances) {
      const t = instantOf(i, p);
      if (t < oldest) oldest = t;
      if (t > newest) newest = t;
      if (!r.truncated.has(i.attr)) continue;
      const span = spans.get(i.attr);
      if (span) {
        span.first = Math.min(span.first, t);
        span.last = Math.max(span.last, t);
      } else spans.set(i.attr, { first: t, last: t });
    }
    for (const span of spans.values()) {
      cut = true;
      end = backwards ? Math.max(end, span.first) : Math.min(end, span.last);
    }
  }
  if (!cut) return undefined;
  let start: number;
  if (backwards)
    start =
      q.timerel === 'before'
        ? (q.timeAt ?? newest)
        : q.timerel === 'between'
          ? (q.endTimeAt ?? newest)
          : newest;
  else start = q.timerel === 'after' || q.timerel === 'between' ? (q.timeAt ?? oldest) : oldest;
  for (const r of results) {
    const kept = r.instances.filter((i) => (backwards ? instantOf(i, p) >= end : instantOf(i, p) <= end));
    if (kept.length === r.instances.length) continue;
    const left = new Set(kept.map((i) => i.attr));
    for (const i of r.instances) if (!left.has(i.attr)) r.emptyAttributes[i.attr] = i.attribute.type;
    r.instances = kept;
  }
  return { startMs: start, endMs: end, size: q.lastN ?? '*' };
}

export function createTemporalBroker(store: Store, options: TemporalBrokerOptions = {}) {
  const history = store.history;
  const now = options.now ?? (() => new Date());
  const maxPerAttribute = options.maxInstancesPerAttribute ?? MAX_INSTANCES_PER_ATTRIBUTE;

  function header(record: TemporalEntityRecord): Entity {
    return {
      id: record.id,
      type: record.type,
      attrs: {},
      createdAt: record.createdAt,
      modifiedAt: record.modifiedAt,
    };
  }

  async function latestState(tenant: Tenant, record: TemporalEntityRecord): Promise<Entity> {
    const current = await store.getEntity(tenant, record.id);
    if (current) return current;
    const attrs: Record<string, Attribute[]> = {};
    for (const i of await history.latestInstances(tenant, [record.id])) {
      const list = attrs[i.attr];
      if (list) list.push(i.attribute);
      else attrs[i.attr] = [i.attribute];
    }
    return { id: record.id, type: record.type, attrs };
  }

  async function load(
    tenant: Tenant,
    records: TemporalEntityRecord[],
    q: TemporalQuery,
  ): Promise<TemporalEntityResult[]> {
    if (records.length === 0) return [];
    const ids = records.map((r) => r.id);
    const out = new Map<string, TemporalEntityResult>();
    for (const r of records)
      out.set(r.id, {
        header: header(r),
        instances: [],
        aggregates: [],
        truncated: new Set(),
        emptyAttributes: {},
      });
    // an aggregated answer needs only the buckets, not the instances behind them
    const { instances, truncated } = q.aggregate
      ? { instances: [], truncated: new Map<string, boolean>() }
      : await history.queryInstances(tenant, {
          entityIds: ids,
          attrs: q.attrs,
          datasetIds: q.datasetIds,
          timerel: q.timerel,
          timeAt: q.timeAt,
          endTimeAt: q.endTimeAt,
          timeproperty: q.timeproperty,
          lastN: q.lastN,
          maxPerAttribute,
        });
    // a stored instance already is a TemporalInstance: no copy per instance of a long history
    for (const i of instances) out.get(i.entityId)?.instances.push(i);
    for (const key of truncated.keys()) {
      const [entityId, attr] = key.split('\u0000');
      out.get(entityId)?.truncated.add(attr);
    }
    if (q.aggregate) {
      const buckets = await history.aggregate(tenant, {
        entityIds: ids,
        attrs: q.attrs,
        timerel: q.timerel,
        timeAt: q.timeAt,
        endTimeAt: q.endTimeAt,
        timeproperty: q.timeproperty,
        periodMs: q.aggregate.periodMs,
        methods: q.aggregate.methods,
      });
      for (const b of buckets) out.get(b.entityId)?.aggregates.push(b);
    }
    return [...out.values()];
  }

  return {
    /** clause 5.6.11 Create or Update Temporal Representation of an Entity: true when created */
    async upsertTemporalEntity(tenant: Tenant, input: TemporalEntityInput): Promise<boolean> {
      const stamp = now().toISOString();
      const created = await history.upsertTemporalEntity(tenant, input.id, input.type, stamp);
      await history.addInstances(tenant, input.id, input.instances, stamp);
      return created;
    },

    /** clause 5.6.12 Add Attributes to Temporal Representation of an Entity */
    async addAttributes(tenant: Tenant, id: string, input: TemporalEntityInput): Promise<Result<void>> {
      if (!(await history.getTemporalEntity(tenant, id)))
        return fail('ResourceNotFound', `temporal entity '${id}' not found`);
      await history.addInstances(tenant, id, input.instances, now().toISOString());
      return ok(undefined);
    },

    /** clause 5.6.13 Delete Attribute from Temporal Representation of an Entity */
    async deleteAttribute(
      tenant: Tenant,
      id: string,
      attr: string,
      datasetId: string | undefined,
      deleteAll: boolean,
    ): Promise<Result<void>> {
      if (!(await history.getTemporalEntity(tenant, id)))
        return fail('ResourceNotFound', `temporal entity '${id}' not found`);
      if (!(await history.deleteAttribute(tenant, id, attr, datasetId, deleteAll))) {
        return fail('ResourceNotFound', `attribute not found in temporal entity '${id}'`);
      }
      return ok(undefined);
    },

    /** clause 5.6.14 Modify Attribute instance */
    async modifyInstance(
      tenant: Tenant,
      id: string,
      attr: string,
      instanceId: string,
      attribute: Attribute,
    ): Promise<Result<void>> {
      if (!(await history.getTemporalEntity(tenant, id)))
        return fail('ResourceNotFound', `temporal entity '${id}' not found`);
      if (!(await history.modifyInstance(tenant, id, attr, instanceId, attribute, now().toISOString()))) {
        return fail('ResourceNotFound', `instance '${instanceId}' not found`);
      }
      return ok(undefined);
    },

    /** clause 5.6.15 Delete Attribute instance */
    async deleteInstance(
      tenant: Tenant,
      id: string,
      attr: string,
      instanceId: string,
    ): Promise<Result<void>> {
      if (!(await history.getTemporalEntity(tenant, id)))
        return fail('ResourceNotFound', `temporal entity '${id}' not found`);
      if (!(await history.deleteInstance(tenant, id, attr, instanceId)))
        return fail('ResourceNotFound', `instance '${instanceId}' not found`);
      return ok(undefined);
    },

    /** clause 5.6.16 Delete Temporal Representation of an Entity */
    async deleteTemporalEntity(tenant: Tenant, id: string): Promise<Result<void>> {
      return (await history.deleteTemporalEntity(tenant, id))
        ? ok(undefined)
        : fail('ResourceNotFound', `temporal entity '${id}' not found`);
    },

    /** clause 5.7.3 Retrieve Temporal Evolution of an Entity */
    async retrieve(
      tenant: Tenant,
      id: string,
      q: TemporalQuery,
    ): Promise<Result<{ result: TemporalEntityResult; range?: TemporalRange }>> {
      const record = await history.getTemporalEntity(tenant, id);
      if (!record) return fail('ResourceNotFound', `temporal entity '${id}' not found`);
      const results = await load(tenant, [record], q);
      const range = paginate(results, q);
      return ok({ result: results[0], range });
    },

    /** clause 5.7.4 Query Temporal Evolution of Entities */
    async query(tenant: Tenant, q: TemporalQuery): Promise<TemporalQueryAnswer> {
      const answer = await select(tenant, q);
      // an entity with no instance in the asked time range has no temporal evolution to show (clause 5.7.4)
      const results = answer.results.filter((r) => r.instances.length > 0 || r.aggregates.length > 0);
      return { results, count: answer.count, range: paginate(results, q) };
    },
  };

  async function select(
    tenant: Tenant,
    q: TemporalQuery,
  ): Promise<{ results: TemporalEntityResult[]; count?: number }> {
    const refinement = q.refinement ?? {};
    const names = typeNames(q.type);
    const needsState = Boolean(refinement.q || refinement.geoQ || refinement.scopeQ || (q.type && !names));
    if (!needsState && !q.attrs) {
      const { records, count } = await history.listTemporalEntities(tenant, {
        ids: q.ids,
        types: names,
        idPattern: q.idPattern ? new RegExp(q.idPattern) : undefined,
        limit: q.limit,
        offset: q.offset,
        count: q.count,
      });
      return { results: await load(tenant, records, q), count };
    }
    // filter on the newest state: walk candidates in id order until the page is full
    const { records } = await history.listTemporalEntities(tenant, {
      ids: q.ids,
      types: names,
      idPattern: q.idPattern ? new RegExp(q.idPattern) : undefined,
      limit: Number.MAX_SAFE_INTEGER,
      offset: 0,
    });
    const page: TemporalEntityRecord[] = [];
    let matched = 0;
    for (const r of records) {
      const state = await latestState(tenant, r);
      const withType: EntityQueryRefinement = { ...refinement, type: names ? undefined : q.type };
      if (!refineEntity(state, withType)) continue;
      if (q.attrs && !q.attrs.some((a) => state.attrs[a])) continue;
      if (matched >= q.offset && page.length < q.limit) page.push(r);
      matched++;
      if (!q.count && page.length >= q.limit) break;
    }
    return { results: await load(tenant, page, q), count: q.count ? matched : undefined };
  }
}
