/**
 * The Store speaks NGSI-LD operations on entities in normal form; engines (sqlite, postgres)
 * implement it and pass one contract suite (test/store/contract.ts). Reads return entities;
 * every write is a read-modify-write run atomically by the engine, so a crash leaves each entity
 * as it was before or after the write and two writers never lose an update.
 */
import type { Entity, GeoQuery, OrderKey, QNode, TypeNode } from '../ngsi/index.ts';
import type { HistoryStore } from './history.ts';
import type { IngestionStore } from './ingestion-store.ts';
import type { RegistrationStore } from './registration-store.ts';
import type { SubscriptionStore } from './subscription-store.ts';

/** A tenant is a name; the default tenant is ''. */
export type Tenant = string;

export interface EntityQuery {
  ids?: string[];
  /** a JS-compatible regular expression on the id (clause 4.?, idPattern) */
  idPattern?: string;
  /** expanded type expression */
  type?: TypeNode;
  /** expanded attribute names: an entity matches if it has at least one of them */
  attrs?: string[];
  /** expanded q */
  q?: QNode;
  geoQ?: GeoQuery;
  /** scopeQ as alternatives of conjunctions of scope patterns (clause 4.19) */
  scopeQ?: string[][];
  limit: number;
  offset: number;
  /** also compute the total number of matches */
  count?: boolean;
  /** sort keys; without them results come in id order */
  orderBy?: OrderKey[];
}

export interface QueryResult {
  entities: Entity[];
  count?: number;
}

/** What a mutation decided for one entity: its new state, or null to delete it. */
export interface EntityWrite {
  id: string;
  entity: Entity | null;
}

export interface WritePlan<T> {
  writes: EntityWrite[];
  result: T;
}

/** The before and after state of one written entity, as the engine committed it. */
export interface EntityChange {
  id: string;
  before?: Entity;
  after?: Entity;
}

export interface TypeSummary {
  type: string;
  entityCount: number;
  /** attribute name -> attribute types seen */
  attributes: Map<string, Set<string>>;
}

export interface StoredContext {
  id: string;
  url: string;
  kind: 'Hosted' | 'Cached' | 'ImplicitlyCreated';
  body: unknown;
  createdAt: string;
  lastUsage?: string;
  numberOfHits: number;
}

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** every attribute instance writes produced (the temporal API) */
  readonly history: HistoryStore;
  /** the record of ingestion runs */
  readonly ingestion: IngestionStore;
  /** context source registrations and registration subscriptions (clause 5.9–5.11) */
  readonly registrations: RegistrationStore;
  /** subscriptions and their notification outbox (clause 5.8) */
  readonly subscriptions: SubscriptionStore;
  getEntity(tenant: Tenant, id: string): Promise<Entity | undefined>;
  queryEntities(tenant: Tenant, query: EntityQuery): Promise<QueryResult>;
  /**
   * Reads the current state of `ids`, lets `mutate` decide the writes, and commits them in one
   * transaction (entities, their indexes, and their change records). `mutate` must be pure: an
   * engine may run it again after a conflict.
   */
  modifyEntities<T>(
    tenant: Tenant,
    ids: string[],
    mutate: (current: ReadonlyMap<string, Entity>) => WritePlan<T>,
  ): Promise<{ result: T; changes: EntityChange[] }>;
  /** entity types with attribute details (discovery, clause 5.7.5–5.7.8) */
  typeSummaries(tenant: Tenant): Promise<TypeSummary[]>;
  tenantExists(tenant: Tenant): Promise<boolean>;
  listTenants(): Promise<Tenant[]>;
  /** hosted @contexts (clause 5.13): they must survive a restart */
  putContext(context: StoredContext): Promise<void>;
  getContext(id: string): Promise<StoredContext | undefined>;
  listContexts(): Promise<StoredContext[]>;
  deleteContext(id: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface StoreOptions {
  engine: 'sqlite' | 'postgres';
  /** sqlite: a file path or ':memory:' */
  path?: string;
  /** postgres: a connection URL */
  url?: string;
}
