/**
 * History on SQLite. An attribute's instances form a series (tenant, entity, attribute,
 * datasetId) named by a small integer, so an instance row is a handful of numbers: the series
 * id, epoch-millisecond times, and the value (plain numeric Properties carry no JSON document).
 * At sensor scale that is what keeps a week of minute readings for a thousand sensors in well
 * under a gigabyte, and it lets lastN and time ranges seek one series through one index.
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
   CREATE TABLE series (
     sid INTEGER PRIMARY KEY,
     tenant TEXT NOT NULL, entity_id TEXT NOT NULL, attr TEXT NOT NULL, dataset_id TEXT NOT NULL DEFAULT '',
     UNIQUE (tenant, entity_id, attr, dataset_id)
   );
   CREATE TABLE instance (
     iid INTEGER PRIMARY KEY,
     sid INTEGER NOT NULL,
     observed_at INTEGER, created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL,
     num REAL, doc TEXT
   );
   CREATE INDEX instance_series ON instance (sid, observed_at);
   CREATE TABLE history_retention (tenant TEXT NOT NULL, type TEXT NOT NULL, ms INTEGER NOT NULL, PRIMARY KEY (tenant, type));`,
];

const INSTANCE_PREFIX = 'urn:ngsi-ld:Instance:';
const TIME_COLUMN = {
  observedAt: 'i.observed_at',
  createdAt: 'i.created_at',
  modifiedAt: 'i.modified_at',
} as const;
/** Series ids kept in memory; bounded, a miss costs one indexed lookup. */
const SERIES_CACHE_MAX = 200_000;

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

