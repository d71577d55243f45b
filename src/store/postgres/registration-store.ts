/**
 * Registrations and registration subscriptions on PostgreSQL: one row per document, kept as the
 * JSON text it was given, in creation order (`seq`), as on SQLite.
 */
import type { RegistrationStore } from '../registration-store.ts';
import type { Tenant } from '../store.ts';
import type { PgDb } from './db.ts';

// the document types as the interface names them, so this engine needs nothing beyond it
type CSourceRegistration = Parameters<RegistrationStore['createRegistration']>[1];
type CSourceSubscription = Parameters<RegistrationStore['createCSourceSubscription']>[1];

type Kind = 'registration' | 'subscription';

export class PostgresRegistrationStore implements RegistrationStore {
  constructor(private readonly db: PgDb) {}

  private async create(tenant: Tenant, kind: Kind, id: string, doc: unknown): Promise<boolean> {
    const n = await this.db.rowCount(
      'INSERT INTO csource_doc (tenant, kind, id, doc) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [tenant, kind, id, JSON.stringify(doc)],
    );
    return n > 0;
  }

  private async get<T>(tenant: Tenant, kind: Kind, id: string): Promise<T | undefined> {
    const rows = await this.db.query<{ doc: string }>(
      'SELECT doc FROM csource_doc WHERE tenant = $1 AND kind = $2 AND id = $3',
      [tenant, kind, id],
      'tb_csource_get',
    );
    return rows[0] ? (JSON.parse(rows[0].doc) as T) : undefined;
  }

  private async list<T>(tenant: Tenant, kind: Kind): Promise<T[]> {
    const rows = await this.db.query<{ doc: string }>(
      'SELECT doc FROM csource_doc WHERE tenant = $1 AND kind = $2 ORDER BY seq',
      [tenant, kind],
      'tb_csource_list',
    );
    return rows.map((r) => JSON.parse(r.doc) as T);
  }

  private async replace(tenant: Tenant, kind: Kind, id: string, doc: unknown): Promise<boolean> {
    return (
      (await this.db.rowCount('UPDATE csource_doc SET doc = $1 WHERE tenant = $2 AND kind = $3 AND id = $4', [
        JSON.stringify(doc),
        tenant,
        kind,
        id,
      ])) > 0
    );
  }

  private async delete(tenant: Tenant, kind: Kind, id: string): Promise<boolean> {
    return (
      (await this.db.rowCount('DELETE FROM csource_doc WHERE tenant = $1 AND kind = $2 AND id = $3', [
        tenant,
        kind,
        id,
      ])) > 0
    );
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
