/**
 * PostgreSQL schema and its migrations. As on SQLite, each part of the engine owns a list of
 * steps and `schema_migration` records how far each list has been applied. Several nodes may
 * start at once on one database, so migrating holds an advisory lock: the first node migrates,
 * the others wait and then find nothing left to do.
 */
import type pg from 'pg';
import type { Entity } from '../../ngsi/index.ts';
import {
  type AttrValueRows,
  addAttrValues,
  emptyAttrValueRows,
  INDEXED_STRING_CHARS,
} from '../attr-values.ts';

/** Arbitrary but fixed: the advisory lock key every twinbox node migrates under. */
const MIGRATION_LOCK = 7_230_001;

/** SQL, or work that needs the engine's own code (a backfill computed as writes compute it). */
export type MigrationStep = string | ((client: pg.ClientBase) => Promise<void>);

export interface MigrationPart {
  part: string;
  steps: MigrationStep[];
}

/** Entities read per round when the attribute value index is backfilled. */
const BACKFILL_CHUNK = 1000;

/** Inserts attribute value rows for `tenant`; strings keep their indexed prefix only. */
export const INSERT_ATTR_VALUES = `INSERT INTO attr_value (tenant, entity_id, attr, num, str)
  SELECT $1, x.e, x.a, x.n, left(x.s, ${INDEXED_STRING_CHARS}) FROM unnest($2::text[], $3::text[], $4::float8[], $5::text[]) AS x(e, a, n, s)`;

async function backfillAttrValues(client: pg.ClientBase): Promise<void> {
  // no entity has the empty id, so ('', '') comes before every row
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = await client.query<{ tenant: string; id: string; doc: Entity }>(
      `SELECT tenant, id, doc FROM entity WHERE (tenant, id) > ($1, $2) ORDER BY tenant, id LIMIT ${BACKFILL_CHUNK}`,
      after,
    );
    const byTenant = new Map<string, AttrValueRows>();
    for (const r of rows.rows) {
      let values = byTenant.get(r.tenant);
      if (!values) {
        values = emptyAttrValueRows();
        byTenant.set(r.tenant, values);
      }
      addAttrValues(values, r.doc);
    }
    for (const [tenant, v] of byTenant) {
      await client.query(INSERT_ATTR_VALUES, [tenant, v.entityIds, v.attrs, v.nums, v.strs]);
    }
    if (rows.rows.length < BACKFILL_CHUNK) return;
    const last = rows.rows[rows.rows.length - 1];
    after = [last.tenant, last.id];
  }
}

export const ENTITY_STEPS: MigrationStep[] = [
  `CREATE TABLE tenant (name TEXT COLLATE "C" PRIMARY KEY);
   CREATE TABLE entity (
     tenant TEXT COLLATE "C" NOT NULL,
     id TEXT COLLATE "C" NOT NULL,
     types TEXT[] NOT NULL,
     doc JSONB NOT NULL,
     PRIMARY KEY (tenant, id)
   );
   -- ids compare bytewise (COLLATE "C") so pages come in the same order as on SQLite
   CREATE INDEX entity_types ON entity USING gin (types);
   CREATE INDEX entity_attrs ON entity USING gin ((doc -> 'attrs'));
   CREATE TABLE entity_geo (
     tenant TEXT COLLATE "C" NOT NULL,
     entity_id TEXT COLLATE "C" NOT NULL,
     attr TEXT NOT NULL,
     geom geometry(Geometry, 4326) NOT NULL
   );
   CREATE INDEX entity_geo_entity ON entity_geo (tenant, entity_id);
   CREATE INDEX entity_geo_geom ON entity_geo USING gist (geom);
   CREATE INDEX entity_geo_geog ON entity_geo USING gist ((geom::geography));
   CREATE TABLE jsonld_context (
     id TEXT PRIMARY KEY,
     url TEXT NOT NULL,
     kind TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at TEXT NOT NULL,
     last_usage TEXT,
     hits INTEGER NOT NULL DEFAULT 0,
     seq BIGSERIAL
   );`,
  // scalar attribute values, so q terms like `no2>40` or `refDevice==urn:x` find their candidates
  // by index instead of reading every entity of a type (see attr-values.ts)
  `CREATE TABLE attr_value (
     tenant TEXT COLLATE "C" NOT NULL,
     entity_id TEXT COLLATE "C" NOT NULL,
     attr TEXT COLLATE "C" NOT NULL,
     num DOUBLE PRECISION,
     str TEXT COLLATE "C"
   );
   CREATE INDEX attr_value_entity ON attr_value (tenant, entity_id);
   CREATE INDEX attr_value_num ON attr_value (tenant, attr, num) WHERE num IS NOT NULL;
   CREATE INDEX attr_value_str ON attr_value (tenant, attr, str) WHERE str IS NOT NULL;`,
  backfillAttrValues,
];

