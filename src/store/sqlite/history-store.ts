/**
 * History on SQLite: one row per attribute instance, times as epoch milliseconds so range scans
 * and aggregation buckets are integer arithmetic, and plain numeric Properties stored without a
 * JSON document (the common sensor reading costs a row of numbers, not a parse).
 */
import type Database from 'better-sqlite3';
import type { Attribute } from '../../ngsi/index.ts';
import type {
  AggregateBucket,
  AggregateQuery,
  AttributeInstance,
  HistoryStore,
  InstanceQuery,
  TemporalEntityRecord,
  TimeFilter,
} from '../history.ts';
import type { EntityChange, Tenant } from '../store.ts';
import { migratePart } from './schema.ts';

const STEPS = [
  `CREATE TABLE temporal_entity (
     tenant TEXT NOT NULL, id TEXT NOT NULL, types TEXT NOT NULL,
     created_at TEXT NOT NULL, modified_at TEXT NOT NULL,
     PRIMARY KEY (tenant, id)
   ) WITHOUT ROWID;
   CREATE TABLE attr_instance (
     iid INTEGER PRIMARY KEY,
     tenant TEXT NOT NULL, entity_id TEXT NOT NULL, attr TEXT NOT NULL, dataset_id TEXT NOT NULL DEFAULT '',
     observed_at INTEGER, created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL,
     num REAL, doc TEXT
   );
   CREATE INDEX attr_instance_entity ON attr_instance (tenant, entity_id, attr, observed_at);
   CREATE TABLE history_retention (tenant TEXT NOT NULL, type TEXT NOT NULL, ms INTEGER NOT NULL, PRIMARY KEY (tenant, type));`,
];

const INSTANCE_PREFIX = 'urn:ngsi-ld:Instance:';
const TIME_COLUMN = { observedAt: 'observed_at', createdAt: 'created_at', modifiedAt: 'modified_at' } as const;

interface InstanceRow {
  iid: number;
  entity_id: string;
  attr: string;
  dataset_id: string;
  observed_at: number | null;
  created_at: number;
  modified_at: number;
  num: number | null;
  doc: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A plain numeric Property needs no document: type, value and times are columns. */
function encode(attribute: Attribute): { num: number | null; doc: string | null } {
  const num = typeof attribute.value === 'number' && attribute.type === 'Property' ? attribute.value : null;
  const { observedAt: _o, createdAt: _c, modifiedAt: _m, datasetId: _d, ...rest } = attribute;
  const keys = Object.keys(rest);
  if (num !== null && keys.length === 2) return { num, doc: null };
  return { num, doc: JSON.stringify(rest) };
}

function decode(row: InstanceRow): AttributeInstance {
  const attribute: Attribute = row.doc === null ? { type: 'Property', value: row.num } : (JSON.parse(row.doc) as Attribute);
  if (row.dataset_id !== '') attribute.datasetId = row.dataset_id;
  if (row.observed_at !== null) attribute.observedAt = iso(row.observed_at);
  const inst: AttributeInstance = {
    instanceId: INSTANCE_PREFIX + row.iid,
    entityId: row.entity_id,
    attr: row.attr,
    createdAt: iso(row.created_at),
    modifiedAt: iso(row.modified_at),
    attribute,
  };
  if (row.dataset_id !== '') inst.datasetId = row.dataset_id;
  if (row.observed_at !== null) inst.observedAt = iso(row.observed_at);
  return inst;
}

function timeClause(f: TimeFilter, params: unknown[]): string {
  const col = TIME_COLUMN[f.timeproperty];
  const parts = [`${col} IS NOT NULL`];
  if (f.timerel === 'before' && f.timeAt !== undefined) {
    parts.push(`${col} < ?`);
    params.push(f.timeAt);
  } else if (f.timerel === 'after' && f.timeAt !== undefined) {
    parts.push(`${col} > ?`);
    params.push(f.timeAt);
  } else if (f.timerel === 'between' && f.timeAt !== undefined && f.endTimeAt !== undefined) {
    parts.push(`${col} >= ? AND ${col} < ?`);
    params.push(f.timeAt, f.endTimeAt);
  }
  return parts.join(' AND ');
}

export class SqliteHistoryStore implements HistoryStore {
  private readonly insert;
  private readonly upsertEntity;

  constructor(private readonly db: Database.Database) {
    migratePart(db, 'history', STEPS);
    this.insert = db.prepare(
      'INSERT INTO attr_instance (tenant, entity_id, attr, dataset_id, observed_at, created_at, modified_at, num, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.upsertEntity = db.prepare(
      `INSERT INTO temporal_entity (tenant, id, types, created_at, modified_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant, id) DO UPDATE SET types = excluded.types, modified_at = excluded.modified_at`,
    );
  }

