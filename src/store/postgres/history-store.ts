/**
 * History on PostgreSQL, with the semantics of the SQLite engine: one row per attribute instance,
 * times as epoch milliseconds (buckets are integer arithmetic), plain numeric Properties without a
 * document. Entity writes add their instances in the entity transaction (see `historyRows`);
 * aggregation runs in SQL.
 */
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
import type { PgDb } from './db.ts';
import { SqlParams } from './q-sql.ts';

const INSTANCE_PREFIX = 'urn:ngsi-ld:Instance:';
const TIME_COLUMN = {
  observedAt: 'observed_at',
  createdAt: 'created_at',
  modifiedAt: 'modified_at',
} as const;

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

/** One history row as the entity write statement takes it (jsonb_to_recordset). */
export interface HistoryRow {
  e: string;
  a: string;
  d: string;
  o: number | null;
  c: number;
  m: number;
  n: number | null;
  j: string | null;
}

export interface TemporalRow {
  id: string;
  types: string[];
  c: string;
  m: string;
}

/** Whole-second times without a `.000` fraction, as clients write them and as on SQLite. */
function iso(ms: number): string {
  const text = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${text.slice(0, -5)}Z` : text;
}

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

function instanceRow(
  entityId: string,
  attr: string,
  attribute: Attribute,
  createdMs: number,
  modifiedMs: number,
): HistoryRow {
  const { num, doc } = encode(attribute);
  return {
    e: entityId,
    a: attr,
    d: attribute.datasetId ?? '',
    o: attribute.observedAt ? Date.parse(attribute.observedAt) : null,
    c: createdMs,
    m: modifiedMs,
    n: num,
    j: doc,
  };
}

/**
 * The history an entity write produces: every instance it created or changed, and the temporal
 * entity records (first creation kept, types and modification from the last write).
 */
export function historyRows(changes: EntityChange[]): { instances: HistoryRow[]; temporal: TemporalRow[] } {
  const instances: HistoryRow[] = [];
  const temporal = new Map<string, TemporalRow>();
  for (const change of changes) {
    const after = change.after;
    if (!after) continue;
    const prevRecord = temporal.get(after.id);
    temporal.set(after.id, {
      id: after.id,
      types: after.type,
      c: prevRecord?.c ?? after.createdAt ?? after.modifiedAt ?? '',
      m: after.modifiedAt ?? '',
    });
    for (const [attr, list] of Object.entries(after.attrs)) {
      const before = change.before?.attrs[attr];
      for (const inst of list) {
        const prev = before?.find((b) => (b.datasetId ?? '') === (inst.datasetId ?? ''));
        if (prev && prev.modifiedAt === inst.modifiedAt) continue;
        const modified = Date.parse(inst.modifiedAt ?? after.modifiedAt ?? '') || 0;
        instances.push(instanceRow(after.id, attr, inst, modified, modified));
      }
    }
  }
  return { instances, temporal: [...temporal.values()] };
}

function timeClause(f: TimeFilter, p: SqlParams): string {
  const col = TIME_COLUMN[f.timeproperty];
  const parts = [`${col} IS NOT NULL`];
  if (f.timerel === 'before' && f.timeAt !== undefined) parts.push(`${col} < ${p.add(f.timeAt)}::bigint`);
  else if (f.timerel === 'after' && f.timeAt !== undefined) parts.push(`${col} > ${p.add(f.timeAt)}::bigint`);
  else if (f.timerel === 'between' && f.timeAt !== undefined && f.endTimeAt !== undefined) {
    parts.push(`${col} >= ${p.add(f.timeAt)}::bigint AND ${col} < ${p.add(f.endTimeAt)}::bigint`);
  }
  return parts.join(' AND ');
}

type TemporalDbRow = { id: string; types: string[]; created_at: string; modified_at: string };
const record = (r: TemporalDbRow): TemporalEntityRecord => ({
  id: r.id,
  type: r.types,
  createdAt: r.created_at,
  modifiedAt: r.modified_at,
});

export class PostgresHistoryStore implements HistoryStore {
  constructor(private readonly db: PgDb) {}

  async upsertTemporalEntity(tenant: Tenant, id: string, types: string[], now: string): Promise<boolean> {
    return this.db.transaction(async (c) => {
      const existing = await c.query<TemporalDbRow>(
        'SELECT id, types, created_at, modified_at FROM temporal_entity WHERE tenant = $1 AND id = $2 FOR UPDATE',
        [tenant, id],
      );
      const prev = existing.rows[0];
      const merged = prev ? [...new Set([...prev.types, ...types])] : types;
      await c.query(
        `INSERT INTO temporal_entity (tenant, id, types, created_at, modified_at) VALUES ($1, $2, $3::jsonb, $4, $5)
         ON CONFLICT (tenant, id) DO UPDATE SET types = excluded.types, modified_at = excluded.modified_at`,
        [tenant, id, JSON.stringify(merged), prev?.created_at ?? now, now],
      );
      await c.query('INSERT INTO tenant (name) VALUES ($1) ON CONFLICT DO NOTHING', [tenant]);
      return !prev;
    });
  }

  async getTemporalEntity(tenant: Tenant, id: string): Promise<TemporalEntityRecord | undefined> {
    const rows = await this.db.query<TemporalDbRow>(
      'SELECT id, types, created_at, modified_at FROM temporal_entity WHERE tenant = $1 AND id = $2',
      [tenant, id],
      'tb_history_get',
    );
    return rows[0] ? record(rows[0]) : undefined;
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
    const p = new SqlParams([tenant]);
    let sql = 'SELECT id, types, created_at, modified_at FROM temporal_entity WHERE tenant = $1';
    if (filter.ids && filter.ids.length > 0) sql += ` AND id = ANY(${p.add(filter.ids)}::text[])`;
    if (filter.types && filter.types.length > 0) sql += ` AND types ?| ${p.add(filter.types)}::text[]`;
    sql += ' ORDER BY id';
    const rows = await this.db.query<TemporalDbRow>(sql, p.values);
    const { items, count } = pageOf(
      rows,
      filter,
      (row) => !filter.idPattern || filter.idPattern.test(row.id),
      record,
    );
    return filter.count ? { records: items, count } : { records: items };
  }

  async addInstances(
    tenant: Tenant,
    entityId: string,
    instances: Array<{ attr: string; attribute: Attribute }>,
    now: string,
  ): Promise<void> {
    const nowMs = Date.parse(now);
    const rows = instances.map(({ attr, attribute }) => instanceRow(entityId, attr, attribute, nowMs, nowMs));
    await this.db.transaction(async (c) => {
      // one value per observation (clause 5.6.11): an instance observed at the time of a stored
      // one of the same attribute and dataset replaces its value and keeps its instanceId
      const fresh: HistoryRow[] = [];
      for (const r of rows) {
        if (r.o === null) {
          fresh.push(r);
          continue;
        }
        const replaced = await c.query(
          `UPDATE attr_instance SET num = $6, doc = $7, modified_at = $8
           WHERE iid = (SELECT iid FROM attr_instance WHERE tenant = $1 AND entity_id = $2 AND attr = $3 AND dataset_id = $4 AND observed_at = $5 ORDER BY iid LIMIT 1)`,
          [tenant, r.e, r.a, r.d, r.o, r.n, r.j, r.m],
        );
        // inserted at once, so a later instance of this request observed at the same time replaces it
        if (replaced.rowCount === 0) await insertHistory(c, tenant, [r]);
      }
      await insertHistory(c, tenant, fresh);
      await c.query('UPDATE temporal_entity SET modified_at = $1 WHERE tenant = $2 AND id = $3', [
        now,
        tenant,
        entityId,
      ]);
    });
  }

  async queryInstances(
    tenant: Tenant,
    query: InstanceQuery,
  ): Promise<{ instances: AttributeInstance[]; truncated: Map<string, boolean> }> {
    const p = new SqlParams([tenant, query.entityIds]);
    let sql = 'SELECT * FROM attr_instance WHERE tenant = $1 AND entity_id = ANY($2::text[])';
    if (query.attrs && query.attrs.length > 0) sql += ` AND attr = ANY(${p.add(query.attrs)}::text[])`;
    if (query.datasetIds && query.datasetIds.length > 0) {
      sql += ` AND dataset_id = ANY(${p.add(query.datasetIds.map((d) => (d === '@none' ? '' : d)))}::text[])`;
    }
    sql += ` AND ${timeClause(query, p)}`;
    const col = TIME_COLUMN[query.timeproperty];
    const rows = await this.db.query<InstanceRow>(
      `${sql} ORDER BY entity_id, attr, ${col} ${query.lastN ? 'DESC' : 'ASC'}, iid`,
      p.values,
    );
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

  async aggregate(tenant: Tenant, q: AggregateQuery): Promise<AggregateBucket[]> {
    const col = TIME_COLUMN[q.timeproperty];
    const p = new SqlParams([tenant, q.entityIds]);
    let filter = 'a.tenant = $1 AND a.entity_id = ANY($2::text[])';
    if (q.attrs && q.attrs.length > 0) filter += ` AND a.attr = ANY(${p.add(q.attrs)}::text[])`;
    filter += ` AND ${timeClause(q, p).replaceAll(`${col} `, `a.${col} `)}`;
    // buckets start at timeAt when given, else at each series' first instance
    const start =
      q.timeAt !== undefined && q.timerel !== 'before'
        ? `${p.add(q.timeAt)}::bigint`
        : `(SELECT min(s.${col}) FROM attr_instance s WHERE s.tenant = a.tenant AND s.entity_id = a.entity_id AND s.attr = a.attr)`;
    const bucket =
      q.periodMs > 0
        ? `floor((a.${col} - ${start})::double precision / ${Math.floor(q.periodMs)})::bigint`
        : '0::bigint';
    const sql = `SELECT entity_id, attr, b, min(t) AS t0, max(t) AS t1, min(origin) AS origin,
        count(*)::int AS "totalCount", count(DISTINCT coalesce(num::text, doc))::int AS "distinctCount",
        sum(num) AS sum, avg(num) AS avg, min(num) AS min, max(num) AS max, sum(num * num) AS sumsq, count(num)::int AS n
      FROM (SELECT a.entity_id, a.attr, a.${col} AS t, a.num, a.doc, ${bucket} AS b, ${start} AS origin FROM attr_instance a WHERE ${filter}) x
      GROUP BY entity_id, attr, b ORDER BY entity_id, attr, b`;
    const rows = await this.db.query<{
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
    }>(sql, p.values);
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
    const rows = await this.db.query<InstanceRow>(
      `SELECT DISTINCT ON (entity_id, attr, dataset_id) * FROM attr_instance
       WHERE tenant = $1 AND entity_id = ANY($2::text[])
       ORDER BY entity_id, attr, dataset_id, coalesce(observed_at, modified_at) DESC, iid DESC`,
      [tenant, entityIds],
    );
    return rows.map(decode);
  }

  private iidOf(instanceId: string): number | undefined {
    if (!instanceId.startsWith(INSTANCE_PREFIX)) return undefined;
    const n = Number(instanceId.slice(INSTANCE_PREFIX.length));
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  }

  async modifyInstance(
    tenant: Tenant,
    entityId: string,
    attr: string,
    instanceId: string,
    attribute: Attribute,
    now: string,
  ): Promise<boolean> {
    const iid = this.iidOf(instanceId);
    if (iid === undefined) return false;
    return this.db.transaction(async (c) => {
      const found = await c.query<InstanceRow>(
        'SELECT * FROM attr_instance WHERE iid = $1 AND tenant = $2 AND entity_id = $3 AND attr = $4 FOR UPDATE',
        [iid, tenant, entityId, attr],
      );
      if (!found.rows[0]) return false;
      const merged = { ...decode(found.rows[0]).attribute, ...attribute };
      const { num, doc } = encode(merged);
      const observed = merged.observedAt ? Date.parse(merged.observedAt) : null;
      await c.query(
        'UPDATE attr_instance SET num = $1, doc = $2, observed_at = $3, modified_at = $4 WHERE iid = $5',
        [num, doc, observed, Date.parse(now), iid],
      );
      return true;
    });
  }

  async deleteInstance(tenant: Tenant, entityId: string, attr: string, instanceId: string): Promise<boolean> {
    const iid = this.iidOf(instanceId);
    if (iid === undefined) return false;
    return (
      (await this.db.rowCount(
        'DELETE FROM attr_instance WHERE iid = $1 AND tenant = $2 AND entity_id = $3 AND attr = $4',
        [iid, tenant, entityId, attr],
      )) > 0
    );
  }

  async deleteAttribute(
    tenant: Tenant,
    entityId: string,
    attr: string,
    datasetId: string | undefined,
    deleteAll: boolean,
  ): Promise<boolean> {
    if (deleteAll)
      return (
        (await this.db.rowCount(
          'DELETE FROM attr_instance WHERE tenant = $1 AND entity_id = $2 AND attr = $3',
          [tenant, entityId, attr],
        )) > 0
      );
    return (
      (await this.db.rowCount(
        'DELETE FROM attr_instance WHERE tenant = $1 AND entity_id = $2 AND attr = $3 AND dataset_id = $4',
        [tenant, entityId, attr, datasetId ?? ''],
      )) > 0
    );
  }

  async deleteTemporalEntity(tenant: Tenant, entityId: string): Promise<boolean> {
    return this.db.transaction(async (c) => {
      await c.query('DELETE FROM attr_instance WHERE tenant = $1 AND entity_id = $2', [tenant, entityId]);
      return (
        ((await c.query('DELETE FROM temporal_entity WHERE tenant = $1 AND id = $2', [tenant, entityId]))
          .rowCount ?? 0) > 0
      );
    });
  }

  async setRetention(tenant: Tenant, type: string, retentionMs: number | undefined): Promise<void> {
    if (retentionMs === undefined)
      await this.db.query('DELETE FROM history_retention WHERE tenant = $1 AND type = $2', [tenant, type]);
    else {
      await this.db.query(
        'INSERT INTO history_retention (tenant, type, ms) VALUES ($1, $2, $3) ON CONFLICT (tenant, type) DO UPDATE SET ms = excluded.ms',
        [tenant, type, retentionMs],
      );
    }
  }

  async applyRetention(tenant: Tenant, nowMs: number): Promise<number> {
    return this.db.rowCount(
      `DELETE FROM attr_instance a USING history_retention r, temporal_entity t
       WHERE r.tenant = $1 AND a.tenant = $1 AND t.tenant = $1 AND t.id = a.entity_id AND t.types ? r.type
         AND coalesce(a.observed_at, a.modified_at) < $2::bigint - r.ms`,
      [tenant, nowMs],
    );
  }
}

/** Inserts history rows in one statement (the temporal API's own writes). */
export async function insertHistory(
  c: { query: (text: string, values: unknown[]) => Promise<unknown> },
  tenant: Tenant,
  rows: HistoryRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await c.query(
    `INSERT INTO attr_instance (tenant, entity_id, attr, dataset_id, observed_at, created_at, modified_at, num, doc)
     SELECT $1, x.e, x.a, x.d, x.o, x.c, x.m, x.n, x.j FROM jsonb_to_recordset($2::jsonb) AS x(e text, a text, d text, o bigint, c bigint, m bigint, n double precision, j text)`,
    [tenant, JSON.stringify(rows)],
  );
}
