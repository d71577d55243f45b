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
export { openStore } from './open-store.ts';
export { SqliteStore } from './sqlite/sqlite-store.ts';
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
export type {
  ChangeBatch,
  NewNotification,
  PendingSubscription,
  QueuedNotification,
  StoredSubscription,
  SubscriptionStore,
} from './subscription-store.ts';
export type { RegistrationStore } from './registration-store.ts';