  private insertInstance(tenant: Tenant, entityId: string, attr: string, attribute: Attribute, createdMs: number, modifiedMs: number): void {
    const { num, doc } = encode(attribute);
    const observed = attribute.observedAt ? Date.parse(attribute.observedAt) : null;
    this.insert.run(tenant, entityId, attr, attribute.datasetId ?? '', observed, createdMs, modifiedMs, num, doc);
  }

  /** The write hook: every instance an entity write created or changed becomes history. */
  recordChanges(tenant: Tenant, changes: EntityChange[]): void {
    for (const change of changes) {
      const after = change.after;
      if (!after) continue;
      this.upsertEntity.run(tenant, after.id, JSON.stringify(after.type), after.createdAt ?? after.modifiedAt ?? '', after.modifiedAt ?? '');
      for (const [attr, instances] of Object.entries(after.attrs)) {
        const before = change.before?.attrs[attr];
        for (const inst of instances) {
          const prev = before?.find((b) => (b.datasetId ?? '') === (inst.datasetId ?? ''));
          if (prev && prev.modifiedAt === inst.modifiedAt) continue;
          const modified = Date.parse(inst.modifiedAt ?? after.modifiedAt ?? '') || 0;
          this.insertInstance(tenant, after.id, attr, inst, modified, modified);
        }
      }
    }
  }

  async upsertTemporalEntity(tenant: Tenant, id: string, types: string[], now: string): Promise<boolean> {
    const existing = await this.getTemporalEntity(tenant, id);
    const merged = existing ? [...new Set([...existing.type, ...types])] : types;
    this.upsertEntity.run(tenant, id, JSON.stringify(merged), existing?.createdAt ?? now, now);
    this.db.prepare('INSERT OR IGNORE INTO tenant (name) VALUES (?)').run(tenant);
    return !existing;
  }

  async getTemporalEntity(tenant: Tenant, id: string): Promise<TemporalEntityRecord | undefined> {
    const row = this.db
      .prepare<[string, string], { id: string; types: string; created_at: string; modified_at: string }>(
        'SELECT id, types, created_at, modified_at FROM temporal_entity WHERE tenant = ? AND id = ?',
      )
      .get(tenant, id);
    return row ? { id: row.id, type: JSON.parse(row.types), createdAt: row.created_at, modifiedAt: row.modified_at } : undefined;
  }

  async listTemporalEntities(
    tenant: Tenant,
    filter: { ids?: string[]; types?: string[]; idPattern?: RegExp; limit: number; offset: number; count?: boolean },
  ): Promise<{ records: TemporalEntityRecord[]; count?: number }> {
    const params: unknown[] = [tenant];
    let sql = 'SELECT id, types, created_at, modified_at FROM temporal_entity WHERE tenant = ?';
    if (filter.ids && filter.ids.length > 0) {
      sql += ` AND id IN (${filter.ids.map(() => '?').join(',')})`;
      params.push(...filter.ids);
    }
    if (filter.types && filter.types.length > 0) {
      sql += ` AND EXISTS (SELECT 1 FROM json_each(types) t WHERE t.value IN (${filter.types.map(() => '?').join(',')}))`;
      params.push(...filter.types);
    }
    sql += ' ORDER BY id';
    const records: TemporalEntityRecord[] = [];
    let matched = 0;
    for (const row of this.db.prepare<unknown[], { id: string; types: string; created_at: string; modified_at: string }>(sql).iterate(...params)) {
      if (filter.idPattern && !filter.idPattern.test(row.id)) continue;
      if (matched >= filter.offset && records.length < filter.limit) {
        records.push({ id: row.id, type: JSON.parse(row.types), createdAt: row.created_at, modifiedAt: row.modified_at });
      }
      matched++;
      if (!filter.count && records.length >= filter.limit) break;
    }
    return filter.count ? { records, count: matched } : { records };
  }

  async addInstances(tenant: Tenant, entityId: string, instances: Array<{ attr: string; attribute: Attribute }>, now: string): Promise<void> {
    const nowMs = Date.parse(now);
    this.db.transaction(() => {
      for (const { attr, attribute } of instances) this.insertInstance(tenant, entityId, attr, attribute, nowMs, nowMs);
      this.db.prepare('UPDATE temporal_entity SET modified_at = ? WHERE tenant = ? AND id = ?').run(now, tenant, entityId);
    })();
  }

