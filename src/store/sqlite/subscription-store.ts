/**
 * Subscriptions and the notification outbox on SQLite. The change log is written by a write
 * hook inside the entity transaction, so a committed write always has its change row and a
 * rolled-back one never does. Whether a tenant has subscriptions is answered from memory: the
 * hook runs on every entity write and must cost nothing for tenants nobody subscribed to.
 */
import type Database from 'better-sqlite3';
import type { EntityChangeRecord, Subscription } from '../../ngsi/index.ts';
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
import { migratePart } from './schema.ts';

const STEPS = [
  `CREATE TABLE subscription (
     tenant TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
     times_sent INTEGER NOT NULL DEFAULT 0, times_failed INTEGER NOT NULL DEFAULT 0,
     last_notification TEXT, last_success TEXT, last_failure TEXT, notification_status TEXT,
     PRIMARY KEY (tenant, id)
   );
   CREATE TABLE subscription_change (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, changes TEXT NOT NULL);
   CREATE TABLE notification_queue (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     tenant TEXT NOT NULL, subscription_id TEXT NOT NULL, payload TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX notification_queue_subscription ON notification_queue (tenant, subscription_id, seq);`,
];

export class SqliteSubscriptionStore implements SubscriptionStore {
  private readonly perTenant = new Map<Tenant, number>();
  private rev = 0;
  private readonly stmts;

  constructor(private readonly db: Database.Database) {
    migratePart(db, 'subscriptions', STEPS);
    for (const r of db
      .prepare<[], { tenant: string; n: number }>(
        'SELECT tenant, count(*) AS n FROM subscription GROUP BY tenant',
      )
      .all()) {
      this.perTenant.set(r.tenant, r.n);
    }
    this.stmts = {
      insert: db.prepare('INSERT OR IGNORE INTO subscription (tenant, id, doc) VALUES (?, ?, ?)'),
      get: db.prepare<[string, string], SubscriptionRow>(
        'SELECT * FROM subscription WHERE tenant = ? AND id = ?',
      ),
      page: db.prepare<[string, number, number], SubscriptionRow>(
        'SELECT * FROM subscription WHERE tenant = ? ORDER BY rowid LIMIT ? OFFSET ?',
      ),
      count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM subscription WHERE tenant = ?'),
      all: db.prepare<[], SubscriptionRow>('SELECT * FROM subscription ORDER BY rowid'),
      update: db.prepare('UPDATE subscription SET doc = ? WHERE tenant = ? AND id = ?'),
      delete: db.prepare('DELETE FROM subscription WHERE tenant = ? AND id = ?'),
      deleteQueue: db.prepare('DELETE FROM notification_queue WHERE tenant = ? AND subscription_id = ?'),
      logChange: db.prepare('INSERT INTO subscription_change (tenant, changes) VALUES (?, ?)'),
      changes: db.prepare<[number], { seq: number; tenant: string; changes: string }>(
        'SELECT seq, tenant, changes FROM subscription_change ORDER BY seq LIMIT ?',
      ),
      dropChanges: db.prepare('DELETE FROM subscription_change WHERE seq <= ?'),
      enqueue: db.prepare(
        'INSERT INTO notification_queue (tenant, subscription_id, payload) VALUES (?, ?, ?)',
      ),
      pending: db.prepare<[], { tenant: string; subscription_id: string; next: number }>(
        'SELECT q.tenant, q.subscription_id, q.next_attempt_at AS next FROM notification_queue q JOIN (SELECT min(seq) AS seq FROM notification_queue GROUP BY tenant, subscription_id) h ON h.seq = q.seq',
      ),
      head: db.prepare<[string, string], QueueRow>(
        'SELECT * FROM notification_queue WHERE tenant = ? AND subscription_id = ? ORDER BY seq LIMIT 1',
      ),
      dequeue: db.prepare('DELETE FROM notification_queue WHERE seq = ?'),
      retry: db.prepare(
        'UPDATE notification_queue SET attempts = attempts + 1, next_attempt_at = ? WHERE seq = ?',
      ),
      sent: db.prepare(
        "UPDATE subscription SET times_sent = times_sent + 1, last_notification = ?, last_success = ?, notification_status = 'ok' WHERE tenant = ? AND id = ?",
      ),
      failed: db.prepare(
        "UPDATE subscription SET times_sent = times_sent + 1, times_failed = times_failed + 1, last_notification = ?, last_failure = ?, notification_status = 'failed' WHERE tenant = ? AND id = ?",
      ),
      backlog: db.prepare<[], { changes: number; queued: number }>(
        'SELECT (SELECT count(*) FROM subscription_change) AS changes, (SELECT count(*) FROM notification_queue) AS queued',
      ),
    };
  }

