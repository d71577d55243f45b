/**
 * Registrations and registration subscriptions on SQLite: one row per document, kept as JSON
 * text, ordered by insertion (the rowid) so queries page in creation order.
 */
import type Database from 'better-sqlite3';
import type { CSourceRegistration, CSourceSubscription } from '../../ngsi/index.ts';
import type { RegistrationStore } from '../registration-store.ts';
import type { Tenant } from '../store.ts';
import { migratePart } from './schema.ts';

const STEPS = [
  `CREATE TABLE csource_doc (
     seq INTEGER PRIMARY KEY,
     tenant TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
     UNIQUE (tenant, kind, id)
   );`,
];

type Kind = 'registration' | 'subscription';

export class SqliteRegistrationStore implements RegistrationStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    migratePart(db, 'registrations', STEPS);
    this.stmts = {
      insert: db.prepare('INSERT OR IGNORE INTO csource_doc (tenant, kind, id, doc) VALUES (?, ?, ?, ?)'),
      get: db.prepare<[string, Kind, string], { doc: string }>(
        'SELECT doc FROM csource_doc WHERE tenant = ? AND kind = ? AND id = ?',
      ),
      list: db.prepare<[string, Kind], { doc: string }>(
        'SELECT doc FROM csource_doc WHERE tenant = ? AND kind = ? ORDER BY seq',
      ),
      all: db.prepare<[Kind], { tenant: string; doc: string }>(
        'SELECT tenant, doc FROM csource_doc WHERE kind = ? ORDER BY seq',
      ),
      update: db.prepare('UPDATE csource_doc SET doc = ? WHERE tenant = ? AND kind = ? AND id = ?'),
      delete: db.prepare('DELETE FROM csource_doc WHERE tenant = ? AND kind = ? AND id = ?'),
    };
  }

  /**
   * Every retrieve and query looks for matching registrations, and registrations change rarely:
   * the lists are kept in memory until this process changes them (one process owns the file).
   */
  private readonly lists = new Map<string, unknown[]>();

  private create(tenant: Tenant, kind: Kind, id: string, doc: unknown): boolean {
    this.lists.delete(`${tenant}\u0000${kind}`);
    return this.stmts.insert.run(tenant, kind, id, JSON.stringify(doc)).changes > 0;
  }

  private get<T>(tenant: Tenant, kind: Kind, id: string): T | undefined {
    const row = this.stmts.get.get(tenant, kind, id);
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  private list<T>(tenant: Tenant, kind: Kind): T[] {
    const key = `${tenant}\u0000${kind}`;
    let cached = this.lists.get(key);
    if (!cached) {
      cached = this.stmts.list.all(tenant, kind).map((r) => JSON.parse(r.doc) as T);
      this.lists.set(key, cached);
    }
    return [...cached] as T[];
  }

  private replace(tenant: Tenant, kind: Kind, id: string, doc: unknown): boolean {
    this.lists.delete(`${tenant}\u0000${kind}`);
    return this.stmts.update.run(JSON.stringify(doc), tenant, kind, id).changes > 0;
  }

  private delete(tenant: Tenant, kind: Kind, id: string): boolean {
    this.lists.delete(`${tenant}\u0000${kind}`);
    return this.stmts.delete.run(tenant, kind, id).changes > 0;
  }

  async createRegistration(tenant: Tenant, r: CSourceRegistration): Promise<boolean> {
    return this.create(tenant, 'registration', r.id, r);
  }

  async getRegistration(tenant: Tenant, id: string): Promise<CSourceRegistration | undefined> {
    return this.get(tenant, 'registration', id);
  }

  async listRegistrations(tenant: Tenant): Promise<CSourceRegistration[]> {
    return this.list(tenant, 'registration');
  }

  async replaceRegistration(tenant: Tenant, r: CSourceRegistration): Promise<boolean> {
    return this.replace(tenant, 'registration', r.id, r);
  }

  async deleteRegistration(tenant: Tenant, id: string): Promise<boolean> {
    return this.delete(tenant, 'registration', id);
  }

  async createCSourceSubscription(tenant: Tenant, s: CSourceSubscription): Promise<boolean> {
    return this.create(tenant, 'subscription', s.id, s);
  }

  async getCSourceSubscription(tenant: Tenant, id: string): Promise<CSourceSubscription | undefined> {
    return this.get(tenant, 'subscription', id);
  }

  async listCSourceSubscriptions(tenant: Tenant): Promise<CSourceSubscription[]> {
    return this.list(tenant, 'subscription');
  }

  async allCSourceSubscriptions(): Promise<Array<{ tenant: Tenant; subscription: CSourceSubscription }>> {
    return this.stmts.all
      .all('subscription')
      .map((r) => ({ tenant: r.tenant, subscription: JSON.parse(r.doc) as CSourceSubscription }));
  }

  async replaceCSourceSubscription(tenant: Tenant, s: CSourceSubscription): Promise<boolean> {
    return this.replace(tenant, 'subscription', s.id, s);
  }

  async deleteCSourceSubscription(tenant: Tenant, id: string): Promise<boolean> {
    return this.delete(tenant, 'subscription', id);
  }
}