export const HISTORY_STEPS = [
  `CREATE TABLE temporal_entity (
     tenant TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, types JSONB NOT NULL,
     created_at TEXT NOT NULL, modified_at TEXT NOT NULL,
     PRIMARY KEY (tenant, id)
   );
   CREATE TABLE attr_instance (
     iid BIGSERIAL PRIMARY KEY,
     tenant TEXT COLLATE "C" NOT NULL, entity_id TEXT COLLATE "C" NOT NULL, attr TEXT COLLATE "C" NOT NULL, dataset_id TEXT COLLATE "C" NOT NULL DEFAULT '',
     observed_at BIGINT, created_at BIGINT NOT NULL, modified_at BIGINT NOT NULL,
     num DOUBLE PRECISION, doc TEXT
   );
   CREATE INDEX attr_instance_entity ON attr_instance (tenant, entity_id, attr, observed_at);
   CREATE TABLE history_retention (tenant TEXT NOT NULL, type TEXT NOT NULL, ms BIGINT NOT NULL, PRIMARY KEY (tenant, type));`,
];

export const SUBSCRIPTION_STEPS = [
  `CREATE TABLE subscription (
     seq BIGSERIAL,
     tenant TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
     times_sent INTEGER NOT NULL DEFAULT 0, times_failed INTEGER NOT NULL DEFAULT 0,
     last_notification TEXT, last_success TEXT, last_failure TEXT, notification_status TEXT,
     PRIMARY KEY (tenant, id)
   );
   CREATE TABLE subscription_revision (one BOOLEAN PRIMARY KEY DEFAULT true, rev BIGINT NOT NULL);
   INSERT INTO subscription_revision (rev) VALUES (0);
   CREATE TABLE subscription_change (seq BIGSERIAL PRIMARY KEY, tenant TEXT NOT NULL, changes TEXT NOT NULL);
   CREATE TABLE notification_queue (
     seq BIGSERIAL PRIMARY KEY,
     tenant TEXT NOT NULL, subscription_id TEXT NOT NULL, payload TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL DEFAULT 0,
     lease_owner TEXT, lease_until BIGINT NOT NULL DEFAULT 0
   );
   CREATE INDEX notification_queue_subscription ON notification_queue (tenant, subscription_id, seq);`,
];

export const REGISTRATION_STEPS = [
  `CREATE TABLE csource_doc (
     seq BIGSERIAL PRIMARY KEY,
     tenant TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
     UNIQUE (tenant, kind, id)
   );`,
];

export const INGESTION_STEPS = [
  `CREATE TABLE ingestion_run (
     id TEXT PRIMARY KEY, connector TEXT NOT NULL, started_at TEXT NOT NULL, doc TEXT NOT NULL
   );
   CREATE INDEX ingestion_run_connector ON ingestion_run (connector, started_at);`,
];

export const ALL_PARTS: MigrationPart[] = [
  { part: 'entities', steps: ENTITY_STEPS },
  { part: 'history', steps: HISTORY_STEPS },
  { part: 'subscriptions', steps: SUBSCRIPTION_STEPS },
  { part: 'registrations', steps: REGISTRATION_STEPS },
  { part: 'ingestion', steps: INGESTION_STEPS },
];

export interface MigrationReport {
  /** part -> [version before, version after] */
  applied: Array<{ part: string; from: number; to: number }>;
}

/**
 * Brings the database forward to this twinbox's schema, each step in its own transaction
 * together with its record in `schema_migration`; refuses a database migrated by a newer twinbox.
 */
export async function migrate(
  client: pg.ClientBase,
  parts: MigrationPart[] = ALL_PARTS,
): Promise<MigrationReport> {
  const report: MigrationReport = { applied: [] };
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    const ext = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'postgis'",
    );
    if (ext.rows[0].n === 0) {
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
      } catch (err) {
        throw Object.assign(
          new Error(
            `PostGIS is not available in this database (${(err as Error).message}); install postgresql-15-postgis-3 or ask the database owner to run CREATE EXTENSION postgis`,
          ),
          { userFacing: true },
        );
      }
    }
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migration (part TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    for (const { part, steps } of parts) {
      const row = await client.query<{ version: number }>(
        'SELECT version FROM schema_migration WHERE part = $1',
        [part],
      );
      const version = row.rows[0]?.version ?? 0;
      if (version > steps.length) {
        throw Object.assign(
          new Error(
            `store schema '${part}' version ${version} is newer than this twinbox (${steps.length}); upgrade twinbox`,
          ),
          {
            userFacing: true,
          },
        );
      }
      for (let v = version; v < steps.length; v++) {
        await client.query('BEGIN');
        try {
          const step = steps[v];
          if (typeof step === 'string') await client.query(step);
          else await step(client);
          await client.query(
            `INSERT INTO schema_migration (part, version) VALUES ($1, $2)
             ON CONFLICT (part) DO UPDATE SET version = excluded.version, applied_at = now()`,
            [part, v + 1],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
      if (version < steps.length) report.applied.push({ part, from: version, to: steps.length });
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
  return report;
}
