/**
 * The production engine: PostgreSQL with PostGIS, shared by any number of twinbox nodes. Entities
 * are JSONB documents with their types in an array (GIN) and every GeoProperty instance as a
 * PostGIS geometry (GiST, plus a GiST on its geography for metre distances). As on SQLite, queries
 * prefilter in SQL and refine in memory with the exact NGSI-LD semantics of ngsi/ (filter-refine).
 *
 * A write locks the entities it reads (SELECT ... FOR UPDATE, in id order so two writers never
 * deadlock), lets the mutation decide, and commits the documents, their geometries, their history
 * and the subscription change log in one statement of the same transaction. A concurrent create of
 * the same id surfaces as a unique violation and the whole read-modify-write runs again, so no
 * node ever loses another's update.
 */
import pg from 'pg';
import { candidateBBox, compareByOrder, type Entity, type GeoQuery, refineEntity } from '../../ngsi/index.ts';
import { addAttrValues, emptyAttrValueRows, INDEXED_STRING_CHARS } from '../attr-values.ts';
import { refinementOf, typesOf } from '../query-refinement.ts';
import type {
  EntityChange,
  EntityQuery,
  QueryResult,
  Store,
  StoredContext,
  Tenant,
  TypeSummary,
  WritePlan,
} from '../store.ts';
import { PgDb } from './db.ts';
import { historyRows, PostgresHistoryStore } from './history-store.ts';
import { PostgresIngestionStore } from './ingestion-store.ts';
import { qIndexCandidates, qToSql, SqlParams } from './q-sql.ts';
import { PostgresRegistrationStore, REGISTRATION_CHANNEL } from './registration-store.ts';
import { migrate } from './schema.ts';
import { PostgresSubscriptionStore, SUBSCRIPTION_CHANNEL } from './subscription-store.ts';

export interface PostgresStoreOptions {
  /** connections per node; the default suits a node on a small machine */
  poolSize?: number;
  /** how long an unused connection stays open (default 10 s) */
  idleTimeoutMs?: number;
  /** run migrations on open (the default); `twinbox migrate` runs them on its own */
  migrate?: boolean;
}

/**
 * Connections per node. A request holds one for a round trip only; on a few cores more
 * connections than this add server processes competing for the CPU, not throughput.
 */
const DEFAULT_POOL_SIZE = 8;

/**
 * Widening of the `near` distance pushed to PostGIS: the exact test in memory measures on turf's
 * sphere (and approximates distances to lines), PostGIS on its own sphere; 1 % and a metre keep
 * the prefilter a superset of the matches.
 */
const NEAR_SLACK = 1.01;
const NEAR_SLACK_M = 1;
/** Degrees of slack for planar predicates: boundary points must not be lost to rounding. */
const PLANAR_SLACK_DEG = 1e-9;

function geoSql(g: GeoQuery, p: SqlParams): string {
  const attr = p.add(g.geoproperty);
  const base = `e.id IN (SELECT g.entity_id FROM entity_geo g WHERE g.tenant = $1 AND g.attr = ${attr}`;
  if (!candidateBBox(g)) return `${base})`;
  const ref = `ST_SetSRID(ST_GeomFromGeoJSON(${p.add(JSON.stringify(g.geometry))}::text), 4326)`;
  if (g.georel.kind === 'near' && g.georel.maxDistanceM !== undefined) {
    const d = p.add(g.georel.maxDistanceM * NEAR_SLACK + NEAR_SLACK_M);
    return `${base} AND ST_DWithin(g.geom::geography, ${ref}::geography, ${d}::double precision, false))`;
  }
  // within, contains, overlaps, equals and intersects all imply that the geometries intersect
  return `${base} AND ST_DWithin(g.geom, ${ref}, ${PLANAR_SLACK_DEG}))`;
}

/** The geometries of an entity's GeoProperty instances, as the write statement takes them. */
function geoRows(entity: Entity): Array<{ id: string; attr: string; g: unknown }> {
  const out: Array<{ id: string; attr: string; g: unknown }> = [];
  for (const [attr, instances] of Object.entries(entity.attrs)) {
    for (const inst of instances)
      if (inst.type === 'GeoProperty') out.push({ id: entity.id, attr, g: inst.value });
  }
  return out;
}

