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
import { pageOf } from '../paging.ts';
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
  // the value beside the time makes the index covering for numeric aggregation and time ranges:
  // a week of one series is read from index pages alone, without a table row per instance
  `CREATE INDEX instance_series_value ON instance (sid, observed_at, iid, num);
   DROP INDEX instance_series;`,
];

const INSTANCE_PREFIX = 'urn:ngsi-ld:Instance:';
const TIME_COLUMN = {
  observedAt: 'i.observed_at',
  createdAt: 'i.created_at',
  modifiedAt: 'i.modified_at',
} as const;
/** Series ids kept in memory; bounded, a miss costs one indexed lookup. */
/**
 * Above this many buckets per series an aggregation groups rows instead of walking buckets: a
 * bucket costs one index seek even when empty, so a tiny period over a long range would do
 * more seeks than there are instances.
 */
const BUCKETS_MAX = 100_000;
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
  // members other than type, value and the columns decide whether a document is needed; counted
  // without copying the attribute, which every recorded instance would otherwise pay for
  let extra = 0;
  for (const key in attribute) if (!PLAIN_MEMBERS.has(key)) extra++;
  if (num !== null && extra === 0) return { num, doc: null };
  const rest: Record<string, unknown> = {};
  for (const key in attribute)
    if (!COLUMN_MEMBERS.has(key)) rest[key] = (attribute as unknown as Record<string, unknown>)[key];
  return { num, doc: JSON.stringify(rest) };
}

/** Members stored as columns of an instance row, not in its document. */
const COLUMN_MEMBERS = new Set(['observedAt', 'createdAt', 'modifiedAt', 'datasetId']);
/** All a plain numeric Property has: with nothing else it needs no document. */
const PLAIN_MEMBERS = new Set([...COLUMN_MEMBERS, 'type', 'value']);

/** An instance row as better-sqlite3 returns it raw, in ROW's column order: arrays cost far less than objects. */
type InstanceTuple = [
  iid: number,
  entityId: string,
  attr: string,
  datasetId: string,
  observedAt: number | null,
  createdAt: number,
  modifiedAt: number,
  num: number | null,
  doc: string | null,
];

/**
 * Formats the creation and modification times of a run of rows: the instances of one write
 * share them, so a time is formatted once per distinct instant, not once per row.
 */
interface SeriesRow {
  sid: number;
  entity_id: string;
  attr: string;
  dataset_id: string;
}

/** An instance row of a known series: sid, iid, observed_at, created_at, modified_at, num, doc. */
type SeriesInstanceTuple = [
  sid: number,
  iid: number,
  observedAt: number | null,
  createdAt: number,
  modifiedAt: number,
  num: number | null,
  doc: string | null,
];

function sysTimes(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastText = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastText = iso(ms);
    }
    return lastText;
  };
}

function decode(row: InstanceRow): AttributeInstance {
  return decodeTuple(
    [
      row.iid,
      row.entity_id,
      row.attr,
      row.dataset_id,
      row.observed_at,
      row.created_at,
      row.modified_at,
      row.num,
      row.doc,
    ],
    iso,
  );
}

function decodeTuple(row: InstanceTuple, times: (ms: number) => string): AttributeInstance {
  return decodeParts(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], times, iso);
}

function decodeParts(
  iid: number,
  entityId: string,
  attr: string,
  datasetId: string,
  observedMs: number | null,
  createdMs: number,
  modifiedMs: number,
  num: number | null,
  doc: string | null,
  times: (ms: number) => string,
  observedTimes: (ms: number) => string,
): AttributeInstance {
  const attribute: Attribute =
    doc === null ? { type: 'Property', value: num } : (JSON.parse(doc) as Attribute);
  if (datasetId !== '') attribute.datasetId = datasetId;
  const observedAt = observedMs === null ? undefined : observedTimes(observedMs);
  if (observedAt !== undefined) attribute.observedAt = observedAt;
  const inst: AttributeInstance = {
    instanceId: INSTANCE_PREFIX + iid,
    entityId,
    attr,
    createdAt: times(createdMs),
    modifiedAt: times(modifiedMs),
    attribute,
  };
  if (datasetId !== '') inst.datasetId = datasetId;
  if (observedAt !== undefined) inst.observedAt = observedAt;
  return inst;
}

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: past it toISOString writes a six-digit year. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * Formats a run of times as iso() does, reusing the date of the previous one: a series' readings
 * mostly share their day, and a Date per reading is most of the cost of a long history.
 */
