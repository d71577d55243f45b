export type {
  AgreementRecord,
  AuditInput,
  AuditQuery,
  AuditRecord,
  DataspaceStore,
  NegotiationRecord,
  OnboardingRecord,
  TransferRecord,
} from './dataspace-store.ts';
export type {
  AggregateBucket,
  AggregateMethod,
  AggregateQuery,
  AttributeInstance,
  HistoryStore,
  InstanceQuery,
  TemporalEntityRecord,
  TimeFilter,
  TimeProperty,
} from './history.ts';
export type { IngestionReject, IngestionRun, IngestionStore } from './ingestion-store.ts';
export { openStore } from './open-store.ts';
export { openPostgresStore, PostgresStore } from './postgres/postgres-store.ts';
export type { RegistrationStore } from './registration-store.ts';
export { SqliteDataspaceStore } from './sqlite/dataspace-store.ts';
export { SqliteStore } from './sqlite/sqlite-store.ts';
export type {
  EntityChange,
  EntityQuery,
  EntityWrite,
  QueryResult,
  Store,
  StoredContext,
  StoreOptions,
  Tenant,
  TypeSummary,
  WritePlan,
} from './store.ts';
export type {
  ChangeBatch,
  NewNotification,
  PendingSubscription,
  QueuedNotification,
  StoredSubscription,
  SubscriptionStore,
} from './subscription-store.ts';
