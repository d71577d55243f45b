/**
 * Registrations and registration subscriptions on PostgreSQL: one row per document, kept as the
 * JSON text it was given, in creation order (`seq`), as on SQLite.
 *
 * Every retrieve and query asks for the tenant's registrations (distributed operations), so a
 * node keeps each tenant's list in memory while it LISTENs: a change made here clears the list at
 * once, a change made on another node clears it when its NOTIFY arrives (right after that commit).
 * A read that overlaps a change is not kept, so a stale list is never cached. Without the LISTEN
 * connection every call reads the database.
 */
import type { RegistrationStore } from '../registration-store.ts';
import type { Tenant } from '../store.ts';
import type { PgDb } from './db.ts';

// the document types as the interface names them, so this engine needs nothing beyond it
type CSourceRegistration = Parameters<RegistrationStore['createRegistration']>[1];
type CSourceSubscription = Parameters<RegistrationStore['createCSourceSubscription']>[1];

type Kind = 'registration' | 'subscription';

/** The channel registration changes are announced on; the payload is the tenant. */
export const REGISTRATION_CHANNEL = 'twinbox_registration';

export class PostgresRegistrationStore implements RegistrationStore {
  /** tenant -> its registrations' JSON texts, in creation order; parsed on every read */
  private readonly cache = new Map<Tenant, string[]>();
  /** bumped by every change: a read that saw another generation is not cached */
  private generation = 0;
  private caching = false;

  constructor(private readonly db: PgDb) {}

  /** Whether this node LISTENs for other nodes' changes; only then may it cache. */
  set listening(on: boolean) {
    this.caching = on;
    this.remoteChanged(undefined);
  }

  /** A tenant's registrations changed (here or on another node); undefined: any tenant's. */
  remoteChanged(tenant: Tenant | undefined): void {
    this.generation++;
    if (tenant === undefined) this.cache.clear();
    else this.cache.delete(tenant);
  }

  /**
   * Runs a write (tenant `$1`) and says how many rows it changed; a registration write also
   * announces itself to the other nodes, delivered at commit.
   */
  private async write(kind: Kind, sql: string, values: unknown[]): Promise<number> {
    const notify = kind === 'registration' ? `, pg_notify('${REGISTRATION_CHANNEL}', $1::text)` : '';
    const rows = await this.db.query<{ n: number }>(
      `WITH chg AS (${sql} RETURNING 1) SELECT (SELECT count(*)::int FROM chg) AS n${notify}`,
      values,
    );
    if (kind === 'registration') this.remoteChanged(values[0] as Tenant);
    return rows[0].n;
  }

  private async create(tenant: Tenant, kind: Kind, id: string, doc: unknown): Promise<boolean> {
    const sql =
      'INSERT INTO csource_doc (tenant, kind, id, doc) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING';
    return (await this.write(kind, sql, [tenant, kind, id, JSON.stringify(doc)])) > 0;
  }

  private async get<T>(tenant: Tenant, kind: Kind, id: string): Promise<T | undefined> {
    const rows = await this.db.query<{ doc: string }>(
      'SELECT doc FROM csource_doc WHERE tenant = $1 AND kind = $2 AND id = $3',
      [tenant, kind, id],
      'tb_csource_get',
    );
    return rows[0] ? (JSON.parse(rows[0].doc) as T) : undefined;
  }

  private async listDocs(tenant: Tenant, kind: Kind): Promise<string[]> {
    const rows = await this.db.query<{ doc: string }>(
      'SELECT doc FROM csource_doc WHERE tenant = $1 AND kind = $2 ORDER BY seq',
      [tenant, kind],
      'tb_csource_list',
    );
    return rows.map((r) => r.doc);
  }

  private async list<T>(tenant: Tenant, kind: Kind): Promise<T[]> {
    if (kind !== 'registration' || !this.caching) {
      return (await this.listDocs(tenant, kind)).map((d) => JSON.parse(d) as T);
    }
    let docs = this.cache.get(tenant);
    if (docs === undefined) {
      const generation = this.generation;
      docs = await this.listDocs(tenant, kind);
      if (generation === this.generation && this.caching) this.cache.set(tenant, docs);
    }
    // parsed anew each time: callers own what they get
    return docs.length === 0 ? [] : docs.map((d) => JSON.parse(d) as T);
  }

  private async replace(tenant: Tenant, kind: Kind, id: string, doc: unknown): Promise<boolean> {
    const sql = 'UPDATE csource_doc SET doc = $4 WHERE tenant = $1 AND kind = $2 AND id = $3';
    return (await this.write(kind, sql, [tenant, kind, id, JSON.stringify(doc)])) > 0;
  }

  private async delete(tenant: Tenant, kind: Kind, id: string): Promise<boolean> {
    const sql = 'DELETE FROM csource_doc WHERE tenant = $1 AND kind = $2 AND id = $3';
    return (await this.write(kind, sql, [tenant, kind, id])) > 0;
  }

  createRegistration(tenant: Tenant, r: CSourceRegistration): Promise<boolean> {
    return this.create(tenant, 'registration', r.id, r);
  }

  getRegistration(tenant: Tenant, id: string): Promise<CSourceRegistration | undefined> {
    return this.get(tenant, 'registration', id);
  }

  listRegistrations(tenant: Tenant): Promise<CSourceRegistration[]> {
    return this.list(tenant, 'registration');
  }

  replaceRegistration(tenant: Tenant, r: CSourceRegistration): Promise<boolean> {
    return this.replace(tenant, 'registration', r.id, r);
  }

  deleteRegistration(tenant: Tenant, id: string): Promise<boolean> {
    return this.delete(tenant, 'registration', id);
  }

  createCSourceSubscription(tenant: Tenant, s: CSourceSubscription): Promise<boolean> {
    return this.create(tenant, 'subscription', s.id, s);
  }

  getCSourceSubscription(tenant: Tenant, id: string): Promise<CSourceSubscription | undefined> {
    return this.get(tenant, 'subscription', id);
  }

  listCSourceSubscriptions(tenant: Tenant): Promise<CSourceSubscription[]> {
    return this.list(tenant, 'subscription');
  }

  async allCSourceSubscriptions(): Promise<Array<{ tenant: Tenant; subscription: CSourceSubscription }>> {
    const rows = await this.db.query<{ tenant: string; doc: string }>(
      "SELECT tenant, doc FROM csource_doc WHERE kind = 'subscription' ORDER BY seq",
    );
    return rows.map((r) => ({ tenant: r.tenant, subscription: JSON.parse(r.doc) as CSourceSubscription }));
  }

  replaceCSourceSubscription(tenant: Tenant, s: CSourceSubscription): Promise<boolean> {
    return this.replace(tenant, 'subscription', s.id, s);
  }

  deleteCSourceSubscription(tenant: Tenant, id: string): Promise<boolean> {
    return this.delete(tenant, 'subscription', id);
  }
}
