/**
 * A real twinbox app over PostgreSQL for HTTP tests, built like `buildTestApp` (same options, no
 * port) but on a PostgreSQL store: every app gets a fresh schema of one database that lives as
 * long as the test process, so apps start empty and never see each other's data. It is exported
 * as `buildTestApp` too, so a test file can run scenarios written for the SQLite app unchanged
 * (test/conformance/postgres-engine.test.ts).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/index.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { createTestDatabase, type TestDatabase } from '../store/postgres-fixture.ts';
import type { TestAppOptions } from './app.ts';

/**
 * Connections per app: a test drives one request at a time. Test harnesses keep apps open until
 * their file ends, so idle connections close soon to stay under the server's connection limit.
 */
const POOL_SIZE = 2;
const IDLE_TIMEOUT_MS = 500;

let database: Promise<TestDatabase | { skip: string }> | undefined;

/** The database of this test process, created on first use; `skip` says why there is none. */
export function postgresTestDatabase(): Promise<TestDatabase | { skip: string }> {
  database ??= createTestDatabase('app');
  return database;
}

/** Drops the database of this test process, if one was made. */
export async function dropPostgresTestDatabase(): Promise<void> {
  const db = await database;
  database = undefined;
  if (db && !('skip' in db)) await db.drop();
}

export async function buildPostgresTestApp(options: TestAppOptions = {}): Promise<FastifyInstance> {
  const db = await postgresTestDatabase();
  if ('skip' in db) throw new Error(db.skip);
  const store = await openPostgresStore(await db.freshSchemaUrl(), {
    poolSize: POOL_SIZE,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
  });
  const app = await buildApp({
    store,
    logLevel: 'silent',
    preloadedContexts: options.contexts ?? {},
    bodyLimit: options.bodyLimit,
  });
  app.addHook('onClose', async () => store.close());
  return app;
}

export { buildPostgresTestApp as buildTestApp };
