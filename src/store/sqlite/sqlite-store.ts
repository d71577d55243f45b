/**
 * The embedded engine: one SQLite file (WAL), entities as JSON documents, a type index, and an
 * R*Tree over the bounding boxes of every GeoProperty instance. Queries prefilter in SQL and
 * refine in memory with the exact NGSI-LD semantics of ngsi/ (filter-refine), so SQL never has to
 * be the source of truth for q or geometry.
 */
import Database from 'better-sqlite3';
import {
  type Attribute,
  bboxOf,
  candidateBBox,
  compareByOrder,
  type Entity,
  type GeoJsonGeometry,
  refineEntity,
} from '../../ngsi/index.ts';
import { attributeValues } from '../attr-values.ts';
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
import { SqliteHistoryStore } from './history-store.ts';
import { SqliteIngestionStore } from './ingestion-store.ts';
import { qIndexCandidates, qToSql } from './q-sql.ts';
import { SqliteRegistrationStore } from './registration-store.ts';
import { migrate } from './schema.ts';
import { SqliteSubscriptionStore } from './subscription-store.ts';

type Db = Database.Database;

const NAME_CACHE_MAX = 100_000;

/**
 * Work that must commit or roll back together with an entity write: history instances, the
 * change log that feeds subscriptions. Runs synchronously inside the write transaction.
 */
