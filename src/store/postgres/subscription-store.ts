/**
 * Subscriptions and the notification outbox on PostgreSQL, shared by every node on the database.
 * The change log is written in the entity transaction (see postgres-store.ts), for tenants with
 * subscriptions, decided in SQL so a subscription another node just created is seen. Three things
 * make several nodes behave as one broker:
 * - draining the change log holds an advisory lock, so batches become notifications in commit
 *   order and each batch exactly once;
 * - the head of a subscription's queue is leased to one node while it delivers, so a notification
 *   goes out once and a subscription's notifications stay in order; a lease left by a node that
 *   died expires and another node takes over (at-least-once, never lost);
 * - creating, replacing or deleting a subscription bumps a revision row and NOTIFYs the other
 *   nodes, whose notifiers then reload their subscriptions before draining again.
 */
import { randomUUID } from 'node:crypto';
import type { EntityChange, Tenant } from '../store.ts';
import { fromRow, type QueueRow, queued, type SubscriptionRow } from '../subscription-rows.ts';
import type {
  ChangeBatch,
  NewNotification,
  PendingSubscription,
  QueuedNotification,
  StoredSubscription,
  SubscriptionStore,
} from '../subscription-store.ts';
import type { PgDb, Queryable } from './db.ts';

type Subscription = StoredSubscription['subscription'];

/** The channel subscription changes are announced on. */
export const SUBSCRIPTION_CHANNEL = 'twinbox_subscription';
/** Arbitrary but fixed: the advisory lock key of draining the change log. */
const DRAIN_LOCK = 7_230_002;
/**
 * How long a node owns the head of a queue it is delivering: longer than a delivery attempt
 * (5 s timeout) plus the longest retry delay (10 s), so a live node never loses it to another.
 */
const LEASE_MS = 60_000;

async function insertQueue(c: Queryable, notifications: NewNotification[]): Promise<void> {
  if (notifications.length === 0) return;
  await c.query(
    `INSERT INTO notification_queue (tenant, subscription_id, payload)
     SELECT u.t, u.s, u.p FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(t, s, p, o) ORDER BY u.o`,
    [
      notifications.map((n) => n.tenant),
      notifications.map((n) => n.subscriptionId),
      notifications.map((n) => n.payload),
    ],
  );
}

export class PostgresSubscriptionStore implements SubscriptionStore {
  private rev = 0;
  /** the database revision the notifier's view was read at; -1 until it reads one */
  private seenDbRev = -1;
  /** false while the LISTEN connection is down: every call then reports a new revision */
  listening = false;
  /** this node, as owner of queue leases */
  readonly nodeId = randomUUID();

