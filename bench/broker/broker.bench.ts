/**
 * npm run bench:broker — the NGSI-LD API over loopback against the same operations straight on
 * the store, side by side in one run.
 *
 * 1. Starts `twinbox serve` as a child process on a fresh data folder and loads N Smart Data
 *    Model-like entities (AirQualityObserved: 11 attributes and a Point, seeded) by batch upsert.
 * 2. Drives each operation with C concurrent keep-alive clients for a fixed time; prints ops/s,
 *    p50, p99.
 * 3. Repeats each operation in-process on a store loaded with the same entities (the limit: no
 *    HTTP, no JSON over the wire) and prints the ratio.
 * Options: --entities 100000 --seconds 5 --clients 16 --store sqlite|postgres (postgres runs
 * postgres.bench.ts: PostgreSQL with one and two nodes beside SQLite, CPU seconds per request)
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBroker } from '../../src/broker/index.ts';
import { expandQ, parseEntity, parseGeoQuery, parseQ, TermMap } from '../../src/ngsi/index.ts';
import { openStore, type SqliteStore } from '../../src/store/index.ts';
import { type DriveStats, drive } from '../drive.ts';
import { httpClient, machineLine, spawnServe, waitServing } from '../http-client.ts';
import { describeFloor, floorTotal, measureFloors } from './floors.ts';

const { values: opts } = parseArgs({
  options: {
    entities: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string', default: '16' },
    port: { type: 'string', default: '19026' },
    store: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string' },
  },
});
if (opts.store === 'postgres') {
  // the PostgreSQL table (one node, two nodes, SQLite beside them) is its own benchmark
  await import('./postgres.bench.ts');
  process.exit(0);
}
if (opts.store !== 'sqlite') throw new Error(`--store ${opts.store}: sqlite or postgres`);
const N = Number(opts.entities);
const SECONDS = Number(opts.seconds);
const CLIENTS = Number(opts.clients);
const PORT = Number(opts.port);

/** Deterministic PRNG (mulberry32) so every run loads the same city. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Leipzig's bounding box: the entities are spread over a real city extent.
const BBOX = [12.24, 51.24, 12.54, 51.45];
const rand = rng(42);

function airQuality(i: number, r = rand) {
  const lon = BBOX[0] + r() * (BBOX[2] - BBOX[0]);
  const lat = BBOX[1] + r() * (BBOX[3] - BBOX[1]);
  const t = new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 365 * 24) * 3600_000).toISOString();
  const p = (v: number, unitCode: string) => ({
    type: 'Property',
    value: Math.round(v * 10) / 10,
    unitCode,
    observedAt: t,
  });
  return {
    id: `urn:ngsi-ld:AirQualityObserved:bench-${i}`,
    type: 'AirQualityObserved',
    dateObserved: { type: 'Property', value: t },
    name: { type: 'Property', value: `Station ${i}` },
    no2: p(r() * 80, 'GQ'),
    pm10: p(r() * 60, 'GQ'),
    pm25: p(r() * 40, 'GQ'),
    o3: p(r() * 120, 'GQ'),
    co: p(r() * 2, 'GP'),
    temperature: p(-5 + r() * 35, 'CEL'),
    relativeHumidity: p(r(), 'C62'),
    airQualityIndex: { type: 'Property', value: Math.floor(r() * 6) },
    refDevice: { type: 'Relationship', object: `urn:ngsi-ld:Device:bench-${i}` },
    location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [lon, lat] } },
  };
}

const client = httpClient(PORT, CLIENTS * 2);
const request = client.request;

/** Operation numbers keep growing across runs, so a create never reuses an id. */
let counter = 0;
const numbers = () => counter++;

/**
 * A process's memory from one read of /proc/PID/status, in MB: RSS, its peak, and the RSS split
 * into anonymous (heap), file-backed (the mapped database) and shared (the WAL index) parts.
 */
function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (name: string) =>
    Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return {
    rss: mb('VmRSS'),
    peak: mb('VmHWM'),
    anon: mb('RssAnon'),
    file: mb('RssFile'),
    shared: mb('RssShmem'),
  };
}