// Rows of a written entity are found by `= ANY(array)` on its ids ($11; deleted ones $12), never
// by a join with the JSON parameter: right after a bulk load the statistics are stale, and a join
// would be planned as a hash join over every row of the tenant.
const WRITE_SQL = `WITH w AS (SELECT x.id, x.doc FROM jsonb_to_recordset($2::jsonb) AS x(id text, doc jsonb)),
  del AS (DELETE FROM entity e WHERE e.tenant = $1 AND e.id = ANY($12::text[])),
  ups AS (INSERT INTO entity (tenant, id, types, doc)
          SELECT $1, w.id, ARRAY(SELECT jsonb_array_elements_text(w.doc -> 'type')), w.doc FROM w WHERE w.doc IS NOT NULL
          ON CONFLICT (tenant, id) DO UPDATE SET types = excluded.types, doc = excluded.doc),
  gdel AS (DELETE FROM entity_geo g WHERE g.tenant = $1 AND g.entity_id = ANY($11::text[])),
  gins AS (INSERT INTO entity_geo (tenant, entity_id, attr, geom)
           SELECT $1, x.id, x.attr, ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326) FROM jsonb_to_recordset($3::jsonb) AS x(id text, attr text, g jsonb)),
  vdel AS (DELETE FROM attr_value v WHERE v.tenant = $1 AND v.entity_id = ANY($11::text[])),
  vins AS (INSERT INTO attr_value (tenant, entity_id, attr, num, str)
           SELECT $1, x.e, x.a, x.n, left(x.s, ${INDEXED_STRING_CHARS})
           FROM unnest($7::text[], $8::text[], $9::float8[], $10::text[]) AS x(e, a, n, s)),
  hist AS (INSERT INTO attr_instance (tenant, entity_id, attr, dataset_id, observed_at, created_at, modified_at, num, doc)
           SELECT $1, x.e, x.a, x.d, x.o, x.c, x.m, x.n, x.j
           FROM jsonb_to_recordset($4::jsonb) AS x(e text, a text, d text, o bigint, c bigint, m bigint, n double precision, j text)),
  temporal AS (INSERT INTO temporal_entity (tenant, id, types, created_at, modified_at)
               SELECT $1, x.id, x.types, x.c, x.m FROM jsonb_to_recordset($5::jsonb) AS x(id text, types jsonb, c text, m text)
               ON CONFLICT (tenant, id) DO UPDATE SET types = excluded.types, modified_at = excluded.modified_at),
  ten AS (INSERT INTO tenant (name) VALUES ($1) ON CONFLICT DO NOTHING),
  chg AS (INSERT INTO subscription_change (tenant, changes)
          SELECT $1, $6::text WHERE EXISTS (SELECT 1 FROM subscription WHERE tenant = $1) RETURNING seq)
SELECT count(*)::int AS logged FROM chg`;

interface ContextRow {
  id: string;
  url: string;
  kind: StoredContext['kind'];
  body: string;
  created_at: string;
  last_usage: string | null;
  hits: number;
}

