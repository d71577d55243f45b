/**
 * A fresh PostgreSQL database per test file, dropped afterwards. The server is the one named by
 * TWINBOX_TEST_POSTGRES_URL (default: the local server with trust auth); tests skip with the
 * reason when it is unreachable or lacks PostGIS.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.TWINBOX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** the URL of the fresh database */
  url: string;
  /** a URL on the same database whose tables live in a fresh schema of their own */
  freshSchemaUrl(): Promise<string>;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string, params: Record<string, string> = {}): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/** Creates the database, or returns why PostgreSQL tests cannot run here. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase | { skip: string }> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    return {
      skip: `PostgreSQL is not reachable at ${ADMIN_URL} (${(err as Error).message}); set TWINBOX_TEST_POSTGRES_URL`,
    };
  }
  try {
    const ext = await admin.query("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'");
    if (ext.rowCount === 0)
      return { skip: 'PostGIS is not installed on the PostgreSQL server (postgresql-15-postgis-3)' };
    const name = `twinbox_test_${prefix}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(ADMIN_URL, name);
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    await setup.query('CREATE EXTENSION IF NOT EXISTS postgis');
    let schemas = 0;
    return {
      url,
      async freshSchemaUrl() {
        const schema = `s${schemas++}`;
        await setup.query(`CREATE SCHEMA ${schema}`);
        return withDatabase(ADMIN_URL, name, { options: `-c search_path=${schema},public` });
      },
      async drop() {
        await setup.end();
        const dropper = new pg.Client({ connectionString: ADMIN_URL });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  } finally {
    await admin.end();
  }
}