/** Whole-second times without a `.000` fraction, as clients write them (`2020-08-01T12:03:00Z`). */
function iso(ms: number): string {
  const text = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${text.slice(0, -5)}Z` : text;
}
const ROW =
  'i.iid, s.entity_id, s.attr, s.dataset_id, i.observed_at, i.created_at, i.modified_at, i.num, i.doc';

/** A plain numeric Property needs no document: type, value and times are columns. */
function encode(attribute: Attribute): { num: number | null; doc: string | null } {
  const num = typeof attribute.value === 'number' && attribute.type === 'Property' ? attribute.value : null;
  const { observedAt: _o, createdAt: _c, modifiedAt: _m, datasetId: _d, ...rest } = attribute;
  if (num !== null && Object.keys(rest).length === 2) return { num, doc: null };
  return { num, doc: JSON.stringify(rest) };
}

function decode(row: InstanceRow): AttributeInstance {
  const attribute: Attribute =
    row.doc === null ? { type: 'Property', value: row.num } : (JSON.parse(row.doc) as Attribute);
  if (row.dataset_id !== '') attribute.datasetId = row.dataset_id;
  const observedAt = row.observed_at === null ? undefined : iso(row.observed_at);
  if (observedAt !== undefined) attribute.observedAt = observedAt;
  const inst: AttributeInstance = {
    instanceId: INSTANCE_PREFIX + row.iid,
    entityId: row.entity_id,
    attr: row.attr,
    createdAt: iso(row.created_at),
    modifiedAt: iso(row.modified_at),
    attribute,
  };
  if (row.dataset_id !== '') inst.datasetId = row.dataset_id;
  if (observedAt !== undefined) inst.observedAt = observedAt;
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

const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

export class SqliteHistoryStore implements HistoryStore {
  private readonly insert;
  private readonly newestObserved;
  private readonly sameObservation;
  private readonly replaceInstance;
  private readonly upsertEntity;
  private readonly findSeries;
  private readonly addSeries;
  private readonly entitySeries;
  private readonly seriesIds = new Map<string, number>();

  constructor(private readonly db: Database.Database) {
    migratePart(db, 'series-history', STEPS);
    this.insert = db.prepare(
      'INSERT INTO instance (sid, observed_at, created_at, modified_at, num, doc) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.newestObserved = db.prepare<[number], { t: number | null }>(
      'SELECT max(observed_at) AS t FROM instance WHERE sid = ?',
    );
    this.sameObservation = db.prepare<[number, number], { iid: number }>(
      'SELECT iid FROM instance WHERE sid = ? AND observed_at = ? LIMIT 1',
    );
    this.replaceInstance = db.prepare('UPDATE instance SET num = ?, doc = ?, modified_at = ? WHERE iid = ?');
    this.findSeries = db.prepare<[string, string, string, string], { sid: number }>(
      'SELECT sid FROM series WHERE tenant = ? AND entity_id = ? AND attr = ? AND dataset_id = ?',
    );
    this.entitySeries = db.prepare<[string, string], { attr: string; dataset_id: string; sid: number }>(
      'SELECT attr, dataset_id, sid FROM series WHERE tenant = ? AND entity_id = ?',
    );
    this.addSeries = db.prepare(
      'INSERT INTO series (tenant, entity_id, attr, dataset_id) VALUES (?, ?, ?, ?) RETURNING sid',
    );
    this.upsertEntity = db.prepare(
      `INSERT INTO temporal_entity (tenant, id, types, created_at, modified_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant, id) DO UPDATE SET types = excluded.types, modified_at = excluded.modified_at`,
    );
  }

  private seriesId(tenant: Tenant, entityId: string, attr: string, datasetId: string, prefetched = false): number {
    const key = `${tenant}\u0000${entityId}\u0000${attr}\u0000${datasetId}`;
    let sid = this.seriesIds.get(key);
    if (sid === undefined) {
      // after prefetchSeries a miss means the series is new: no lookup needed
      sid =
        (prefetched ? undefined : this.findSeries.get(tenant, entityId, attr, datasetId)?.sid) ??
        (this.addSeries.get(tenant, entityId, attr, datasetId) as { sid: number }).sid;
      this.remember(key, sid);
    }
    return sid;
  }

  private remember(key: string, sid: number): void {
    if (this.seriesIds.size >= SERIES_CACHE_MAX) this.seriesIds.clear();
    this.seriesIds.set(key, sid);
  }

  /**
   * Loads every series of an entity with one index seek: an entity write touches most of its
   * attributes, and one query beats one lookup per attribute.
   */
  private prefetchSeries(tenant: Tenant, entityId: string): void {
    for (const r of this.entitySeries.all(tenant, entityId)) {
      this.remember(`${tenant}\u0000${entityId}\u0000${r.attr}\u0000${r.dataset_id}`, r.sid);
    }
  }

  private insertInstance(
    tenant: Tenant,
    entityId: string,
    attr: string,
    attribute: Attribute,
    createdMs: number,
    modifiedMs: number,
    prefetched = false,
  ): void {
    const { num, doc } = encode(attribute);
    const observed = attribute.observedAt ? Date.parse(attribute.observedAt) : null;
    this.insert.run(
      this.seriesId(tenant, entityId, attr, attribute.datasetId ?? '', prefetched),
      observed,
      createdMs,
      modifiedMs,
      num,
      doc,
    );
  }

  /** The write hook: every instance an entity write created or changed becomes history. */
  recordChanges(tenant: Tenant, changes: EntityChange[]): void {
    for (const change of changes) {
      const after = change.after;
      if (!after) continue;
      this.upsertEntity.run(
        tenant,
        after.id,
        JSON.stringify(after.type),
        after.createdAt ?? after.modifiedAt ?? '',
        after.modifiedAt ?? '',
      );
      let prefetched = false;
      for (const [attr, instances] of Object.entries(after.attrs)) {
        const before = change.before?.attrs[attr];
        for (const inst of instances) {
          const prev = before?.find((b) => (b.datasetId ?? '') === (inst.datasetId ?? ''));
          if (prev && prev.modifiedAt === inst.modifiedAt) continue;
          if (!prefetched) {
            this.prefetchSeries(tenant, after.id);
            prefetched = true;
          }
          const modified = Date.parse(inst.modifiedAt ?? after.modifiedAt ?? '') || 0;
          this.insertInstance(tenant, after.id, attr, inst, modified, modified, true);
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
    return row
      ? { id: row.id, type: JSON.parse(row.types), createdAt: row.created_at, modifiedAt: row.modified_at }
      : undefined;
  }

  async listTemporalEntities(
    tenant: Tenant,
    filter: {
      ids?: string[];
      types?: string[];
      idPattern?: RegExp;
      limit: number;
      offset: number;
      count?: boolean;
    },
  ): Promise<{ records: TemporalEntityRecord[]; count?: number }> {
    const params: unknown[] = [tenant];
    let sql = 'SELECT id, types, created_at, modified_at FROM temporal_entity WHERE tenant = ?';
    if (filter.ids && filter.ids.length > 0) {
      sql += ` AND id IN (${marks(filter.ids.length)})`;
      params.push(...filter.ids);
    }
    if (filter.types && filter.types.length > 0) {
      sql += ` AND EXISTS (SELECT 1 FROM json_each(types) t WHERE t.value IN (${marks(filter.types.length)}))`;
      params.push(...filter.types);
    }
    sql += ' ORDER BY id';
    const records: TemporalEntityRecord[] = [];
    let matched = 0;
    for (const row of this.db
      .prepare<unknown[], { id: string; types: string; created_at: string; modified_at: string }>(sql)
      .iterate(...params)) {
      if (filter.idPattern && !filter.idPattern.test(row.id)) continue;
      if (matched >= filter.offset && records.length < filter.limit) {
        records.push({
          id: row.id,
          type: JSON.parse(row.types),
          createdAt: row.created_at,
          modifiedAt: row.modified_at,
        });
      }
      matched++;
      if (!filter.count && records.length >= filter.limit) break;
    }
    return filter.count ? { records, count: matched } : { records };
  }

  /**
   * Temporal API writes (clause 5.6.11, 5.6.12): an attribute has one value per observation, so an
   * instance observed at the same time as a stored one (same series) replaces it instead of
   * doubling it. Appending newer readings, the ingest case, costs one index seek per series.
   */
  async addInstances(
    tenant: Tenant,
    entityId: string,
    instances: Array<{ attr: string; attribute: Attribute }>,
    now: string,
  ): Promise<void> {
    const nowMs = Date.parse(now);
    this.db.transaction(() => {
      const newest = new Map<number, number>();
      for (const { attr, attribute } of instances) {
        const observed = attribute.observedAt ? Date.parse(attribute.observedAt) : null;
        const sid = this.seriesId(tenant, entityId, attr, attribute.datasetId ?? '');
        if (observed !== null) {
          const max = newest.get(sid) ?? this.newestObserved.get(sid)?.t ?? Number.NEGATIVE_INFINITY;
          const existing = observed <= max ? this.sameObservation.get(sid, observed) : undefined;
          newest.set(sid, Math.max(max, observed));
          if (existing) {
            const { num, doc } = encode(attribute);
            this.replaceInstance.run(num, doc, nowMs, existing.iid);
            continue;
          }
        }
        const { num, doc } = encode(attribute);
        this.insert.run(sid, observed, nowMs, nowMs, num, doc);
      }
      this.db
        .prepare('UPDATE temporal_entity SET modified_at = ? WHERE tenant = ? AND id = ?')
        .run(now, tenant, entityId);
    })();
  }

  /** The series of the entities, optionally of some attributes and datasets. */
  private seriesFilter(
    tenant: Tenant,
    entityIds: string[],
    attrs: string[] | undefined,
    datasetIds: string[] | undefined,
    params: unknown[],
  ): string {
    let sql = `s.tenant = ? AND s.entity_id IN (${marks(entityIds.length)})`;
    params.push(tenant, ...entityIds);
    if (attrs && attrs.length > 0) {
      sql += ` AND s.attr IN (${marks(attrs.length)})`;
      params.push(...attrs);
    }
    if (datasetIds && datasetIds.length > 0) {
      sql += ` AND s.dataset_id IN (${marks(datasetIds.length)})`;
      params.push(...datasetIds.map((d) => (d === '@none' ? '' : d)));
    }
    return sql;
  }

  async queryInstances(
    tenant: Tenant,
    query: InstanceQuery,
  ): Promise<{ instances: AttributeInstance[]; truncated: Map<string, boolean> }> {
    if (query.entityIds.length === 0) return { instances: [], truncated: new Map() };
    if (query.lastN && query.timeproperty === 'observedAt') return this.lastInstances(tenant, query);
    const params: unknown[] = [];
    const where = this.seriesFilter(tenant, query.entityIds, query.attrs, query.datasetIds, params);
    const time = timeClause(query, params);
    const col = TIME_COLUMN[query.timeproperty];
    const rows = this.db
      .prepare<unknown[], InstanceRow>(
        `SELECT ${ROW} FROM series s JOIN instance i ON i.sid = s.sid WHERE ${where} AND ${time}
         ORDER BY s.entity_id, s.attr, ${col} ${query.lastN ? 'DESC' : 'ASC'}, i.iid`,
      )
      .all(...params);
    const perKey = new Map<string, InstanceRow[]>();
    for (const r of rows) {
      const key = `${r.entity_id}\u0000${r.attr}`;
      const list = perKey.get(key);
      if (list) list.push(r);
      else perKey.set(key, [r]);
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

  /** lastN by index seeks: the newest N instances of each series, oldest first. */
  private lastInstances(
    tenant: Tenant,
    query: InstanceQuery,
  ): { instances: AttributeInstance[]; truncated: Map<string, boolean> } {
    // one more than a page holds tells a cut series (clause 6.3.10) from one that just fits
    const n = Math.min(query.lastN ?? 1, query.maxPerAttribute + 1);
    const params: unknown[] = [];
    const where = this.seriesFilter(tenant, query.entityIds, query.attrs, query.datasetIds, params);
    const series = this.db
      .prepare<unknown[], { sid: number; entity_id: string; attr: string; dataset_id: string }>(
        `SELECT sid, entity_id, attr, dataset_id FROM series s WHERE ${where} ORDER BY entity_id, attr, dataset_id`,
      )
      .all(...params);
    const timeParams: unknown[] = [];
    const time = timeClause(query, timeParams);
    const newest = this.db.prepare<unknown[], InstanceRow>(
      `SELECT i.iid, ? AS entity_id, ? AS attr, ? AS dataset_id, i.observed_at, i.created_at, i.modified_at, i.num, i.doc
       FROM instance i WHERE i.sid = ? AND ${time} ORDER BY i.observed_at DESC, i.iid DESC LIMIT ?`,
    );
    const instances: AttributeInstance[] = [];
    const truncated = new Map<string, boolean>();
    for (const s of series) {
      const rows = newest.all(s.entity_id, s.attr, s.dataset_id, s.sid, ...timeParams, n);
      if (rows.length > query.maxPerAttribute) {
        rows.length = query.maxPerAttribute;
        truncated.set(`${s.entity_id}\u0000${s.attr}`, true);
      }
      for (let i = rows.length - 1; i >= 0; i--) instances.push(decode(rows[i]));
    }
    return { instances, truncated };
  }

  async aggregate(tenant: Tenant, q: AggregateQuery): Promise<AggregateBucket[]> {
    if (q.entityIds.length === 0) return [];
    const col = TIME_COLUMN[q.timeproperty];
    const whereParams: unknown[] = [];
    const where = `${this.seriesFilter(tenant, q.entityIds, q.attrs, undefined, whereParams)} AND ${timeClause(q, whereParams)}`;
    // buckets start at timeAt when given, else at each series' first instance
    const fixedStart = q.timeAt !== undefined && q.timerel !== 'before';
    const start = fixedStart
      ? '?'
      : `(SELECT min(${col.replace('i.', 'f.')}) FROM instance f WHERE f.sid = i.sid)`;
    const startParams = fixedStart ? [q.timeAt] : [];
    const bucket = q.periodMs > 0 ? `CAST((${col} - ${start}) / ${Math.floor(q.periodMs)} AS INTEGER)` : '0';
    // only the requested methods are computed: distinctCount needs a sort per bucket
    const wanted = new Set(q.methods);
    const cols = [
      'count(*) AS totalCount',
      wanted.has('distinctCount')
        ? 'count(DISTINCT coalesce(i.num, i.doc)) AS distinctCount'
        : 'NULL AS distinctCount',
      'sum(i.num) AS sum',
      'avg(i.num) AS avg',
      'min(i.num) AS min',
      'max(i.num) AS max',
      wanted.has('sumsq') || wanted.has('stddev') ? 'sum(i.num * i.num) AS sumsq' : 'NULL AS sumsq',
      'count(i.num) AS n',
    ];
    const sql = `SELECT s.entity_id, s.attr, ${bucket} AS b, min(${col}) AS t0, max(${col}) AS t1, ${start} AS origin, ${cols.join(', ')}
      FROM series s JOIN instance i ON i.sid = s.sid WHERE ${where}
      GROUP BY s.entity_id, s.attr, b ORDER BY s.entity_id, s.attr, b`;
    const rows = this.db
      .prepare<
        unknown[],
        {
          entity_id: string;
          attr: string;
          b: number;
          t0: number;
          t1: number;
          origin: number;
          totalCount: number;
          distinctCount: number;
          sum: number | null;
          avg: number | null;
          min: number | null;
          max: number | null;
          sumsq: number | null;
          n: number;
        }
      >(sql)
      .all(...startParams, ...startParams, ...whereParams);
    return rows.map((r) => {
      const startMs = q.periodMs > 0 ? r.origin + r.b * q.periodMs : r.t0;
      const endMs = q.periodMs > 0 ? startMs + q.periodMs : r.t1;
      const values: AggregateBucket['values'] = {};
      for (const m of q.methods) {
        if (m === 'stddev') {
          values.stddev =
            r.n > 0 && r.avg !== null && r.sumsq !== null
              ? Math.sqrt(Math.max(0, r.sumsq / r.n - r.avg * r.avg))
              : null;
        } else values[m] = r[m];
      }
      return { entityId: r.entity_id, attr: r.attr, startMs, endMs, values };
    });
  }

  async latestInstances(tenant: Tenant, entityIds: string[]): Promise<AttributeInstance[]> {
    if (entityIds.length === 0) return [];
    const params: unknown[] = [];
    const where = this.seriesFilter(tenant, entityIds, undefined, undefined, params);
    const rows = this.db
      .prepare<unknown[], InstanceRow>(
        `SELECT ${ROW} FROM series s JOIN instance i ON i.iid = (
           SELECT b.iid FROM instance b WHERE b.sid = s.sid ORDER BY coalesce(b.observed_at, b.modified_at) DESC, b.iid DESC LIMIT 1)
         WHERE ${where}`,
      )
      .all(...params);
    return rows.map(decode);
  }

  private iidOf(instanceId: string): number | undefined {
    if (!instanceId.startsWith(INSTANCE_PREFIX)) return undefined;
    const n = Number(instanceId.slice(INSTANCE_PREFIX.length));
    return Number.isInteger(n) ? n : undefined;
  }

  private findInstance(
    tenant: Tenant,
    entityId: string,
    attr: string,
    instanceId: string,
  ): InstanceRow | undefined {
    const iid = this.iidOf(instanceId);
    if (iid === undefined) return undefined;
    return this.db
      .prepare<unknown[], InstanceRow>(
        `SELECT ${ROW} FROM instance i JOIN series s ON s.sid = i.sid WHERE i.iid = ? AND s.tenant = ? AND s.entity_id = ? AND s.attr = ?`,
      )
      .get(iid, tenant, entityId, attr);
  }

  async modifyInstance(
    tenant: Tenant,
    entityId: string,
    attr: string,
    instanceId: string,
    attribute: Attribute,
    now: string,
  ): Promise<boolean> {
    const row = this.findInstance(tenant, entityId, attr, instanceId);
    if (!row) return false;
    const merged = { ...decode(row).attribute, ...attribute };
    const { num, doc } = encode(merged);
    const observed = merged.observedAt ? Date.parse(merged.observedAt) : null;
    this.db
      .prepare('UPDATE instance SET num = ?, doc = ?, observed_at = ?, modified_at = ? WHERE iid = ?')
      .run(num, doc, observed, Date.parse(now), row.iid);
    return true;
  }

  async deleteInstance(tenant: Tenant, entityId: string, attr: string, instanceId: string): Promise<boolean> {
    const row = this.findInstance(tenant, entityId, attr, instanceId);
    if (!row) return false;
    return this.db.prepare('DELETE FROM instance WHERE iid = ?').run(row.iid).changes > 0;
  }

  async deleteAttribute(
    tenant: Tenant,
    entityId: string,
    attr: string,
    datasetId: string | undefined,
    deleteAll: boolean,
  ): Promise<boolean> {
    this.seriesIds.clear();
    const params: unknown[] = [tenant, entityId, attr];
    let which = 's.tenant = ? AND s.entity_id = ? AND s.attr = ?';
    if (!deleteAll) {
      which += ' AND s.dataset_id = ?';
      params.push(datasetId ?? '');
    }
    return this.db.transaction(() => {
      const removed = this.db
        .prepare(`DELETE FROM instance WHERE sid IN (SELECT sid FROM series s WHERE ${which})`)
        .run(...params).changes;
      const series = this.db
        .prepare(`DELETE FROM series WHERE sid IN (SELECT sid FROM series s WHERE ${which})`)
        .run(...params).changes;
      return removed + series > 0;
    })();
  }

  async deleteTemporalEntity(tenant: Tenant, entityId: string): Promise<boolean> {
    this.seriesIds.clear();
    return this.db.transaction(() => {
      this.db
        .prepare(
          'DELETE FROM instance WHERE sid IN (SELECT sid FROM series WHERE tenant = ? AND entity_id = ?)',
        )
        .run(tenant, entityId);
      this.db.prepare('DELETE FROM series WHERE tenant = ? AND entity_id = ?').run(tenant, entityId);
      return (
        this.db.prepare('DELETE FROM temporal_entity WHERE tenant = ? AND id = ?').run(tenant, entityId)
          .changes > 0
      );
    })();
  }

  async setRetention(tenant: Tenant, type: string, retentionMs: number | undefined): Promise<void> {
    if (retentionMs === undefined)
      this.db.prepare('DELETE FROM history_retention WHERE tenant = ? AND type = ?').run(tenant, type);
    else
      this.db
        .prepare('INSERT OR REPLACE INTO history_retention (tenant, type, ms) VALUES (?, ?, ?)')
        .run(tenant, type, retentionMs);
  }

  async applyRetention(tenant: Tenant, nowMs: number): Promise<number> {
    const rules = this.db
      .prepare<[string], { type: string; ms: number }>(
        'SELECT type, ms FROM history_retention WHERE tenant = ?',
      )
      .all(tenant);
    let removed = 0;
    for (const rule of rules) {
      removed += this.db
        .prepare(
          `DELETE FROM instance WHERE coalesce(observed_at, modified_at) < ? AND sid IN (
             SELECT s.sid FROM series s JOIN temporal_entity t ON t.tenant = s.tenant AND t.id = s.entity_id
             WHERE s.tenant = ? AND EXISTS (SELECT 1 FROM json_each(t.types) j WHERE j.value = ?))`,
        )
        .run(nowMs - rule.ms, tenant, rule.type).changes;
    }
    return removed;
  }
}