function contextFromRow(r: ContextRow): StoredContext {
  const c: StoredContext = {
    id: r.id,
    url: r.url,
    kind: r.kind,
    body: JSON.parse(r.body),
    createdAt: r.created_at,
    numberOfHits: r.hits,
  };
  if (r.last_usage) c.lastUsage = r.last_usage;
  return c;
}

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  readonly history: PostgresHistoryStore;
  readonly ingestion: PostgresIngestionStore;
  readonly registrations: PostgresRegistrationStore;
  readonly subscriptions: PostgresSubscriptionStore;
  /** resolves once the schema is migrated and the node listens for other nodes' changes */
  readonly ready: Promise<void>;
  private readonly pool: pg.Pool;
  private readonly db: PgDb;
  private listener: pg.Client | undefined;
  private closed = false;

  /**
   * Connects lazily: the constructor returns at once and every operation waits for the schema,
   * so a synchronous `openStore` can hand out a PostgreSQL store. `openPostgresStore` waits.
   */
  constructor(
    private readonly url: string,
    options: PostgresStoreOptions = {},
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
    });
    // an idle connection broken by a database restart must not crash the node
    this.pool.on('error', () => undefined);
    this.ready = this.init(options.migrate ?? true);
    this.ready.catch(() => undefined);
    this.db = new PgDb(this.pool, this.ready);
    this.history = new PostgresHistoryStore(this.db);
    this.ingestion = new PostgresIngestionStore(this.db);
    this.registrations = new PostgresRegistrationStore(this.db);
    this.subscriptions = new PostgresSubscriptionStore(this.db);
  }

  private async init(runMigrations: boolean): Promise<void> {
    if (runMigrations) {
      const client = await this.pool.connect().catch((err: Error) => {
        throw unreachable(this.url, err);
      });
      try {
        await migrate(client);
      } finally {
        client.release();
      }
    }
    await this.listen();
  }

  /** One connection per node LISTENs for subscription changes made by other nodes. */
  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel === REGISTRATION_CHANNEL) this.registrations.remoteChanged(msg.payload);
      else this.subscriptions.remoteChanged();
    });
    client.on('error', () => {
      this.subscriptions.listening = false;
      this.registrations.listening = false;
      this.listener = undefined;
      client.end().catch(() => undefined);
      // until it is back, the notifier reloads subscriptions on every drain
      setTimeout(() => void this.listen().catch(() => undefined), 1000).unref();
    });
    await client.connect().catch((err: Error) => {
      throw unreachable(this.url, err);
    });
    await client.query(`LISTEN ${SUBSCRIPTION_CHANNEL}; LISTEN ${REGISTRATION_CHANNEL}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.listener = client;
    this.subscriptions.listening = true;
    this.subscriptions.remoteChanged();
    this.registrations.listening = true;
  }

  async getEntity(tenant: Tenant, id: string): Promise<Entity | undefined> {
    const rows = await this.db.query<{ doc: Entity }>(
      'SELECT doc FROM entity WHERE tenant = $1 AND id = $2',
      [tenant, id],
      'tb_entity_get',
    );
    return rows[0]?.doc;
  }

  async queryEntities(tenant: Tenant, query: EntityQuery): Promise<QueryResult> {
    const p = new SqlParams([tenant]);
    const where: string[] = [];
    const types = typesOf(query.type);
    // Candidates come from the most selective index: ids, else a q term through attr_value
    // (forced to drive the join, one primary-key probe per candidate), else the whole tenant.
    let from = 'entity e';
    const candidates =
      query.ids && query.ids.length > 0 ? undefined : query.q && qIndexCandidates(query.q, p);
    if (candidates) {
      from = `(${candidates}) c CROSS JOIN LATERAL (SELECT e.id, e.types, e.doc FROM entity e WHERE e.tenant = $1 AND e.id = c.entity_id OFFSET 0) e`;
    } else where.push('e.tenant = $1');
    if (types.exact) where.push(`e.types && ${p.add(types.exact)}::text[]`);
    if (query.ids && query.ids.length > 0) where.push(`e.id = ANY(${p.add(query.ids)}::text[])`);
    if (query.geoQ) where.push(geoSql(query.geoQ, p));
    if (query.q || (query.attrs && query.attrs.length > 0)) {
      // the attributes object is taken out of the document once per row (OFFSET 0 keeps the
      // subquery from being inlined): each term would otherwise detoast the whole document again
      from += " CROSS JOIN LATERAL (SELECT e.doc -> 'attrs' AS attrs OFFSET 0) a";
      if (query.q) {
        const f = qToSql(query.q, 'a.attrs', p);
        if (f) where.push(f);
      }
      if (query.attrs && query.attrs.length > 0) where.push(`a.attrs ?| ${p.add(query.attrs)}::text[]`);
    }
    const { refinement, needsRefine } = refinementOf(query, types);
    const base = `FROM ${from} WHERE ${where.length > 0 ? where.join(' AND ') : 'true'}`;
    if (!needsRefine) {
      const limit = p.add(query.limit);
      const offset = p.add(query.offset);
      const total = query.count ? ', count(*) OVER ()::int AS total' : '';
      const rows = await this.db.queryShape<{ doc: Entity; total?: number }>(
        `SELECT e.doc${total} ${base} ORDER BY e.id LIMIT ${limit} OFFSET ${offset}`,
        p.values,
      );
      const result: QueryResult = { entities: rows.map((r) => r.doc) };
      if (query.count) {
        result.count =
          rows[0]?.total ??
          (
            await this.db.query<{ n: number }>(
              `SELECT count(*)::int AS n ${base}`,
              p.values.slice(0, p.values.length - 2),
            )
          )[0].n;
      }
      return result;
    }
    // refine in id-ordered chunks (keyset pagination), stopping once the page is full; sorting
    // by attribute values needs every match, fine for the result sizes orderBy serves
    const all = query.orderBy !== undefined || query.count === true;
    const entities: Entity[] = [];
    let matched = 0;
    const chunk = all ? 2000 : Math.min(2000, Math.max(100, (query.limit + query.offset) * 2));
    const after = p.add('');
    const size = p.add(chunk);
    const sql = `SELECT e.id, e.doc ${base} AND e.id > ${after} ORDER BY e.id LIMIT ${size}`;
    const afterIndex = p.values.length - 2;
    const sorted: Entity[] = [];
    for (;;) {
      const rows = await this.db.queryShape<{ id: string; doc: Entity }>(sql, p.values);
      for (const row of rows) {
        if (!refineEntity(row.doc, refinement)) continue;
        if (query.orderBy) sorted.push(row.doc);
        else if (matched >= query.offset && entities.length < query.limit) entities.push(row.doc);
        matched++;
        if (!all && entities.length >= query.limit) break;
      }
      if (rows.length < chunk || (!all && entities.length >= query.limit)) break;
      p.values[afterIndex] = rows[rows.length - 1].id;
    }
    if (query.orderBy) {
      const keys = query.orderBy;
      sorted.sort((a, b) => compareByOrder(a, b, keys));
      entities.push(...sorted.slice(query.offset, query.offset + query.limit));
    }
    const result: QueryResult = { entities };
    if (query.count) result.count = matched;
    return result;
  }

  async modifyEntities<T>(
    tenant: Tenant,
    ids: string[],
    mutate: (current: ReadonlyMap<string, Entity>) => WritePlan<T>,
  ): Promise<{ result: T; changes: EntityChange[] }> {
    const lockIds = [...new Set(ids)].sort();
    return this.db.transaction(async (c) => {
      const locked = await c.query<{ id: string; doc: Entity }>({
        name: 'tb_entity_lock',
        text: 'SELECT id, doc FROM entity WHERE tenant = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE',
        values: [tenant, lockIds],
      });
      const current = new Map<string, Entity>();
      for (const row of locked.rows) current.set(row.id, row.doc);
      const plan = mutate(current);
      const changes: EntityChange[] = [];
      const final = new Map<string, Entity | null>();
      for (const w of plan.writes) {
        const before = current.get(w.id);
        if (w.entity === null) {
          if (before !== undefined || final.has(w.id)) final.set(w.id, null);
          current.delete(w.id);
          changes.push({ id: w.id, before });
          continue;
        }
        final.set(w.id, w.entity);
        current.set(w.id, w.entity);
        changes.push({ id: w.id, before, after: w.entity });
      }
      if (plan.writes.length > 0) {
        const docs = [...final].map(([id, doc]) => ({ id, doc }));
        const geos = [...final.values()].flatMap((e) => (e ? geoRows(e) : []));
        const values = emptyAttrValueRows();
        for (const e of final.values()) if (e) addAttrValues(values, e);
        const { instances, temporal } = historyRows(changes);
        const records = changes.map((ch) => {
          const r: { id: string; before?: Entity; after?: Entity } = { id: ch.id };
          if (ch.before) r.before = ch.before;
          if (ch.after) r.after = ch.after;
          return r;
        });
        await c.query({
          name: 'tb_entity_write',
          text: WRITE_SQL,
          values: [
            tenant,
            JSON.stringify(docs),
            JSON.stringify(geos),
            JSON.stringify(instances),
            JSON.stringify(temporal),
            JSON.stringify(records),
            values.entityIds,
            values.attrs,
            values.nums,
            values.strs,
            [...final.keys()],
            [...final].filter(([, e]) => e === null).map(([id]) => id),
          ],
        });
      }
      return { result: plan.result, changes };
    });
  }

  async typeSummaries(tenant: Tenant): Promise<TypeSummary[]> {
    const counts = await this.db.query<{ type: string; n: number }>(
      'SELECT t.type, count(*)::int AS n FROM entity e CROSS JOIN LATERAL unnest(e.types) AS t(type) WHERE e.tenant = $1 GROUP BY t.type',
      [tenant],
    );
    const rows = await this.db.query<{ type: string; name: string; atype: string | null }>(
      `SELECT DISTINCT t.type, a.key AS name, i.value ->> 'type' AS atype
       FROM entity e CROSS JOIN LATERAL unnest(e.types) AS t(type)
       CROSS JOIN LATERAL jsonb_each(e.doc -> 'attrs') AS a
       LEFT JOIN LATERAL jsonb_array_elements(a.value) AS i ON true
       WHERE e.tenant = $1`,
      [tenant],
    );
    const byType = new Map<string, TypeSummary>();
    for (const c of counts) byType.set(c.type, { type: c.type, entityCount: c.n, attributes: new Map() });
    for (const r of rows) {
      const summary = byType.get(r.type);
      if (!summary) continue;
      let set = summary.attributes.get(r.name);
      if (!set) {
        set = new Set();
        summary.attributes.set(r.name, set);
      }
      if (r.atype) set.add(r.atype);
    }
    return [...byType.values()].sort((a, b) => (a.type < b.type ? -1 : 1));
  }

  async tenantExists(tenant: Tenant): Promise<boolean> {
    return (
      (await this.db.query('SELECT 1 FROM tenant WHERE name = $1', [tenant], 'tb_tenant_exists')).length > 0
    );
  }

  async listTenants(): Promise<Tenant[]> {
    return (await this.db.query<{ name: string }>('SELECT name FROM tenant ORDER BY name')).map(
      (r) => r.name,
    );
  }

  async putContext(c: StoredContext): Promise<void> {
    await this.db.query(
      `INSERT INTO jsonld_context (id, url, kind, body, created_at, last_usage, hits) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET url = excluded.url, kind = excluded.kind, body = excluded.body, created_at = excluded.created_at,
         last_usage = excluded.last_usage, hits = excluded.hits`,
      [c.id, c.url, c.kind, JSON.stringify(c.body), c.createdAt, c.lastUsage ?? null, c.numberOfHits],
    );
  }

  async getContext(id: string): Promise<StoredContext | undefined> {
    const rows = await this.db.query<ContextRow>(
      'SELECT * FROM jsonld_context WHERE id = $1',
      [id],
      'tb_context_get',
    );
    return rows[0] ? contextFromRow(rows[0]) : undefined;
  }

  async listContexts(): Promise<StoredContext[]> {
    return (await this.db.query<ContextRow>('SELECT * FROM jsonld_context ORDER BY created_at, id')).map(
      contextFromRow,
    );
  }

  async deleteContext(id: string): Promise<boolean> {
    return (await this.db.rowCount('DELETE FROM jsonld_context WHERE id = $1', [id])) > 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => undefined);
    this.subscriptions.listening = false;
    this.registrations.listening = false;
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}

/** A user-facing error naming the server and database, never the credentials of the URL. */
function unreachable(url: string, err: Error): Error {
  let where = 'the configured database';
  try {
    const u = new URL(url);
    where = `${u.host}${u.pathname}`;
  } catch {
    // an unparsable URL is named by the driver's message
  }
  return Object.assign(new Error(`cannot open PostgreSQL at ${where}: ${err.message}`), {
    userFacing: true,
    cause: err,
  });
}

/** Opens a PostgreSQL store at `url`, migrating the schema first; rejects if the database is unreachable. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const store = new PostgresStore(url, options);
  try {
    await store.ready;
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
