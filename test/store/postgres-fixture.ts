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

export interface NodeProcess {
  url: string;
  child: import('node:child_process').ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A free TCP port on loopback, as the OS hands one out. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Whether this checkout's `twinbox serve` takes --store postgres (the CLI wiring). */
export async function servesPostgres(): Promise<boolean> {
  const { spawnSync } = await import('node:child_process');
  const help = spawnSync(process.execPath, ['bin/twinbox.js', 'serve', '--help'], { encoding: 'utf8' });
  return help.stdout.includes('--database-url');
}

/**
 * Starts one twinbox node on the database: `twinbox serve --store postgres` when the CLI has it,
 * else the same app built the same way (buildApp over openStore) in a child process.
 */
export async function startNode(databaseUrl: string, viaCli: boolean): Promise<NodeProcess> {
  const { spawn } = await import('node:child_process');
  const port = await freePort();
  const env = { ...process.env, TWINBOX_LOG_LEVEL: 'warn' };
  const launcher = `
    const { buildApp } = await import(${JSON.stringify(new URL('../../src/http/index.ts', import.meta.url).href)});
    const { openStore } = await import(${JSON.stringify(new URL('../../src/store/index.ts', import.meta.url).href)});
    const store = openStore({ engine: 'postgres', url: process.env.NODE_DATABASE_URL });
    const app = await buildApp({ store, logLevel: 'warn' });
    await app.listen({ port: Number(process.env.NODE_PORT), host: '127.0.0.1' });
    process.once('SIGTERM', async () => { await app.close(); await store.close(); process.exit(0); });`;
  const child = viaCli
    ? spawn(
        process.execPath,
        [
          'bin/twinbox.js',
          'serve',
          '--store',
          'postgres',
          '--database-url',
          databaseUrl,
          '--port',
          String(port),
        ],
        {
          env,
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      )
    : spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', launcher], {
        env: { ...env, NODE_DATABASE_URL: databaseUrl, NODE_PORT: String(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`node on port ${port} exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/ngsi-ld/v1/types`);
      if (r.status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