  /** The write hook: runs inside every entity write transaction. */
  recordChanges(tenant: Tenant, changes: EntityChange[]): void {
    if (!this.perTenant.get(tenant)) return;
    const records: EntityChangeRecord[] = changes.map((c) => {
      const r: EntityChangeRecord = { id: c.id };
      if (c.before) r.before = c.before;
      if (c.after) r.after = c.after;
      return r;
    });
    this.stmts.logChange.run(tenant, JSON.stringify(records));
  }

  async create(tenant: Tenant, subscription: Subscription): Promise<boolean> {
    const created = this.stmts.insert.run(tenant, subscription.id, JSON.stringify(subscription)).changes > 0;
    if (created) {
      this.perTenant.set(tenant, (this.perTenant.get(tenant) ?? 0) + 1);
      this.rev++;
    }
    return created;
  }

  async get(tenant: Tenant, id: string): Promise<StoredSubscription | undefined> {
    const row = this.stmts.get.get(tenant, id);
    return row ? fromRow(row) : undefined;
  }

  async list(
    tenant: Tenant,
    page: { limit: number; offset: number },
  ): Promise<{ items: StoredSubscription[]; count: number }> {
    const items = this.stmts.page.all(tenant, page.limit, page.offset).map(fromRow);
    return { items, count: this.stmts.count.get(tenant)!.n };
  }

  async all(): Promise<StoredSubscription[]> {
    return this.stmts.all.all().map(fromRow);
  }

  async replace(tenant: Tenant, subscription: Subscription): Promise<boolean> {
    const replaced = this.stmts.update.run(JSON.stringify(subscription), tenant, subscription.id).changes > 0;
    if (replaced) this.rev++;
    return replaced;
  }

  async delete(tenant: Tenant, id: string): Promise<boolean> {
    const deleted = this.db.transaction(() => {
      const n = this.stmts.delete.run(tenant, id).changes;
      if (n > 0) this.stmts.deleteQueue.run(tenant, id);
      return n > 0;
    })();
    if (deleted) {
      this.perTenant.set(tenant, Math.max(0, (this.perTenant.get(tenant) ?? 1) - 1));
      this.rev++;
    }
    return deleted;
  }

  async drainChanges(limit: number, plan: (batch: ChangeBatch) => NewNotification[]): Promise<number> {
    return this.db
      .transaction(() => {
        const rows = this.stmts.changes.all(limit);
        for (const row of rows) {
          const batch: ChangeBatch = {
            seq: row.seq,
            tenant: row.tenant,
            changes: JSON.parse(row.changes) as EntityChangeRecord[],
          };
          for (const n of plan(batch)) this.stmts.enqueue.run(n.tenant, n.subscriptionId, n.payload);
        }
        if (rows.length > 0) this.stmts.dropChanges.run(rows[rows.length - 1].seq);
        return rows.length;
      })
      .immediate();
  }

  async enqueue(notifications: NewNotification[]): Promise<void> {
    this.db.transaction(() => {
      for (const n of notifications) this.stmts.enqueue.run(n.tenant, n.subscriptionId, n.payload);
    })();
  }

  async pending(): Promise<PendingSubscription[]> {
    return this.stmts.pending
      .all()
      .map((r) => ({ tenant: r.tenant, subscriptionId: r.subscription_id, nextAttemptAt: r.next }));
  }

  async head(tenant: Tenant, subscriptionId: string): Promise<QueuedNotification | undefined> {
    const row = this.stmts.head.get(tenant, subscriptionId);
    return row ? queued(row) : undefined;
  }

  async delivered(tenant: Tenant, subscriptionId: string, seq: number, at: string): Promise<void> {
    this.db.transaction(() => {
      this.stmts.dequeue.run(seq);
      this.stmts.sent.run(at, at, tenant, subscriptionId);
    })();
  }

  async failed(
    tenant: Tenant,
    subscriptionId: string,
    seq: number,
    at: string,
    nextAttemptAt: number,
  ): Promise<void> {
    this.db.transaction(() => {
      this.stmts.retry.run(nextAttemptAt, seq);
      this.stmts.failed.run(at, at, tenant, subscriptionId);
    })();
  }

  revision(): number {
    return this.rev;
  }

  async backlog(): Promise<{ changes: number; queued: number }> {
    return this.stmts.backlog.get()!;
  }
}