  async queryInstances(tenant: Tenant, query: InstanceQuery): Promise<{ instances: AttributeInstance[]; truncated: Map<string, boolean> }> {
    const params: unknown[] = [tenant];
    let sql = `SELECT * FROM attr_instance WHERE tenant = ? AND entity_id IN (${query.entityIds.map(() => '?').join(',')})`;
    params.push(...query.entityIds);
    if (query.attrs && query.attrs.length > 0) {
      sql += ` AND attr IN (${query.attrs.map(() => '?').join(',')})`;
      params.push(...query.attrs);
    }
    if (query.datasetIds && query.datasetIds.length > 0) {
      sql += ` AND dataset_id IN (${query.datasetIds.map(() => '?').join(',')})`;
      params.push(...query.datasetIds.map((d) => (d === '@none' ? '' : d)));
    }
    sql += ` AND ${timeClause(query, params)}`;
    const col = TIME_COLUMN[query.timeproperty];
    const rows = this.db.prepare<unknown[], InstanceRow>(`${sql} ORDER BY entity_id, attr, ${col} ${query.lastN ? 'DESC' : 'ASC'}, iid`).all(...params);
    const perKey = new Map<string, InstanceRow[]>();
    for (const r of rows) {
      const key = `${r.entity_id}\u0000${r.attr}`;
      let list = perKey.get(key);
      if (!list) perKey.set(key, (list = []));
      list.push(r);
    }
    const instances: AttributeInstance[] = [];
    const truncated = new Map<string, boolean>();
    for (const [key, list] of perKey) {
      let chosen = query.lastN ? list.slice(0, query.lastN) : list;
      if (chosen.length > query.maxPerAttribute) {
        chosen = chosen.slice(0, query.maxPerAttribute);
        truncated.set(key, true);
      }
      if (query.lastN) chosen.reverse();
      for (const r of chosen) instances.push(decode(r));
    }
    return { instances, truncated };
  }

  async aggregate(tenant: Tenant, q: AggregateQuery): Promise<AggregateBucket[]> {
    const params: unknown[] = [];
    const col = TIME_COLUMN[q.timeproperty];
    const where: unknown[] = [tenant, ...q.entityIds];
    let filter = `tenant = ? AND entity_id IN (${q.entityIds.map(() => '?').join(',')})`;
    if (q.attrs && q.attrs.length > 0) {
      filter += ` AND attr IN (${q.attrs.map(() => '?').join(',')})`;
      where.push(...q.attrs);
    }
    const timeParams: unknown[] = [];
    filter += ` AND ${timeClause(q, timeParams)}`;
    where.push(...timeParams);
    // buckets start at timeAt when given, else at each series' first instance
    const start = q.timeAt !== undefined && q.timerel !== 'before' ? '?' : `(SELECT min(${col}) FROM attr_instance s WHERE s.tenant = a.tenant AND s.entity_id = a.entity_id AND s.attr = a.attr)`;
    const startParams = q.timeAt !== undefined && q.timerel !== 'before' ? [q.timeAt] : [];
    const bucket = q.periodMs > 0 ? `CAST((${col} - ${start}) / ${Math.floor(q.periodMs)} AS INTEGER)` : '0';
    const sql = `SELECT entity_id, attr, ${bucket} AS b, min(${col}) AS t0, max(${col}) AS t1, ${start} AS origin,
        count(*) AS totalCount, count(DISTINCT coalesce(num, doc)) AS distinctCount,
        sum(num) AS sum, avg(num) AS avg, min(num) AS min, max(num) AS max, sum(num * num) AS sumsq, count(num) AS n
      FROM attr_instance a WHERE ${filter} GROUP BY entity_id, attr, b ORDER BY entity_id, attr, b`;
    params.push(...startParams, ...startParams, ...where);
    const rows = this.db
      .prepare<unknown[], { entity_id: string; attr: string; b: number; t0: number; t1: number; origin: number; totalCount: number; distinctCount: number; sum: number | null; avg: number | null; min: number | null; max: number | null; sumsq: number | null; n: number }>(sql)
      .all(...params);
    return rows.map((r) => {
      const startMs = q.periodMs > 0 ? r.origin + r.b * q.periodMs : r.t0;
      const endMs = q.periodMs > 0 ? startMs + q.periodMs : r.t1;
      const values: AggregateBucket['values'] = {};
      for (const m of q.methods) {
        if (m === 'stddev') {
          values.stddev = r.n > 0 && r.avg !== null && r.sumsq !== null ? Math.sqrt(Math.max(0, r.sumsq / r.n - r.avg * r.avg)) : null;
        } else values[m] = r[m];
      }
      return { entityId: r.entity_id, attr: r.attr, startMs, endMs, values };
    });
  }