  constructor(
    private readonly db: PgDb,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Another node changed the subscriptions (NOTIFY). */
  remoteChanged(): void {
    this.rev++;
  }

  private async changed(c: Queryable): Promise<void> {
    const r = await c.query<{ rev: number }>('UPDATE subscription_revision SET rev = rev + 1 RETURNING rev');
    await c.query('SELECT pg_notify($1, $2)', [SUBSCRIPTION_CHANNEL, `${this.nodeId} ${r.rows[0].rev}`]);
    this.rev++;
  }

  async create(tenant: Tenant, subscription: Subscription): Promise<boolean> {
    return this.db.transaction(async (c) => {
      const r = await c.query(
        'INSERT INTO subscription (tenant, id, doc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [tenant, subscription.id, JSON.stringify(subscription)],
      );
      if ((r.rowCount ?? 0) === 0) return false;
      await this.changed(c);
      return true;
    });
  }

  async get(tenant: Tenant, id: string): Promise<StoredSubscription | undefined> {
    const rows = await this.db.query<SubscriptionRow>(
      'SELECT * FROM subscription WHERE tenant = $1 AND id = $2',
      [tenant, id],
      'tb_subscription_get',
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async list(
    tenant: Tenant,
    page: { limit: number; offset: number },
  ): Promise<{ items: StoredSubscription[]; count: number }> {
    const rows = await this.db.query<SubscriptionRow & { total: number }>(
      'SELECT *, count(*) OVER ()::int AS total FROM subscription WHERE tenant = $1 ORDER BY seq LIMIT $2 OFFSET $3',
      [tenant, page.limit, page.offset],
    );
    const count =
      rows[0]?.total ??
      (
        await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM subscription WHERE tenant = $1', [
          tenant,
        ])
      )[0].n;
    return { items: rows.map(fromRow), count };
  }

  async all(): Promise<StoredSubscription[]> {
    // read the revision first: a change between the two reads makes the view look stale, never fresh
    const rev = await this.db.query<{ rev: number }>('SELECT rev FROM subscription_revision');
    const rows = await this.db.query<SubscriptionRow>('SELECT * FROM subscription ORDER BY seq');
    this.seenDbRev = rev[0]?.rev ?? 0;
    return rows.map(fromRow);
  }

  async replace(tenant: Tenant, subscription: Subscription): Promise<boolean> {
    return this.db.transaction(async (c) => {
      const r = await c.query('UPDATE subscription SET doc = $1 WHERE tenant = $2 AND id = $3', [
        JSON.stringify(subscription),
        tenant,
        subscription.id,
      ]);
      if ((r.rowCount ?? 0) === 0) return false;
      await this.changed(c);
      return true;
    });
  }

  async delete(tenant: Tenant, id: string): Promise<boolean> {
    return this.db.transaction(async (c) => {
      const r = await c.query('DELETE FROM subscription WHERE tenant = $1 AND id = $2', [tenant, id]);
      if ((r.rowCount ?? 0) === 0) return false;
      await c.query('DELETE FROM notification_queue WHERE tenant = $1 AND subscription_id = $2', [
        tenant,
        id,
      ]);
      await this.changed(c);
      return true;
    });
  }

  async drainChanges(limit: number, plan: (batch: ChangeBatch) => NewNotification[]): Promise<number> {
    // the common case, nothing logged, costs one index probe and no lock
    const any = await this.db.query('SELECT 1 FROM subscription_change LIMIT 1', [], 'tb_change_any');
    if (any.length === 0) return 0;
    return this.db.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [DRAIN_LOCK]);
      if (this.seenDbRev >= 0) {
        const rev = await c.query<{ rev: number }>('SELECT rev FROM subscription_revision');
        if (rev.rows[0].rev !== this.seenDbRev) {
          // planned with an old view of the subscriptions: leave the batches for the next drain
          this.rev++;
          return 0;
        }
      }
      const rows = await c.query<{ seq: number; tenant: string; changes: string }>(
        'SELECT seq, tenant, changes FROM subscription_change ORDER BY seq LIMIT $1',
        [limit],
      );
      const out: NewNotification[] = [];
      for (const row of rows.rows) {
        out.push(
          ...plan({
            seq: row.seq,
            tenant: row.tenant,
            changes: JSON.parse(row.changes) as EntityChange[],
          }),
        );
      }
      await insertQueue(c, out);
      // exactly the rows read: a writer that took a lower seq may commit while this runs, and its
      // row must stay for the next drain instead of vanishing unplanned
      if (rows.rows.length > 0) {
        await c.query('DELETE FROM subscription_change WHERE seq = ANY($1::bigint[])', [
          rows.rows.map((r) => r.seq),
        ]);
      }
      return rows.rows.length;
    });
  }

  async enqueue(notifications: NewNotification[]): Promise<void> {
    await this.db.transaction((c) => insertQueue(c, notifications));
  }

  async pending(): Promise<PendingSubscription[]> {
    const rows = await this.db.query<{ tenant: string; subscription_id: string; next: number }>(
      `SELECT DISTINCT ON (tenant, subscription_id) tenant, subscription_id, next_attempt_at AS next
       FROM notification_queue ORDER BY tenant, subscription_id, seq`,
    );
    return rows.map((r) => ({ tenant: r.tenant, subscriptionId: r.subscription_id, nextAttemptAt: r.next }));
  }

  async head(tenant: Tenant, subscriptionId: string): Promise<QueuedNotification | undefined> {
    const now = this.clock();
    const rows = await this.db.query<QueueRow>(
      `UPDATE notification_queue q SET lease_owner = $3, lease_until = greatest($4::bigint, q.next_attempt_at) + $5::bigint
       WHERE q.seq = (SELECT seq FROM notification_queue WHERE tenant = $1 AND subscription_id = $2 ORDER BY seq LIMIT 1)
         AND (q.lease_owner IS NULL OR q.lease_owner = $3 OR q.lease_until < $4::bigint)
       RETURNING q.seq, q.tenant, q.subscription_id, q.payload, q.attempts, q.next_attempt_at`,
      [tenant, subscriptionId, this.nodeId, now, LEASE_MS],
      'tb_queue_head',
    );
    return rows[0] ? queued(rows[0]) : undefined;
  }

  async delivered(tenant: Tenant, subscriptionId: string, seq: number, at: string): Promise<void> {
    await this.db.query(
      `WITH d AS (DELETE FROM notification_queue WHERE seq = $4 RETURNING 1)
       UPDATE subscription SET times_sent = times_sent + 1, last_notification = $1, last_success = $1, notification_status = 'ok'
       WHERE tenant = $2 AND id = $3 AND EXISTS (SELECT 1 FROM d)`,
      [at, tenant, subscriptionId, seq],
      'tb_queue_delivered',
    );
  }

  async failed(
    tenant: Tenant,
    subscriptionId: string,
    seq: number,
    at: string,
    nextAttemptAt: number,
  ): Promise<void> {
    await this.db.query(
      `WITH r AS (UPDATE notification_queue SET attempts = attempts + 1, next_attempt_at = $4::bigint, lease_until = $4::bigint + $6::bigint WHERE seq = $5 RETURNING 1)
       UPDATE subscription SET times_sent = times_sent + 1, times_failed = times_failed + 1, last_notification = $1, last_failure = $1, notification_status = 'failed'
       WHERE tenant = $2 AND id = $3 AND EXISTS (SELECT 1 FROM r)`,
      [at, tenant, subscriptionId, nextAttemptAt, seq, LEASE_MS],
      'tb_queue_failed',
    );
  }

  revision(): number {
    return this.listening ? this.rev : ++this.rev;
  }

  async backlog(): Promise<{ changes: number; queued: number }> {
    const rows = await this.db.query<{ changes: number; queued: number }>(
      'SELECT (SELECT count(*) FROM subscription_change)::int AS changes, (SELECT count(*) FROM notification_queue)::int AS queued',
    );
    return rows[0];
  }
}
