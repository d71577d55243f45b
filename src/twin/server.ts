/**
 * Starts one twin process: the store in its data folder, the HTTP app, the city's seeding on
 * first start, and clean shutdown on SIGINT/SIGTERM (in-flight requests finish, the store closes
 * so its WAL is checkpointed).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createBroker } from '../broker/index.ts';
import { buildApp, type ContextResolver } from '../http/index.ts';
import { TermMap } from '../ngsi/index.ts';
import { openStore, SqliteStore, type Store, type StoreOptions } from '../store/index.ts';
import {
  type CityConfig,
  loadCity,
  readSmartDataModelContext,
  SMART_DATA_MODEL_CONTEXTS,
} from './cities/index.ts';
import { dataspacePlugin } from './dataspace/index.ts';
import { instanceRoutes, type Peer } from './instance-routes.ts';
import { type SeedProgress, seedCity } from './seed.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  city?: string;
  bodyLimit?: number;
  logLevel?: string;
  peers?: Peer[];
  /** seed even if the store was seeded before (after deleting it) */
  reseed?: boolean;
  onSeedProgress?: (p: SeedProgress) => void;
  /** another engine than the embedded SQLite file in dataDir (PostgreSQL) */
  storeOptions?: StoreOptions;
  /** mount the data-space connector (default true; seeding alone does not need it) */
  dataspace?: boolean;
  /** history kept per entity type (a type name or IRI -> milliseconds); default unlimited */
  historyRetention?: Array<{ type: string; ms: number }>;
}

/** How often history older than its type's retention is removed. */
const RETENTION_SWEEP_MS = 10 * 60 * 1000;

export interface RunningServer {
  name: string;
  url: string;
  app: FastifyInstance;
  store: Store;
  close(): Promise<void>;
  closed: Promise<void>;
  /** removes history beyond its type's retention now (it also runs every ten minutes) */
  sweepHistory(): Promise<void>;
}

const SEED_MARKER = 'seeded.json';

/** The vendored Smart Data Models contexts, so seeding and clients never fetch them. */
export function smartDataModelContexts(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const url of Object.keys(SMART_DATA_MODEL_CONTEXTS)) out[url] = readSmartDataModelContext(url);
  return out;
}

export function defaultDataDir(name: string): string {
  return resolve('.twinbox', name);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const city: CityConfig | undefined = options.city ? loadCity(options.city) : undefined;
  const name = city?.id ?? 'default';
  const dataDir = options.dataDir ?? defaultDataDir(name);
  const marker = join(dataDir, SEED_MARKER);
  if (options.reseed) {
    for (const f of ['twin.sqlite', 'twin.sqlite-wal', 'twin.sqlite-shm', SEED_MARKER])
      rmSync(join(dataDir, f), { force: true });
  }
  const store = openStore(options.storeOptions ?? { engine: 'sqlite', path: join(dataDir, 'twin.sqlite') });
  const broker = createBroker({ store });
  const port = options.port ?? city?.port ?? 1026;
  const host = options.host ?? '127.0.0.1';
  const publicUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  let contexts: ContextResolver | undefined;
  const app = await buildApp({
    store,
    broker,
    bodyLimit: options.bodyLimit,
    logLevel: options.logLevel,
    publicUrl,
    preloadedContexts: smartDataModelContexts(),
    plugins: [
      (a, deps) => {
        contexts = deps.contexts;
        instanceRoutes(
          a,
          () => ({
            id: name,
            name: city?.name ?? 'twinbox',
            url: publicUrl,
            city,
            peers: options.peers ?? [],
          }),
          store,
        );
      },
      // the connector keeps its negotiations beside the entities; it has a SQLite engine only
      ...(store instanceof SqliteStore && options.dataspace !== false
        ? [
            dataspacePlugin({
              store,
              dataDir,
              publicUrl,
              city: city ? { id: city.id, dir: city.dir } : undefined,
              peers: options.peers,
            }),
          ]
        : []),
    ],
  });
  if (city && !existsSync(marker)) {
    app.log.info({ city: city.id }, 'seeding from open data');
    const report = await seedCity(city, broker, contexts!, '', options.onSeedProgress);
    writeFileSync(
      marker,
      JSON.stringify({ city: city.id, seededAt: new Date().toISOString(), report }, null, 2),
    );
  }
  if (options.historyRetention?.length) {
    const core = TermMap.core();
    for (const tenant of ['', ...(await store.listTenants())]) {
      for (const r of options.historyRetention)
        await store.history.setRetention(tenant, core.expand(r.type), r.ms);
    }
  }
  const sweep = async () => {
    for (const tenant of ['', ...(await store.listTenants())]) {
      const removed = await store.history.applyRetention(tenant, Date.now());
      if (removed > 0) app.log.info({ tenant, removed }, 'history beyond its retention removed');
    }
  };
  const retentionTimer = setInterval(
    () => void sweep().catch((err) => app.log.error({ err }, 'retention sweep failed')),
    RETENTION_SWEEP_MS,
  );
  retentionTimer.unref();
  await app.listen({ port, host });
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  let closing = false;
  const close = async () => {
    if (closing) return closed;
    closing = true;
    clearInterval(retentionTimer);
    await app.close();
    await store.close();
    resolveClosed();
  };
  const onSignal = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    void close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { name, url: publicUrl, app, store, close, closed, sweepHistory: sweep };
}

/** What the last seeding of a data folder did, if any. */
export function seedReport(dataDir: string): unknown {
  const marker = join(dataDir, SEED_MARKER);
  return existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : undefined;
}