export type SqliteWriteHook = (tenant: Tenant, changes: EntityChange[]) => void;

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly db: Db;
  private readonly stmts;
  private readonly writeHooks: SqliteWriteHook[] = [];
  /** query statements by SQL text: compiling one costs more than running a selective query */
  private readonly queryCache = new Map<string, Database.Statement<unknown[], { doc: string }>>();
  /** attribute name ids by tenant and name: a twin has few names, each looked up on every write */
  private readonly nameIds = new Map<string, number>();
  /** tenants with a row, so a write does not insert it again (cleared with a failed write) */
  private readonly knownTenants = new Set<Tenant>();
  readonly history: SqliteHistoryStore;
  readonly ingestion: SqliteIngestionStore;
  readonly registrations: SqliteRegistrationStore;
  readonly subscriptions: SqliteSubscriptionStore;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable against process crashes in WAL mode (the WAL is fsynced at checkpoints);
    // an OS crash may lose the last transactions but never corrupts the file.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // reads map the file instead of copying pages; fewer, larger checkpoints keep bulk writes fast.
    // Mapped pages and the page cache both count towards the process's RSS: 64 MiB mapped and a
    // 32 MiB cache read a 100k-entity twin as fast as 128 + 64 MiB (bench:broker, store column)
    // and keep the server's peak under its 500 MB budget while batches arrive.
    this.db.pragma('cache_size = -32768');
    this.db.pragma('mmap_size = 67108864');
    this.db.pragma('wal_autocheckpoint = 10000');
    migrate(this.db);
    this.history = new SqliteHistoryStore(this.db);
    this.ingestion = new SqliteIngestionStore(this.db);
    this.registrations = new SqliteRegistrationStore(this.db);
    this.addWriteHook((tenant, changes) => this.history.recordChanges(tenant, changes));
    this.subscriptions = new SqliteSubscriptionStore(this.db);
    this.addWriteHook((tenant, changes) => this.subscriptions.recordChanges(tenant, changes));
    const db = this.db;
    this.stmts = {
      get: db.prepare<[string, string], { pk: number; doc: string }>(
        'SELECT pk, doc FROM entity WHERE tenant = ? AND id = ?',
      ),
      insert: db.prepare('INSERT INTO entity (tenant, id, doc) VALUES (?, ?, ?) RETURNING pk'),
      update: db.prepare('UPDATE entity SET doc = ? WHERE pk = ?'),
      delete: db.prepare('DELETE FROM entity WHERE pk = ?'),
      delTypes: db.prepare('DELETE FROM entity_type WHERE pk = ?'),
      delValues: db.prepare('DELETE FROM attr_value WHERE pk = ?'),
      docByPk: db.prepare<[number], { doc: string }>('SELECT doc FROM entity WHERE pk = ?'),
      delValuesOf: db.prepare('DELETE FROM attr_value WHERE pk = ? AND nid = ?'),
      setNum: db.prepare('UPDATE attr_value SET num = ? WHERE pk = ? AND nid = ?'),
      setStr: db.prepare('UPDATE attr_value SET str = ? WHERE pk = ? AND nid = ?'),
      addValue: db.prepare('INSERT INTO attr_value (pk, nid, num, str) VALUES (?, ?, ?, ?)'),
      findName: db.prepare<[string, string], { nid: number }>(
        'SELECT nid FROM attr_name WHERE tenant = ? AND name = ?',
      ),
      addName: db.prepare<[string, string], { nid: number }>(
        'INSERT INTO attr_name (tenant, name) VALUES (?, ?) RETURNING nid',
      ),
      addType: db.prepare('INSERT OR IGNORE INTO entity_type (tenant, type, id, pk) VALUES (?, ?, ?, ?)'),
      geoRefs: db.prepare<[number], { gid: number }>('SELECT gid FROM geo_ref WHERE pk = ?'),
      delGeoRef: db.prepare('DELETE FROM geo_ref WHERE pk = ?'),
      delGeoBox: db.prepare('DELETE FROM geo_rtree WHERE gid = ?'),
      addGeoRef: db.prepare('INSERT INTO geo_ref (pk, attr) VALUES (?, ?) RETURNING gid'),
      addGeoBox: db.prepare('INSERT INTO geo_rtree (gid, minX, maxX, minY, maxY) VALUES (?, ?, ?, ?, ?)'),
      addTenant: db.prepare('INSERT OR IGNORE INTO tenant (name) VALUES (?)'),
      hasTenant: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM tenant WHERE name = ?'),
      tenants: db.prepare<[], { name: string }>('SELECT name FROM tenant ORDER BY name'),
      putContext: db.prepare(
        'INSERT OR REPLACE INTO jsonld_context (id, url, kind, body, created_at, last_usage, hits) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      getContext: db.prepare<[string], ContextRow>('SELECT * FROM jsonld_context WHERE id = ?'),
      listContexts: db.prepare<[], ContextRow>('SELECT * FROM jsonld_context ORDER BY created_at, id'),
      deleteContext: db.prepare('DELETE FROM jsonld_context WHERE id = ?'),
    };
    this.rebuildValueIndex();
  }

  /** The underlying database, for engine-specific extensions (history, notifications) in this folder. */
  get database(): Db {
    return this.db;
  }

  /** Registers work to run inside every entity write transaction, after the entity rows. */
  addWriteHook(hook: SqliteWriteHook): void {
    this.writeHooks.push(hook);
  }

  async getEntity(tenant: Tenant, id: string): Promise<Entity | undefined> {
    const row = this.stmts.get.get(tenant, id);
    return row ? (JSON.parse(row.doc) as Entity) : undefined;
  }

  private prepared(sql: string): Database.Statement<unknown[], { doc: string }> {
    let stmt = this.queryCache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare<unknown[], { doc: string }>(sql);
      if (this.queryCache.size > 500) this.queryCache.clear();
      this.queryCache.set(sql, stmt);
    }
    return stmt;
  }

  async queryEntities(tenant: Tenant, query: EntityQuery): Promise<QueryResult> {
    const where: string[] = ['e.tenant = ?'];
    const params: unknown[] = [tenant];
    const types = typesOf(query.type);
    // The most selective index drives the scan: ids, then the geo box, then a q term; otherwise
    // the type index in id order (which lets a LIMIT stop early).
    let candidates: { sql: string; params: unknown[] } | undefined;
    if (query.ids && query.ids.length > 0) {
      candidates = {
        sql: `SELECT pk FROM entity WHERE tenant = ? AND id IN (${query.ids.map(() => '?').join(',')})`,
        params: [tenant, ...query.ids],
      };
    } else if (query.geoQ) {
      const g = query.geoQ;
      // disjoint and near-with-only-minDistance have no box that contains every match
      const box = candidateBBox(g);
      candidates = box
        ? {
            sql: 'SELECT DISTINCT r.pk FROM geo_rtree b CROSS JOIN geo_ref r ON r.gid = b.gid WHERE r.attr = ? AND b.minX <= ? AND b.maxX >= ? AND b.minY <= ? AND b.maxY >= ?',
            params: [g.geoproperty, box[2], box[0], box[3], box[1]],
          }
        : { sql: 'SELECT DISTINCT pk FROM geo_ref WHERE attr = ?', params: [g.geoproperty] };
    } else if (query.q) {
      const c = qIndexCandidates(query.q, (attr) => this.nameId(tenant, attr, false) ?? -1);
      if (c) candidates = { sql: `SELECT DISTINCT pk FROM (${c.sql})`, params: c.params };
    }
    let from = 'entity e';
    if (candidates) {
      // CROSS JOIN keeps SQLite from reordering: the candidate list is the outer loop
      from = `(${candidates.sql}) c CROSS JOIN entity e ON e.pk = c.pk`;
      params.unshift(...candidates.params);
      if (types.exact) {
        where.push(
          `EXISTS (SELECT 1 FROM entity_type t WHERE t.pk = e.pk AND t.type IN (${types.exact.map(() => '?').join(',')}))`,
        );
        params.push(...types.exact);
      }
    } else if (types.exact && types.exact.length === 1) {
      from = 'entity_type t JOIN entity e ON e.pk = t.pk';
      where.push('t.tenant = ? AND t.type = ?');
      params.push(tenant, types.exact[0]);
    } else if (types.exact) {
      where.push(
        `e.pk IN (SELECT pk FROM entity_type WHERE tenant = ? AND type IN (${types.exact.map(() => '?').join(',')}))`,
      );
      params.push(tenant, ...types.exact);
    }
    if (query.q) {
      const f = qToSql(query.q, 'e.doc');
      if (f.sql !== '1') {
        where.push(f.sql);
        params.push(...f.params);
      }
    }
    if (query.attrs && query.attrs.length > 0) {
      where.push(`(${query.attrs.map(() => 'json_type(e.doc, ?) IS NOT NULL').join(' OR ')})`);
      params.push(...query.attrs.map((a) => `$.attrs."${a}"`));
    }
    const { refinement, needsRefine } = refinementOf(query, types);
    const orderCol = from.startsWith('entity_type') ? 't.id' : 'e.id';
    const base = `FROM ${from} WHERE ${where.join(' AND ')}`;
    if (!needsRefine) {
      const rows = this.prepared(`SELECT e.doc AS doc ${base} ORDER BY ${orderCol} LIMIT ? OFFSET ?`).all(
        ...params,
        query.limit,
        query.offset,
      );
      const result: QueryResult = { entities: rows.map((r) => JSON.parse(r.doc) as Entity) };
      if (query.count) {
        result.count = this.db
          .prepare<unknown[], { n: number }>(`SELECT count(*) AS n ${base}`)
          .get(...params)!.n;
      }
      return result;
    }
    if (query.orderBy) {
      // sorting by attribute values needs every match; fine for the result sizes orderBy serves
      const all: Entity[] = [];
      for (const row of this.prepared(`SELECT e.doc AS doc ${base} ORDER BY ${orderCol}`).iterate(
        ...params,
      )) {
        const entity = JSON.parse(row.doc) as Entity;
        if (refineEntity(entity, refinement)) all.push(entity);
      }
      const keys = query.orderBy;
      all.sort((a, b) => compareByOrder(a, b, keys));
      const page: QueryResult = { entities: all.slice(query.offset, query.offset + query.limit) };
      if (query.count) page.count = all.length;
      return page;
    }
    const entities: Entity[] = [];
    let matched = 0;
    // Sort the candidates' keys, not their documents: a page needs the first few documents in
    // id order, and a candidate set from an index can be large and unordered.
    let keySql = `SELECT e.pk AS pk ${base} ORDER BY ${orderCol}`;
    let keyParams = params;
    if (candidates && types.exact && !(query.attrs && query.attrs.length > 0)) {
      // The type index row carries tenant, type and id, so candidates are checked and sorted
      // without reading one entity row; q is refined exactly on the documents of the page only,
      // which costs less than a JSON prefilter over every candidate's document.
      const oneType = types.exact.length === 1;
      keySql = `SELECT t.pk AS pk FROM (${candidates.sql}) c CROSS JOIN entity_type t ON t.pk = c.pk
        WHERE t.tenant = ? AND t.type IN (${types.exact.map(() => '?').join(',')})${oneType ? '' : ' GROUP BY t.pk'} ORDER BY t.id`;
      keyParams = [...candidates.params, tenant, ...types.exact];
    }
    const keys = this.prepared(keySql) as unknown as Database.Statement<unknown[], { pk: number }>;
    for (const { pk } of keys.iterate(...keyParams)) {
      const entity = JSON.parse(this.stmts.docByPk.get(pk)!.doc) as Entity;
      if (!refineEntity(entity, refinement)) continue;
      if (matched >= query.offset && entities.length < query.limit) entities.push(entity);
      matched++;
      if (!query.count && entities.length >= query.limit) break;
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
    const run = this.db.transaction(() => {
      const current = new Map<string, Entity>();
      const pks = new Map<string, number>();
      for (const id of ids) {
        const row = this.stmts.get.get(tenant, id);
        if (row) {
          current.set(id, JSON.parse(row.doc) as Entity);
          pks.set(id, row.pk);
        }
      }
      const plan = mutate(current);
      const changes: EntityChange[] = [];
      if (plan.writes.length > 0 && !this.knownTenants.has(tenant)) {
        this.stmts.addTenant.run(tenant);
        this.knownTenants.add(tenant);
      }
      for (const w of plan.writes) {
        const before = current.get(w.id);
        const pk = pks.get(w.id);
        if (w.entity === null) {
          if (pk !== undefined) {
            this.clearIndexes(pk);
            this.stmts.delete.run(pk);
            pks.delete(w.id);
            current.delete(w.id);
          }
          changes.push({ id: w.id, before });
          continue;
        }
        const doc = JSON.stringify(w.entity);
        let newPk: number;
        if (pk === undefined) {
          newPk = (this.stmts.insert.get(tenant, w.id, doc) as { pk: number }).pk;
          pks.set(w.id, newPk);
          this.index(tenant, newPk, w.entity);
        } else {
          this.stmts.update.run(doc, pk);
          this.reindex(tenant, pk, before!, w.entity);
          newPk = pk;
        }
        current.set(w.id, w.entity);
        changes.push({ id: w.id, before, after: w.entity });
      }
      if (changes.length > 0) {
        this.summaryCache.delete(tenant);
        for (const hook of this.writeHooks) hook(tenant, changes);
      }
      return { result: plan.result, changes };
    });
    try {
      return run.immediate();
    } catch (err) {
      // names interned by the rolled-back transaction are gone from the file
      this.nameIds.clear();
      this.knownTenants.clear();
      throw err;
    }
  }

  /** The interned id of an attribute name in a tenant's value index; created on write only. */
  private nameId(tenant: Tenant, name: string, create: boolean): number | undefined {
    const key = `${tenant}\u0000${name}`;
    let nid = this.nameIds.get(key);
    if (nid === undefined) {
      nid =
        this.stmts.findName.get(tenant, name)?.nid ??
        (create ? this.stmts.addName.get(tenant, name)!.nid : undefined);
      if (nid === undefined) return undefined;
      if (this.nameIds.size >= NAME_CACHE_MAX) this.nameIds.clear();
      this.nameIds.set(key, nid);
    }
    return nid;
  }

  private clearIndexes(pk: number): void {
    this.stmts.delTypes.run(pk);
    this.stmts.delValues.run(pk);
    for (const { gid } of this.stmts.geoRefs.all(pk)) this.stmts.delGeoBox.run(gid);
    this.stmts.delGeoRef.run(pk);
  }

  private index(tenant: Tenant, pk: number, entity: Entity): void {
    for (const type of entity.type) this.stmts.addType.run(tenant, type, entity.id, pk);
    for (const [attr, instances] of Object.entries(entity.attrs))
      this.indexValues(tenant, pk, attr, attributeValues(instances));
    this.indexGeometry(pk, entity);
  }

  /**
   * Every number and string a q term can compare with (`attributeValues`, shared with the
   * PostgreSQL engine), strings by their indexed prefix: a candidate set from this index never
   * misses a match, and refinement keeps the answer exact.
   */
  private indexValues(tenant: Tenant, pk: number, attr: string, values: Array<number | string>): void {
    if (values.length === 0) return;
    const nid = this.nameId(tenant, attr, true)!;
    for (const v of values) {
      if (typeof v === 'number') this.stmts.addValue.run(pk, nid, v, null);
      else this.stmts.addValue.run(pk, nid, null, v);
    }
  }

  /** Rebuilds the value index from the documents (after a schema change emptied it). */
  private rebuildValueIndex(): void {
    // one row is enough to know; counting them would read the whole index on every start
    if (this.db.prepare('SELECT 1 FROM attr_value LIMIT 1').get() !== undefined) return;
    // pages of documents, not one open iterator: the connection cannot write while it iterates
    const page = this.db.prepare<[number], { pk: number; tenant: string; doc: string }>(
      'SELECT pk, tenant, doc FROM entity WHERE pk > ? ORDER BY pk LIMIT 1000',
    );
    this.db.transaction(() => {
      let after = 0;
      for (let rows = page.all(after); rows.length > 0; rows = page.all(after)) {
        for (const r of rows) {
          const entity = JSON.parse(r.doc) as Entity;
          for (const [attr, instances] of Object.entries(entity.attrs))
            this.indexValues(r.tenant, r.pk, attr, attributeValues(instances));
        }
        after = rows[rows.length - 1].pk;
      }
    })();
  }

  private indexGeometry(pk: number, entity: Entity): void {
    for (const [attr, instances] of Object.entries(entity.attrs)) {
      for (const inst of instances) {
        if (inst.type !== 'GeoProperty') continue;
        const [minX, minY, maxX, maxY] = bboxOf(inst.value as GeoJsonGeometry);
        const { gid } = this.stmts.addGeoRef.get(pk, attr) as { gid: number };
        this.stmts.addGeoBox.run(gid, minX, maxX, minY, maxY);
      }
    }
  }

  /**
   * An update touches only the index rows whose source changed: a partial update of one
   * attribute rewrites that attribute's value rows, not the whole entity's.
   */
  private reindex(tenant: Tenant, pk: number, before: Entity, after: Entity): void {
    if (before.type.length !== after.type.length || before.type.some((t, i) => t !== after.type[i])) {
      this.stmts.delTypes.run(pk);
      for (const type of after.type) this.stmts.addType.run(tenant, type, after.id, pk);
    }
    let geometryChanged = false;
    // a replace changes every attribute of every entity in a batch: compare without building
    // a name set, per-attribute closures or JSON strings unless a GeoProperty is involved
    const visit = (name: string) => {
      const a = before.attrs[name];
      const b = after.attrs[name];
      if (a === b) return;
      const va = a ? attributeValues(a) : NO_VALUES;
      const vb = b ? attributeValues(b) : NO_VALUES;
      if (!sameValues(va, vb)) {
        const nid = this.nameId(tenant, name, false);
        if (nid !== undefined && va.length === 1 && vb.length === 1 && typeof va[0] === typeof vb[0]) {
          // one value for another (a reading): rewritten in place, which dirties the row's page
          // and the two index positions instead of also the tail and the pk index twice
          if (typeof vb[0] === 'number') this.stmts.setNum.run(vb[0], pk, nid);
          else this.stmts.setStr.run(vb[0], pk, nid);
        } else {
          if (nid !== undefined) this.stmts.delValuesOf.run(pk, nid);
          this.indexValues(tenant, pk, name, vb);
        }
      }
      if (!geometryChanged && geometryDiffers(a, b)) geometryChanged = true;
    };
    for (const name of Object.keys(before.attrs)) visit(name);
    for (const name of Object.keys(after.attrs)) if (!Object.hasOwn(before.attrs, name)) visit(name);
    if (geometryChanged) {
      for (const { gid } of this.stmts.geoRefs.all(pk)) this.stmts.delGeoBox.run(gid);
      this.stmts.delGeoRef.run(pk);
      this.indexGeometry(pk, after);
    }
  }

  async typeSummaries(tenant: Tenant): Promise<TypeSummary[]> {
    // discovery reads every document; a twin is read far more often than its types change, so the
    // answer is kept until the next write of the tenant
    const cached = this.summaryCache.get(tenant);
    if (cached) return cached;
    const summaries = this.computeTypeSummaries(tenant);
    this.summaryCache.set(tenant, summaries);
    return summaries;
  }

  private computeTypeSummaries(tenant: Tenant): TypeSummary[] {
    const byType = new Map<string, TypeSummary>();
    const rows = this.db
      .prepare<[string, string], { type: string; name: string | null; atype: string | null; n: number }>(
        `SELECT t.type AS type, a.key AS name, json_extract(i.value, '$.type') AS atype, count(DISTINCT t.pk) AS n
         FROM entity_type t JOIN entity e ON e.pk = t.pk
         LEFT JOIN json_each(e.doc, '$.attrs') a
         LEFT JOIN json_each(a.value) i
         WHERE t.tenant = ? AND e.tenant = ?
         GROUP BY t.type, a.key, atype`,
      )
      .all(tenant, tenant);
    const counts = this.db
      .prepare<[string], { type: string; n: number }>(
        'SELECT type, count(*) AS n FROM entity_type WHERE tenant = ? GROUP BY type',
      )
      .all(tenant);
    for (const c of counts) byType.set(c.type, { type: c.type, entityCount: c.n, attributes: new Map() });
    for (const r of rows) {
      const summary = byType.get(r.type);
      if (!summary || r.name === null) continue;
      let set = summary.attributes.get(r.name);
      if (!set) summary.attributes.set(r.name, (set = new Set()));
      if (r.atype) set.add(r.atype);
    }
    return [...byType.values()].sort((a, b) => (a.type < b.type ? -1 : 1));
  }

  private readonly summaryCache = new Map<Tenant, TypeSummary[]>();

  async tenantExists(tenant: Tenant): Promise<boolean> {
    return this.stmts.hasTenant.get(tenant) !== undefined;
  }

  async listTenants(): Promise<Tenant[]> {
    return this.stmts.tenants.all().map((r) => r.name);
  }

  async putContext(c: StoredContext): Promise<void> {
    this.stmts.putContext.run(
      c.id,
      c.url,
      c.kind,
      JSON.stringify(c.body),
      c.createdAt,
      c.lastUsage ?? null,
      c.numberOfHits,
    );
  }

  async getContext(id: string): Promise<StoredContext | undefined> {
    const row = this.stmts.getContext.get(id);
    return row ? contextFromRow(row) : undefined;
  }

  async listContexts(): Promise<StoredContext[]> {
    return this.stmts.listContexts.all().map(contextFromRow);
  }

  async deleteContext(id: string): Promise<boolean> {
    return this.stmts.deleteContext.run(id).changes > 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The values of an attribute that is absent. */
const NO_VALUES: Array<number | string> = [];

/** Whether two value lists give the value index the same rows. */
function sameValues(va: Array<number | string>, vb: Array<number | string>): boolean {
  if (va.length !== vb.length) return false;
  for (let i = 0; i < va.length; i++) if (va[i] !== vb[i]) return false;
  return true;
}

function geometriesOf(list: Attribute[] | undefined): unknown[] {
  const out: unknown[] = [];
  if (list) for (const i of list) if (i.type === 'GeoProperty') out.push(i.value);
  return out;
}

/** Whether two instance lists give the R*Tree different boxes. */
function geometryDiffers(a: Attribute[] | undefined, b: Attribute[] | undefined): boolean {
  const ga = geometriesOf(a);
  const gb = geometriesOf(b);
  if (ga.length === 0 && gb.length === 0) return false;
  return JSON.stringify(ga) !== JSON.stringify(gb);
}

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