function observedTimes(): (ms: number) => string {
  let dayMs = Number.NaN;
  let prefix = '';
  return (ms) => {
    if (ms < 0 || ms >= LAST_FOUR_DIGIT_YEAR_MS || !Number.isInteger(ms)) return iso(ms);
    const day = ms - (ms % DAY_MS);
    if (day !== dayMs) {
      dayMs = day;
      prefix = new Date(day).toISOString().slice(0, 11);
    }
    let rest = ms - day;
    const milli = rest % 1000;
    rest = (rest - milli) / 1000;
    const second = rest % 60;
    rest = (rest - second) / 60;
    const minute = rest % 60;
    const time = `${prefix}${TWO_DIGITS[(rest - minute) / 60]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}`;
    return milli === 0 ? `${time}Z` : `${time}.${String(milli).padStart(3, '0')}Z`;
  };
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

interface BucketRow {
  b: number;
  totalCount: number;
  distinctCount: number;
  sum: number | null;
  avg: number | null;
  min: number | null;
  max: number | null;
  sumsq: number | null;
  n: number;
}

function bucketValues(r: BucketRow, q: AggregateQuery): AggregateBucket['values'] {
  const values: AggregateBucket['values'] = {};
  for (const m of q.methods) {
    if (m === 'stddev') {
      values.stddev =
        r.n > 0 && r.avg !== null && r.sumsq !== null
          ? Math.sqrt(Math.max(0, r.sumsq / r.n - r.avg * r.avg))
          : null;
    } else values[m] = r[m];
  }
  return values;
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
  /** the bucket bounds temp.history_bucket holds now: series aggregated alike reuse them */
  private bucketsKey = '';

  constructor(private readonly db: Database.Database) {
    migratePart(db, 'series-history', STEPS);
    // per connection, never stored: the buckets one aggregation walks
    db.exec(
      'CREATE TEMP TABLE IF NOT EXISTS history_bucket (n INTEGER PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL)',
    );
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
      // a series the cache lost (it is bounded) may exist already: the conflict returns its id
      `INSERT INTO series (tenant, entity_id, attr, dataset_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant, entity_id, attr, dataset_id) DO UPDATE SET attr = excluded.attr RETURNING sid`,
    );
    this.upsertEntity = db.prepare(
      `INSERT INTO temporal_entity (tenant, id, types, created_at, modified_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant, id) DO UPDATE SET types = excluded.types, modified_at = excluded.modified_at`,
    );
  }

  private seriesId(
    tenant: Tenant,
    entityId: string,
    attr: string,
    datasetId: string,
    prefetched = false,
  ): number {
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
    // make room first, so the cache cannot be emptied halfway through this entity's series
    if (this.seriesIds.size > SERIES_CACHE_MAX - 10_000) this.seriesIds.clear();
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
      const changed: Array<[string, Attribute]> = [];
      for (const [attr, instances] of Object.entries(after.attrs)) {
        const before = change.before?.attrs[attr];
        for (const inst of instances) {
          const prev = before?.find((b) => (b.datasetId ?? '') === (inst.datasetId ?? ''));
          if (prev && prev.modifiedAt === inst.modifiedAt) continue;
          changed.push([attr, inst]);
        }
      }
      // one instance (a partial update) costs one series lookup at most; several read all of
      // the entity's series with one seek
      const prefetched = changed.length > 1;
      if (prefetched) this.prefetchSeries(tenant, after.id);
      for (const [attr, inst] of changed) {
        const modified = Date.parse(inst.modifiedAt ?? after.modifiedAt ?? '') || 0;
        this.insertInstance(tenant, after.id, attr, inst, modified, modified, prefetched);
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
    const rows = this.db
      .prepare<unknown[], { id: string; types: string; created_at: string; modified_at: string }>(sql)
      .iterate(...params);
    const { items, count } = pageOf(
      rows,
      filter,
      (row) => !filter.idPattern || filter.idPattern.test(row.id),
      (row): TemporalEntityRecord => ({
        id: row.id,
        type: JSON.parse(row.types),
        createdAt: row.created_at,
        modifiedAt: row.modified_at,
      }),
    );
    return filter.count ? { records: items, count } : { records: items };
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
    const series = this.db
      .prepare<unknown[], SeriesRow>(
        `SELECT sid, entity_id, attr, dataset_id FROM series s WHERE ${where} ORDER BY entity_id, attr, dataset_id`,
      )
      .all(...params);
    const timeParams: unknown[] = [];
    const time = timeClause(query, timeParams);
    const col = TIME_COLUMN[query.timeproperty];
    // lastN: the newest first; one more than a page holds tells a cut attribute from one that fits
    const limit = Math.min(query.lastN ?? Number.POSITIVE_INFINITY, query.maxPerAttribute + 1);
    const statements = new Map<number, Database.Statement<unknown[], SeriesInstanceTuple>>();
    const instances: AttributeInstance[] = [];
    const truncated = new Map<string, boolean>();
    const times = sysTimes();
    const observed = observedTimes();
    for (let g = 0; g < series.length; ) {
      // an attribute's datasets are one list in time order, as the representation shows them
      let end = g + 1;
      while (
        end < series.length &&
        series[end].entity_id === series[g].entity_id &&
        series[end].attr === series[g].attr
      )
        end++;
      const group = series.slice(g, end);
      g = end;
      let statement = statements.get(group.length);
      if (!statement) {
        // the instance columns only: series names come from `group`, not once per row
        statement = this.db
          .prepare<unknown[], SeriesInstanceTuple>(
            `SELECT i.sid, i.iid, i.observed_at, i.created_at, i.modified_at, i.num, i.doc FROM instance i
             WHERE i.sid IN (${marks(group.length)}) AND ${time}
             ORDER BY ${col} ${query.lastN ? 'DESC' : 'ASC'}, i.iid LIMIT ?`,
          )
          .raw();
        statements.set(group.length, statement);
      }
      const rows = statement.all(
        ...group.map((s) => s.sid),
        ...timeParams,
        Number.isFinite(limit) ? limit : -1,
      );
      const { entity_id: entityId, attr } = group[0];
      if (rows.length > query.maxPerAttribute) {
        rows.length = query.maxPerAttribute;
        truncated.set(`${entityId}\u0000${attr}`, true);
      }
      if (query.lastN) rows.reverse();
      const datasetOf = new Map(group.map((s) => [s.sid, s.dataset_id]));
      for (const r of rows) {
        const datasetId = group.length === 1 ? group[0].dataset_id : (datasetOf.get(r[0]) ?? '');
        instances.push(
          decodeParts(r[1], entityId, attr, datasetId, r[2], r[3], r[4], r[5], r[6], times, observed),
        );
      }
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
    if (q.periodMs < 1 || q.timeproperty !== 'observedAt') return this.aggregateGrouped(tenant, q);
    const params: unknown[] = [];
    const where = this.seriesFilter(tenant, q.entityIds, q.attrs, undefined, params);
    const series = this.db
      .prepare<unknown[], { sid: number; entity_id: string; attr: string }>(
        `SELECT sid, entity_id, attr FROM series s WHERE ${where} ORDER BY entity_id, attr, dataset_id`,
      )
      .all(...params);
    const out: AggregateBucket[] = [];
    for (let i = 0; i < series.length; i++) {
      const s = series[i];
      const shared =
        (i > 0 && series[i - 1].entity_id === s.entity_id && series[i - 1].attr === s.attr) ||
        (i + 1 < series.length && series[i + 1].entity_id === s.entity_id && series[i + 1].attr === s.attr);
      // the datasets of one attribute share its buckets: their rows are grouped together
      const buckets = shared ? undefined : this.seriesBuckets(s.sid, s.entity_id, s.attr, q);
      if (buckets) {
        for (const b of buckets) out.push(b);
      } else if (!shared || series[i - 1]?.entity_id !== s.entity_id || series[i - 1]?.attr !== s.attr) {
        out.push(...this.aggregateGrouped(tenant, { ...q, entityIds: [s.entity_id], attrs: [s.attr] }));
      }
    }
    return out;
  }

  /** Only the aggregates asked for are computed: each costs a step per instance. */
  private aggregateColumns(q: AggregateQuery): string[] {
    const wanted = new Set(q.methods);
    const needsSum = wanted.has('sum') || wanted.has('avg') || wanted.has('stddev');
    return [
      'count(*) AS totalCount',
      wanted.has('distinctCount')
        ? 'count(DISTINCT coalesce(i.num, i.doc)) AS distinctCount'
        : 'NULL AS distinctCount',
      needsSum ? 'sum(i.num) AS sum' : 'NULL AS sum',
      wanted.has('avg') || wanted.has('stddev') ? 'avg(i.num) AS avg' : 'NULL AS avg',
      wanted.has('min') ? 'min(i.num) AS min' : 'NULL AS min',
      wanted.has('max') ? 'max(i.num) AS max' : 'NULL AS max',
      wanted.has('sumsq') || wanted.has('stddev') ? 'sum(i.num * i.num) AS sumsq' : 'NULL AS sumsq',
      'count(i.num) AS n',
    ];
  }

  /**
   * One series' buckets by walking them in time order: each bucket is an index range of the
   * series, so rows arrive grouped and no sort of the series' instances is needed (a GROUP BY
   * on a computed bucket sorts every instance). Undefined when the range holds too many buckets.
   */
  private seriesBuckets(
    sid: number,
    entityId: string,
    attr: string,
    q: AggregateQuery,
  ): AggregateBucket[] | undefined {
    const period = Math.floor(q.periodMs);
    const timeParams: unknown[] = [];
    const time = timeClause(q, timeParams);
    const span = this.db
      .prepare<unknown[], { first: number | null; last: number | null }>(
        `SELECT min(i.observed_at) AS first, max(i.observed_at) AS last FROM instance i WHERE i.sid = ? AND ${time}`,
      )
      .get(sid, ...timeParams);
    if (!span || span.first === null || span.last === null) return [];
    // buckets start at timeAt when given, else at the series' first instance
    const origin =
      q.timeAt !== undefined && q.timerel !== 'before'
        ? q.timeAt
        : (this.db
            .prepare<[number], { t: number }>('SELECT min(observed_at) AS t FROM instance WHERE sid = ?')
            .get(sid)?.t ?? span.first);
    const k0 = Math.floor((span.first - origin) / period);
    const k1 = Math.floor((span.last - origin) / period);
    if (k1 - k0 + 1 > BUCKETS_MAX) return undefined;
    // the time range is one interval, so clipping the outer buckets to the first and last
    // instance in it applies the time filter; the join then seeks exactly one range per bucket
    const key = `${origin}/${period}/${span.first}/${span.last}`;
    if (key !== this.bucketsKey) {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM temp.history_bucket').run();
        const add = this.db.prepare('INSERT INTO temp.history_bucket (n, lo, hi) VALUES (?, ?, ?)');
        for (let k = k0; k <= k1; k++) {
          const lo = Math.max(origin + k * period, span.first as number);
          add.run(k, lo, Math.min(origin + (k + 1) * period, (span.last as number) + 1));
        }
      })();
      this.bucketsKey = key;
    }
    const rows = this.db
      .prepare<unknown[], BucketRow>(
        `SELECT b.n AS b, ${this.aggregateColumns(q).join(', ')}
         FROM temp.history_bucket b JOIN instance i ON i.sid = ? AND i.observed_at >= b.lo AND i.observed_at < b.hi
         GROUP BY b.n ORDER BY b.n`,
      )
      .all(sid);
    return rows.map((r) => {
      const startMs = origin + r.b * q.periodMs;
      return { entityId, attr, startMs, endMs: startMs + q.periodMs, values: bucketValues(r, q) };
    });
  }

  /** Aggregation as one GROUP BY: any time property, one bucket over the range, datasets merged. */
  private aggregateGrouped(tenant: Tenant, q: AggregateQuery): AggregateBucket[] {
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
    const sql = `SELECT s.entity_id, s.attr, ${bucket} AS b, min(${col}) AS t0, max(${col}) AS t1, ${start} AS origin, ${this.aggregateColumns(q).join(', ')}
      FROM series s JOIN instance i ON i.sid = s.sid WHERE ${where}
      GROUP BY s.entity_id, s.attr, b ORDER BY s.entity_id, s.attr, b`;
    const rows = this.db
      .prepare<
        unknown[],
        BucketRow & { entity_id: string; attr: string; t0: number; t1: number; origin: number }
      >(sql)
      .all(...startParams, ...startParams, ...whereParams);
    return rows.map((r) => {
      const startMs = q.periodMs > 0 ? r.origin + r.b * q.periodMs : r.t0;
      const endMs = q.periodMs > 0 ? startMs + q.periodMs : r.t1;
      return { entityId: r.entity_id, attr: r.attr, startMs, endMs, values: bucketValues(r, q) };
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
