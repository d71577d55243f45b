/**
 * The subscription part of the Store (ETSI GS CIM 009 v1.8, clause 5.8): subscriptions with
 * their delivery state, and a durable outbox. Entity writes append to a change log in their own
 * transaction (only for tenants with subscriptions); the notifier turns change-log rows into
 * queued notifications, one row per notification to deliver, and removes a row only once its
 * receiver took it. A crash at any point therefore loses nothing and reorders nothing.
 */
import type { EntityChangeRecord, Subscription, SubscriptionState } from '../ngsi/index.ts';
import type { Tenant } from './store.ts';

export interface StoredSubscription {
  tenant: Tenant;
  subscription: Subscription;
  state: SubscriptionState;
}

/** The changes one entity-write transaction committed, in commit order (`seq`). */
export interface ChangeBatch {
  seq: number;
  tenant: Tenant;
  changes: EntityChangeRecord[];
}

/** A notification to put in the queue; `payload` is opaque to the store (JSON text). */
export interface NewNotification {
  tenant: Tenant;
  subscriptionId: string;
  payload: string;
}

export interface QueuedNotification extends NewNotification {
  /** global queue order; per subscription, notifications are delivered by increasing seq */
  seq: number;
  attempts: number;
  /** epoch ms before which no attempt is made */
  nextAttemptAt: number;
}

/** A subscription with something in the queue, and when its head may next be attempted. */
export interface PendingSubscription {
  tenant: Tenant;
  subscriptionId: string;
  nextAttemptAt: number;
}

export interface SubscriptionStore {
  /** false when the tenant already has a subscription with this id */
  create(tenant: Tenant, subscription: Subscription): Promise<boolean>;
  get(tenant: Tenant, id: string): Promise<StoredSubscription | undefined>;
  /** in creation order */
  list(
    tenant: Tenant,
    page: { limit: number; offset: number },
  ): Promise<{ items: StoredSubscription[]; count: number }>;
  /** every subscription of every tenant (the notifier's view at start-up) */
  all(): Promise<StoredSubscription[]>;
  /** false when there is no such subscription */
  replace(tenant: Tenant, subscription: Subscription): Promise<boolean>;
  /** deletes the subscription and whatever of it is still queued */
  delete(tenant: Tenant, id: string): Promise<boolean>;
  /**
   * Takes up to `limit` change batches in commit order, lets `plan` (synchronous, pure of I/O)
   * turn each into notifications, queues those and drops the batches, all in one transaction.
   * Returns how many batches were taken.
   */
  drainChanges(limit: number, plan: (batch: ChangeBatch) => NewNotification[]): Promise<number>;
  /** queues notifications made outside the change log (periodic subscriptions) */
  enqueue(notifications: NewNotification[]): Promise<void>;
  pending(): Promise<PendingSubscription[]>;
  /** the oldest queued notification of a subscription */
  head(tenant: Tenant, subscriptionId: string): Promise<QueuedNotification | undefined>;
  /** the receiver took it: drop it, count it (timesSent, lastNotification, lastSuccess) */
  delivered(tenant: Tenant, subscriptionId: string, seq: number, at: string): Promise<void>;
  /** an attempt failed: keep it for `nextAttemptAt`, count it (timesSent, timesFailed, lastFailure) */
  failed(
    tenant: Tenant,
    subscriptionId: string,
    seq: number,
    at: string,
    nextAttemptAt: number,
  ): Promise<void>;
  /** changes whenever a subscription is created, replaced or deleted: readers cache by it */
  revision(): number;
  /** notifications and change batches not yet delivered */
  backlog(): Promise<{ changes: number; queued: number }>;
}
