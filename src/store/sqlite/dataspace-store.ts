/**
 * The connector's records on SQLite, in tables of their own beside the entities: each record as a
 * JSON document with the columns it is looked up by.
 */
import type Database from 'better-sqlite3';
import type { DspRole } from '../../dataspace/index.ts';
import type {
  AgreementRecord,
  AuditInput,
  AuditQuery,
  AuditRecord,
  DataspaceStore,
  NegotiationRecord,
  OnboardingRecord,
  TransferRecord,
} from '../dataspace-store.ts';
import { migratePart } from './schema.ts';

const STEPS = [
  `CREATE TABLE ds_negotiation (role TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (role, id)) WITHOUT ROWID;
   CREATE TABLE ds_agreement (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE ds_transfer (role TEXT NOT NULL, id TEXT NOT NULL, agreement_id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (role, id)) WITHOUT ROWID;
   CREATE TABLE ds_audit (
     seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL,
     agreement_id TEXT, negotiation_id TEXT, transfer_id TEXT, detail TEXT, message TEXT
   );
   CREATE INDEX ds_audit_agreement ON ds_audit (agreement_id, seq);
   CREATE TABLE ds_setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE ds_onboarding (did TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE ds_seen_request (jti TEXT PRIMARY KEY, expires_ms INTEGER NOT NULL) WITHOUT ROWID;`,
];

/** Most audit records one query returns; the owner pages on with `after`. */
const AUDIT_PAGE_MAX = 1000;

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  outcome: AuditRecord['outcome'];
  agreement_id: string | null;
  negotiation_id: string | null;
  transfer_id: string | null;
  detail: string | null;
  message: string | null;
}

function toAudit(r: AuditRow): AuditRecord {
  const a: AuditRecord = { seq: r.seq, at: r.at, actor: r.actor, action: r.action, outcome: r.outcome };
  if (r.agreement_id !== null) a.agreementId = r.agreement_id;
  if (r.negotiation_id !== null) a.negotiationId = r.negotiation_id;
  if (r.transfer_id !== null) a.transferId = r.transfer_id;
  if (r.detail !== null) a.detail = r.detail;
  if (r.message !== null) a.message = JSON.parse(r.message);
  return a;
}

