/**
 * The table rows of subscriptions and queued notifications, as both engines store them, and
 * their mapping to the SubscriptionStore's values.
 */
import type { QueuedNotification, StoredSubscription } from './subscription-store.ts';

type Subscription = StoredSubscription['subscription'];
type SubscriptionState = StoredSubscription['state'];

export interface SubscriptionRow {
  tenant: string;
  id: string;
  doc: string;
  times_sent: number;
  times_failed: number;
  last_notification: string | null;
  last_success: string | null;
  last_failure: string | null;
  notification_status: 'ok' | 'failed' | null;
}

export interface QueueRow {
  seq: number;
  tenant: string;
  subscription_id: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
}

export function fromRow(r: SubscriptionRow): StoredSubscription {
  const state: SubscriptionState = { timesSent: r.times_sent, timesFailed: r.times_failed };
  if (r.last_notification) state.lastNotification = r.last_notification;
  if (r.last_success) state.lastSuccess = r.last_success;
  if (r.last_failure) state.lastFailure = r.last_failure;
  if (r.notification_status) state.notificationStatus = r.notification_status;
  return { tenant: r.tenant, subscription: JSON.parse(r.doc) as Subscription, state };
}

export function queued(r: QueueRow): QueuedNotification {
  return {
    seq: r.seq,
    tenant: r.tenant,
    subscriptionId: r.subscription_id,
    payload: r.payload,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
  };
}