const BATCH = 500;
/** the targets, by operation, for the ceilings */
const TARGETS: Record<number, string> = { 0: '20,000', 4: '2,000', 5: '1,500' };
const near = () => {
  const lon = BBOX[0] + rand() * (BBOX[2] - BBOX[0]);
  const lat = BBOX[1] + rand() * (BBOX[3] - BBOX[1]);
  return [lon, lat];
};
const withinBox = () => {
  const [lon, lat] = near();
  const d = 0.004;
  return [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ];
};
// q selective enough to return a page of about 100 of 100k: no2 in a 0.6 µg/m³ band and a high humidity
const qFor = (i: number) => `no2>${(i % 70) + 5};no2<${(i % 70) + 5.6};relativeHumidity>0.2`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-bench-'));
  console.log(`# twinbox bench:broker — ${N} entities, ${CLIENTS} clients, ${SECONDS} s per operation`);
  console.log(machineLine());
  const child: ChildProcess = spawnServe(PORT, join(dir, 'http'), { bodyLimitBytes: 16 * 1024 * 1024 });
  const results: Array<{
    name: string;
    http?: DriveStats;
    direct?: DriveStats;
    unit: string;
    memory?: ReturnType<typeof memoryOf>;
  }> = [];
  try {
    await waitServing(PORT, child);
    // load through the API
    const t0 = performance.now();
    for (let i = 0; i < N; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => airQuality(i + k));
      const r = await request('POST', '/ngsi-ld/v1/entityOperations/upsert', batch);
      if (r.status >= 300 && r.status !== 204)
        throw new Error(`load failed: ${r.status} ${r.body.slice(0, 200)}`);
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    const loaded = memoryOf(child.pid!);
    console.log(
      `# loaded ${N} entities through the API in ${loadSeconds.toFixed(1)} s (${Math.round(N / loadSeconds)} entities/s, one client); server RSS ${loaded.rss.toFixed(0)} MB, peak ${loaded.peak.toFixed(0)} MB`,
    );

    const opsHttp: Array<[string, string, number, (i: number) => Promise<boolean>]> = [
      [
        'batch upsert (500/request)',
        'entities/s',
        BATCH,
        async (i) => {
          const base = (i * BATCH) % N;
          const batch = Array.from({ length: BATCH }, (_, k) => airQuality(base + k));
          return (await request('POST', '/ngsi-ld/v1/entityOperations/upsert', batch)).status < 300;
        },
      ],
      [
        'create entity',
        'req/s',
        1,
        async (i) =>
          (await request('POST', '/ngsi-ld/v1/entities', airQuality(N + 1_000_000 + i))).status === 201,
      ],
      [
        'partial attribute update',
        'req/s',
        1,
        async (i) =>
          (
            await request(
              'PATCH',
              `/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:bench-${i % N}/attrs/no2`,
              { value: (i % 800) / 10 },
            )
          ).status === 204,
      ],
      [
        'retrieve by id',
        'req/s',
        1,
        async (i) =>
          (
            await request(
              'GET',
              `/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:bench-${(i * 7919) % N}`,
            )
          ).status === 200,
      ],
      [
        'query type+q (limit 100)',
        'req/s',
        1,
        async (i) =>
          (
            await request(
              'GET',
              `/ngsi-ld/v1/entities?type=AirQualityObserved&q=${encodeURIComponent(qFor(i))}&limit=100`,
            )
          ).status === 200,
      ],
      [
        'geo near 300 m (<=100 hits)',
        'req/s',
        1,
        async () =>
          (
            await request(
              'GET',
              `/ngsi-ld/v1/entities?type=AirQualityObserved&georel=near;maxDistance==300&geometry=Point&coordinates=${encodeURIComponent(JSON.stringify(near()))}&limit=100`,
            )
          ).status === 200,
      ],
      [
        'geo within 280 m box',
        'req/s',
        1,
        async () =>
          (
            await request(
              'GET',
              `/ngsi-ld/v1/entities?type=AirQualityObserved&georel=within&geometry=Polygon&coordinates=${encodeURIComponent(JSON.stringify(withinBox()))}&limit=100`,
            )
          ).status === 200,
      ],
    ];
    for (const [name, unit, per, op] of opsHttp) {
      await drive({ clients: CLIENTS, seconds: 0.5, op, unit: per, numbers }); // warm-up
      results.push({
        name,
        http: await drive({ clients: CLIENTS, seconds: SECONDS, op, unit: per, numbers }),
        unit,
        memory: memoryOf(child.pid!),
      });
    }
    const memory = memoryOf(child.pid!);

    // the same operations straight on the broker and store, in this process
    const store = openStore({ engine: 'sqlite', path: join(dir, 'direct', 'twin.sqlite') });
    const broker = createBroker({ store });
    const terms = TermMap.core();
    const parse = (e: unknown) => {
      const r = parseEntity(e, terms);
      if (!r.ok) throw new Error(r.problem.detail);
      return r.value;
    };
    for (let i = 0; i < N; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => ({
        ok: true as const,
        entity: parse(airQuality(i + k)),
      }));
      await broker.batch('', 'upsert', batch);
    }
    const type = { kind: 'type' as const, name: terms.expand('AirQualityObserved') };
    const geo = (georel: string, geometry: string, coords: unknown) => {
      const r = parseGeoQuery({ georel, geometry, coordinates: JSON.stringify(coords) }, (n: string) =>
        terms.expand(n),
      );
      if (!r.ok) throw new Error(r.problem.detail);
      return r.value;
    };
    // entities per answer of each query operation, for the ceilings below
    const hits = new Map<number, { answers: number; entities: number }>();
    const answered = (k: number, r: { entities: unknown[] }) => {
      const h = hits.get(k) ?? { answers: 0, entities: 0 };
      h.answers++;
      h.entities += r.entities.length;
      hits.set(k, h);
      return true;
    };
    /** a page of 100 of the type, filtered by q or geoQ */
    const page = async (k: number, filter: Pick<Parameters<typeof broker.queryEntities>[1], 'q' | 'geoQ'>) =>
      answered(k, await broker.queryEntities('', { type, ...filter, limit: 100, offset: 0 }));
    const opsDirect: Array<(i: number) => Promise<boolean>> = [
      async (i) => {
        const base = (i * BATCH) % N;
        await broker.batch(
          '',
          'upsert',
          Array.from({ length: BATCH }, (_, k) => ({
            ok: true as const,
            entity: parse(airQuality(base + k)),
          })),
        );
        return true;
      },
      async (i) => (await broker.createEntity('', parse(airQuality(N + 1_000_000 + i)))).ok,
      async (i) =>
        (
          await broker.partialAttributeUpdate(
            '',
            `urn:ngsi-ld:AirQualityObserved:bench-${i % N}`,
            terms.expand('no2'),
            { type: 'Property', value: (i % 800) / 10 },
          )
        ).ok,
      async (i) =>
        (await broker.retrieveEntity('', `urn:ngsi-ld:AirQualityObserved:bench-${(i * 7919) % N}`)).ok,
      async (i) => {
        const q = parseQ(qFor(i));
        return q.ok && page(4, { q: expandQ(q.value, (n) => terms.expand(n)) });
      },
      async () => page(5, { geoQ: geo('near;maxDistance==300', 'Point', near()) }),
      async () => page(6, { geoQ: geo('within', 'Polygon', withinBox()) }),
    ];
    for (let k = 0; k < opsDirect.length; k++) {
      const direct = { clients: 1, op: opsDirect[k], unit: opsHttp[k][2], numbers };
      await drive({ ...direct, seconds: 0.5 });
      results[k].direct = await drive({ ...direct, seconds: SECONDS });
    }
    const floors = measureFloors((store as SqliteStore).database, N, terms, {
      json: JSON.stringify(Array.from({ length: BATCH }, (_, k) => airQuality(k))),
      count: BATCH,
    });
    await store.close();

    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (x: number | undefined, d = 0) =>
      (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d)).padStart(9);
    console.log(
      `\n${pad('operation', 30)}${'http/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(9)} |${'store/s'.padStart(9)}${'p50 ms'.padStart(9)} |${'ratio'.padStart(7)}${'RSS MB'.padStart(9)}${'peak MB'.padStart(9)}  unit`,
    );
    for (const r of results) {
      const ratio = r.http && r.direct ? r.http.perSecond / r.direct.perSecond : Number.NaN;
      console.log(
        `${pad(r.name, 30)}${num(r.http?.perSecond)}${num(r.http?.p50, 2)}${num(r.http?.p99, 2)}${num(r.http?.errors)} |${num(r.direct?.perSecond)}${num(r.direct?.p50, 3)} |${ratio.toFixed(2).padStart(7)}${num(r.memory?.rss)}${num(r.memory?.peak)}  ${r.unit}`,
      );
    }
    const [readFloor, writeFloor] = floors;
    console.log('\nfloors: steps every request takes in this design, each alone, in-process on one core');
    for (const f of floors) console.log(`  ${describeFloor(f)}`);
    console.log(
      'ceilings on one core from the floors alone (the whole server shares 2 cores with the load generator):',
    );
    const upsertDirect = results[0].direct?.perSecond ?? Number.NaN;
    console.log(
      `  ${pad('batch upsert', 28)}${num(1e6 / floorTotal(writeFloor))} entities/s  target ${TARGETS[0]}; the store's upsert takes ${(1e6 / upsertDirect - floorTotal(writeFloor)).toFixed(0)} µs per entity more (history rows, value index, R*Tree, change log)`,
    );
    const stringifyUs = readFloor.steps.find(([step]) => step === 'JSON.stringify')![1];
    for (const k of [4, 5, 6]) {
      const h = hits.get(k);
      if (!h) continue;
      const perAnswer = h.entities / h.answers;
      console.log(
        `  ${pad(results[k].name, 28)}${num(1e6 / (perAnswer * floorTotal(readFloor)))} req/s at ${perAnswer.toFixed(0)} entities per answer (JSON.stringify alone: ${(1e6 / (perAnswer * stringifyUs)).toFixed(0)})  target ${TARGETS[k] ?? '-'}`,
      );
    }
    const mb = (x: number) => `${x.toFixed(0)} MB`;
    console.log(
      `\nserver RSS after the run: ${mb(memory.rss)} (anonymous ${mb(memory.anon)}, file ${mb(memory.file)}, shared ${mb(memory.shared)}; peak ${mb(memory.peak)})`,
    );
    console.log(
      'http: the API over loopback with the load generator on the same 2 cores; store: the broker operation in-process, one caller; RSS and peak: the server after each operation',
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
    client.close();
  }
}

await main();