export class SqliteDataspaceStore implements DataspaceStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    migratePart(db, 'dataspace', STEPS);
    this.s = {
      getNeg: db.prepare<[string, string], { doc: string }>(
        'SELECT doc FROM ds_negotiation WHERE role = ? AND id = ?',
      ),
      putNeg: db.prepare('INSERT OR REPLACE INTO ds_negotiation (role, id, doc) VALUES (?, ?, ?)'),
      listNeg: db.prepare<[], { doc: string }>('SELECT doc FROM ds_negotiation'),
      getAgr: db.prepare<[string], { doc: string }>('SELECT doc FROM ds_agreement WHERE id = ?'),
      putAgr: db.prepare('INSERT OR REPLACE INTO ds_agreement (id, doc) VALUES (?, ?)'),
      listAgr: db.prepare<[], { doc: string }>('SELECT doc FROM ds_agreement'),
      getTr: db.prepare<[string, string], { doc: string }>(
        'SELECT doc FROM ds_transfer WHERE role = ? AND id = ?',
      ),
      putTr: db.prepare(
        'INSERT OR REPLACE INTO ds_transfer (role, id, agreement_id, doc) VALUES (?, ?, ?, ?)',
      ),
      listTr: db.prepare<[], { doc: string }>('SELECT doc FROM ds_transfer'),
      audit: db.prepare(
        `INSERT INTO ds_audit (at, actor, action, outcome, agreement_id, negotiation_id, transfer_id, detail, message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
      ),
      getSet: db.prepare<[string], { value: string }>('SELECT value FROM ds_setting WHERE key = ?'),
      putSet: db.prepare('INSERT OR REPLACE INTO ds_setting (key, value) VALUES (?, ?)'),
      getOnb: db.prepare<[string], { doc: string }>('SELECT doc FROM ds_onboarding WHERE did = ?'),
      putOnb: db.prepare('INSERT OR REPLACE INTO ds_onboarding (did, doc) VALUES (?, ?)'),
      listOnb: db.prepare<[], { doc: string }>('SELECT doc FROM ds_onboarding ORDER BY did'),
      purgeSeen: db.prepare('DELETE FROM ds_seen_request WHERE expires_ms < ?'),
      addSeen: db.prepare('INSERT OR IGNORE INTO ds_seen_request (jti, expires_ms) VALUES (?, ?)'),
    };
  }

  getNegotiation(role: DspRole, id: string): NegotiationRecord | undefined {
    const row = this.s.getNeg.get(role, id);
    return row ? (JSON.parse(row.doc) as NegotiationRecord) : undefined;
  }

  putNegotiation(n: NegotiationRecord): void {
    this.s.putNeg.run(n.role, n.id, JSON.stringify(n));
  }

  listNegotiations(role?: DspRole): NegotiationRecord[] {
    return this.s.listNeg
      .all()
      .map((r) => JSON.parse(r.doc) as NegotiationRecord)
      .filter((n) => role === undefined || n.role === role)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  getAgreement(id: string): AgreementRecord | undefined {
    const row = this.s.getAgr.get(id);
    return row ? (JSON.parse(row.doc) as AgreementRecord) : undefined;
  }

  putAgreement(a: AgreementRecord): void {
    this.s.putAgr.run(a.agreement['@id'], JSON.stringify(a));
  }

  listAgreements(): AgreementRecord[] {
    return this.s.listAgr
      .all()
      .map((r) => JSON.parse(r.doc) as AgreementRecord)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  recordUse(id: string, at: string): AgreementRecord | undefined {
    return this.db.transaction(() => {
      const before = this.getAgreement(id);
      if (!before) return undefined;
      this.putAgreement({
        ...before,
        usageCount: before.usageCount + 1,
        firstUseAt: before.firstUseAt ?? at,
      });
      return before;
    })();
  }

  getTransfer(role: DspRole, id: string): TransferRecord | undefined {
    const row = this.s.getTr.get(role, id);
    return row ? (JSON.parse(row.doc) as TransferRecord) : undefined;
  }

  putTransfer(t: TransferRecord): void {
    this.s.putTr.run(t.role, t.id, t.agreementId, JSON.stringify(t));
  }

  listTransfers(role?: DspRole): TransferRecord[] {
    return this.s.listTr
      .all()
      .map((r) => JSON.parse(r.doc) as TransferRecord)
      .filter((t) => role === undefined || t.role === role)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  audit(e: AuditInput): AuditRecord {
    const at = e.at ?? new Date().toISOString();
    const row = this.s.audit.get(
      at,
      e.actor,
      e.action,
      e.outcome,
      e.agreementId ?? null,
      e.negotiationId ?? null,
      e.transferId ?? null,
      e.detail ?? null,
      e.message === undefined ? null : JSON.stringify(e.message),
    ) as { seq: number };
    const { at: _at, ...rest } = e;
    return { ...rest, seq: row.seq, at };
  }

  queryAudit(q: AuditQuery): AuditRecord[] {
    const where: string[] = ['seq > ?'];
    const params: unknown[] = [q.after ?? 0];
    const eq = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    eq('agreement_id', q.agreementId);
    eq('actor', q.actor);
    eq('outcome', q.outcome);
    if (q.action !== undefined) {
      // A prefix selects a family of steps: `negotiation` matches `negotiation.request.received`.
      where.push("(action = ? OR action LIKE ? ESCAPE '\\')");
      params.push(q.action, `${q.action.replaceAll('%', '').replaceAll('_', '\\_')}.%`);
    }
    params.push(Math.min(q.limit ?? AUDIT_PAGE_MAX, AUDIT_PAGE_MAX));
    return this.db
      .prepare<unknown[], AuditRow>(
        `SELECT * FROM ds_audit WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      )
      .all(...params)
      .map(toAudit);
  }

  getSetting(key: string): string | undefined {
    return this.s.getSet.get(key)?.value;
  }

  putSetting(key: string, value: string): void {
    this.s.putSet.run(key, value);
  }

  getOnboarding(did: string): OnboardingRecord | undefined {
    const row = this.s.getOnb.get(did);
    return row ? (JSON.parse(row.doc) as OnboardingRecord) : undefined;
  }

  putOnboarding(r: OnboardingRecord): void {
    this.s.putOnb.run(r.did, JSON.stringify(r));
  }

  listOnboarding(): OnboardingRecord[] {
    return this.s.listOnb.all().map((r) => JSON.parse(r.doc) as OnboardingRecord);
  }

  rememberRequestId(jti: string, expiresMs: number, nowMs: number): boolean {
    this.s.purgeSeen.run(nowMs);
    return this.s.addSeen.run(jti, expiresMs).changes === 1;
  }
}
