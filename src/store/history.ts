/**
 * The history part of the Store (clause 4.? temporal representation, 5.6.11–5.6.16, 5.7.3–5.7.4):
 * every attribute instance a write produced, kept per tenant, queryable by time.
 */
import type { Attribute } from '../ngsi/index.ts';
import type { Tenant } from './store.ts';

export type TimeProperty = 'observedAt' | 'createdAt' | 'modifiedAt';

/** One stored attribute instance; `attribute` carries the value members and sub-attributes. */
export interface AttributeInstance {
  instanceId: string;
  entityId: string;
  attr: string;
  datasetId?: string;
  observedAt?: string;
  createdAt: string;
  modifiedAt: string;
  attribute: Attribute;
}

export interface TemporalEntityRecord {
  id: string;
  type: string[];
  createdAt: string;
  modifiedAt: string;
}

export interface TimeFilter {
  timerel?: 'before' | 'after' | 'between';
  /** epoch ms */
  timeAt?: number;
  endTimeAt?: number;
  timeproperty: TimeProperty;
}

export interface InstanceQuery extends TimeFilter {
  entityIds: string[];
  /** expanded attribute names; undefined = all */
  attrs?: string[];
  datasetIds?: string[];
  /** the last N instances per attribute (by the time property) */
  lastN?: number;
  /**
   * at most this many instances per attribute are returned (pagination, clause 6.3.10); an
   * attribute with more in the range (under lastN: when lastN exceeds this and more exist) is
   * marked in `truncated` under `${entityId}\u0000${attr}`: the oldest are kept, under lastN the newest
   */
  maxPerAttribute: number;
}

export interface AggregateQuery extends TimeFilter {
  entityIds: string[];
  attrs?: string[];
  /** bucket width in ms; 0 = one bucket over the whole range */
  periodMs: number;
  methods: AggregateMethod[];
}

export type AggregateMethod =
  | 'totalCount'
  | 'distinctCount'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'stddev'
  | 'sumsq';

export interface AggregateBucket {
  entityId: string;
  attr: string;
  startMs: number;
  endMs: number;
  values: Partial<Record<AggregateMethod, number | null>>;
}

export interface HistoryStore {
  /** records a temporal entity (types, creation) if it is new; returns true when created */
  upsertTemporalEntity(tenant: Tenant, id: string, types: string[], now: string): Promise<boolean>;
  getTemporalEntity(tenant: Tenant, id: string): Promise<TemporalEntityRecord | undefined>;
  /** temporal entities matching ids/types (expanded), in id order */
  listTemporalEntities(
    tenant: Tenant,
    filter: {
      ids?: string[];
      types?: string[];
      idPattern?: RegExp;
      limit: number;
      offset: number;
      count?: boolean;
    },
  ): Promise<{ records: TemporalEntityRecord[]; count?: number }>;
  /**
   * adds instances (temporal API); every instance gets a new instanceId, except one observed at
   * the same time as a stored instance of the same attribute and datasetId: that one replaces
   * the stored value and keeps its instanceId (one value per observation, clause 5.6.11)
   */
  addInstances(
    tenant: Tenant,
    entityId: string,
    instances: Array<{ attr: string; attribute: Attribute }>,
    now: string,
  ): Promise<void>;
  queryInstances(
    tenant: Tenant,
    query: InstanceQuery,
  ): Promise<{ instances: AttributeInstance[]; truncated: Map<string, boolean> }>;
  aggregate(tenant: Tenant, query: AggregateQuery): Promise<AggregateBucket[]>;
  /** the newest instance of every attribute of the entities (for q/geoQ on temporal queries) */
  latestInstances(tenant: Tenant, entityIds: string[]): Promise<AttributeInstance[]>;
  modifyInstance(
    tenant: Tenant,
    entityId: string,
    attr: string,
    instanceId: string,
    attribute: Attribute,
    now: string,
  ): Promise<boolean>;
  deleteInstance(tenant: Tenant, entityId: string, attr: string, instanceId: string): Promise<boolean>;
  /** deletes an attribute's history: the default instance set, one datasetId, or all */
  deleteAttribute(
    tenant: Tenant,
    entityId: string,
    attr: string,
    datasetId: string | undefined,
    deleteAll: boolean,
  ): Promise<boolean>;
  deleteTemporalEntity(tenant: Tenant, entityId: string): Promise<boolean>;
  /** retention per entity type (expanded), in ms; undefined removes the limit */
  setRetention(tenant: Tenant, type: string, retentionMs: number | undefined): Promise<void>;
  /** deletes instances older than their type's retention; returns how many */
  applyRetention(tenant: Tenant, nowMs: number): Promise<number>;
}