  async latestInstances(tenant: Tenant, entityIds: string[]): Promise<AttributeInstance[]> {
    if (entityIds.length === 0) return [];
    const rows = this.db
      .prepare<unknown[], InstanceRow>(
        `SELECT * FROM attr_instance a WHERE tenant = ? AND entity_id IN (${entityIds.map(() => '?').join(',')})
         AND iid = (SELECT b.iid FROM attr_instance b WHERE b.tenant = a.tenant AND b.entity_id = a.entity_id AND b.attr = a.attr
                    AND b.dataset_id = a.dataset_id ORDER BY coalesce(b.observed_at, b.modified_at) DESC, b.iid DESC LIMIT 1)`,
      )
      .all(tenant, ...entityIds);
    return rows.map(decode);
  }

  private iidOf(instanceId: string): number | undefined {
    if (!instanceId.startsWith(INSTANCE_PREFIX)) return undefined;
    const n = Number(instanceId.slice(INSTANCE_PREFIX.length));
    return Number.isInteger(n) ? n : undefined;
  }

  async modifyInstance(tenant: Tenant, entityId: string, attr: string, instanceId: string, attribute: Attribute, now: string): Promise<boolean> {
    const iid = this.iidOf(instanceId);
    if (iid === undefined) return false;
    const row = this.db
      .prepare<unknown[], InstanceRow>('SELECT * FROM attr_instance WHERE iid = ? AND tenant = ? AND entity_id = ? AND attr = ?')
      .get(iid, tenant, entityId, attr);
    if (!row) return false;
    const merged = { ...decode(row).attribute, ...attribute };
    const { num, doc } = encode(merged);
    const observed = merged.observedAt ? Date.parse(merged.observedAt) : null;
    this.db.prepare('UPDATE attr_instance SET num = ?, doc = ?, observed_at = ?, modified_at = ? WHERE iid = ?').run(num, doc, observed, Date.parse(now), iid);
    return true;
  }

  async deleteInstance(tenant: Tenant, entityId: string, attr: string, instanceId: string): Promise<boolean> {
    const iid = this.iidOf(instanceId);
    if (iid === undefined) return false;
    return this.db.prepare('DELETE FROM attr_instance WHERE iid = ? AND tenant = ? AND entity_id = ? AND attr = ?').run(iid, tenant, entityId, attr).changes > 0;
  }

  async deleteAttribute(tenant: Tenant, entityId: string, attr: string, datasetId: string | undefined, deleteAll: boolean): Promise<boolean> {
    if (deleteAll) {
      return this.db.prepare('DELETE FROM attr_instance WHERE tenant = ? AND entity_id = ? AND attr = ?').run(tenant, entityId, attr).changes > 0;
    }
    return (
      this.db
        .prepare('DELETE FROM attr_instance WHERE tenant = ? AND entity_id = ? AND attr = ? AND dataset_id = ?')
        .run(tenant, entityId, attr, datasetId ?? '').changes > 0
    );
  }

  async deleteTemporalEntity(tenant: Tenant, entityId: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM attr_instance WHERE tenant = ? AND entity_id = ?').run(tenant, entityId);
      return this.db.prepare('DELETE FROM temporal_entity WHERE tenant = ? AND id = ?').run(tenant, entityId).changes > 0;
    })();
  }

  async setRetention(tenant: Tenant, type: string, retentionMs: number | undefined): Promise<void> {
    if (retentionMs === undefined) this.db.prepare('DELETE FROM history_retention WHERE tenant = ? AND type = ?').run(tenant, type);
    else this.db.prepare('INSERT OR REPLACE INTO history_retention (tenant, type, ms) VALUES (?, ?, ?)').run(tenant, type, retentionMs);
  }

  async applyRetention(tenant: Tenant, nowMs: number): Promise<number> {
    const rules = this.db.prepare<[string], { type: string; ms: number }>('SELECT type, ms FROM history_retention WHERE tenant = ?').all(tenant);
    let removed = 0;
    for (const rule of rules) {
      removed += this.db
        .prepare(
          `DELETE FROM attr_instance WHERE tenant = ? AND coalesce(observed_at, modified_at) < ?
           AND entity_id IN (SELECT id FROM temporal_entity t WHERE t.tenant = ? AND EXISTS (SELECT 1 FROM json_each(t.types) j WHERE j.value = ?))`,
        )
        .run(tenant, nowMs - rule.ms, tenant, rule.type).changes;
    }
    return removed;
  }
}
