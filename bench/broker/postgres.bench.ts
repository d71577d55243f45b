/**
 * node --import tsx bench/broker/postgres.bench.ts — the NGSI-LD API on SQLite (one node), on
 * PostgreSQL with one node, and on PostgreSQL with two nodes sharing the database, in one run.
 * Baseline: the SQLite row. Same entities and operations as bench:broker (AirQualityObserved,
 * seeded), loaded by batch upsert, driven by C keep-alive clients; with two nodes the clients
 * alternate between them. Besides ops/s, p50 and p99 it reports CPU seconds per 1,000 requests of
 * every node process and of the PostgreSQL server (all its processes), from /proc/<pid>/stat.
 * Options: --entities 20000 --seconds 5 --clients 16 --database-url postgres://postgres@127.0.0.1:5432/postgres
 * (the URL names a server where the bench may create and drop a database of its own).
 */

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort, type NodeProcess, servesPostgres, startNode } from '../../test/store/postgres-fixture.ts';
import { drive } from '../drive.ts';
import { type HttpClient, httpClient, spawnServe, waitServing } from '../http-client.ts';

const { values: opts } = parseArgs({
  options: {
    entities: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string', default: '16' },
    // accepted so that `npm run bench:broker -- --store postgres` lands here with its arguments
    store: { type: 'string' },
    port: { type: 'string' },
    'database-url': {
      type: 'string',
      default: process.env.TWINBOX_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const N = Number(opts.entities);
const SECONDS = Number(opts.seconds);
const CLIENTS = Number(opts.clients);
const ADMIN_URL = opts['database-url'] as string;
/** USER_HZ: /proc reports CPU time in clock ticks of 1/100 s on Linux. */
const TICKS_PER_S = 100;
const BATCH = 500;
// Leipzig's bounding box, as in bench:broker
const BBOX = [12.24, 51.24, 12.54, 51.45];

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

function airQuality(i: number) {
  const r = rng(i + 1);
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
    temperature: p(-5 + r() * 35, 'CEL'),
    relativeHumidity: p(r(), 'C62'),
    refDevice: { type: 'Relationship', object: `urn:ngsi-ld:Device:bench-${i}` },
    location: {
      type: 'GeoProperty',
      value: {
        type: 'Point',
        coordinates: [BBOX[0] + r() * (BBOX[2] - BBOX[0]), BBOX[1] + r() * (BBOX[3] - BBOX[1])],
      },
    },
  };
}

const clients = new Map<string, HttpClient>();

/** The status of one request to the node at `base`, over that node's keep-alive connections. */
async function request(base: string, method: string, path: string, body?: unknown): Promise<number> {
  let client = clients.get(base);
  if (!client) {
    const u = new URL(base);
    client = httpClient(Number(u.port), CLIENTS * 2, u.hostname);
    clients.set(base, client);
  }
  return (await client.request(method, path, body)).status;
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** CPU seconds of every PostgreSQL server process visible here (a remote server reads as 0). */
function postgresCpuSeconds(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() === 'postgres')
        byPid.set(Number(name), cpuSeconds(Number(name)));
    } catch {
      // the process ended while we looked
    }
  }
  return byPid;
}

/** CPU spent between two samples by the PostgreSQL processes alive at the second one. */
function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresCpuSeconds()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

interface Row {
  setup: string;
  op: string;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU s per 1,000 requests, per node process */
  nodeCpu: number[];
  /** the offered load of a paced run (requests/s); undefined: as fast as the nodes answer */
  rate?: number;
  pgCpu: number;
}

const qFor = (i: number) => `no2>${(i % 70) + 5};no2<${(i % 70) + 5.6};relativeHumidity>0.2`;
const OPS: Array<[string, (base: string, i: number) => Promise<boolean>]> = [
  [
    'retrieve by id',
    async (b, i) =>
      (await request(
        b,
        'GET',
        `/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:bench-${(i * 7919) % N}`,
      )) === 200,
  ],
  [
    'partial attribute update',
    async (b, i) =>
      (await request(
        b,
        'PATCH',
        `/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:bench-${i % N}/attrs/no2`,
        { value: (i % 800) / 10 },
      )) === 204,
  ],
  [
    'query type+q (limit 100)',
    async (b, i) =>
      (await request(
        b,
        'GET',
        `/ngsi-ld/v1/entities?type=AirQualityObserved&q=${encodeURIComponent(qFor(i))}&limit=100`,
      )) === 200,
  ],
  [
    'geo near 300 m',
    async (b, i) => {
      const r = rng(i);
      const c = [BBOX[0] + r() * (BBOX[2] - BBOX[0]), BBOX[1] + r() * (BBOX[3] - BBOX[1])];
      return (
        (await request(
          b,
          'GET',
          `/ngsi-ld/v1/entities?type=AirQualityObserved&georel=near;maxDistance==300&geometry=Point&coordinates=${encodeURIComponent(JSON.stringify(c))}&limit=100`,
        )) === 200
      );
    },
  ],
];

async function startSqliteNode(dir: string): Promise<NodeProcess> {
  const port = await freePort();
  const child: ChildProcess = spawnServe(port, dir, { bodyLimitBytes: 16 * 1024 * 1024 });
  const url = `http://127.0.0.1:${port}`;
  await waitServing(port, child);
  return {
    url,
    child,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function run(setup: string, nodes: NodeProcess[], rows: Row[]): Promise<void> {
  const bases = nodes.map((n) => n.url);
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => airQuality(i + k));
    const status = await request(
      bases[(i / BATCH) % bases.length],
      'POST',
      '/ngsi-ld/v1/entityOperations/upsert',
      batch,
    );
    if (status >= 300) throw new Error(`load failed on ${setup}: ${status}`);
  }
  console.log(`# ${setup}: loaded ${N} entities in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const [name, op] of OPS) {
    // request by request, so every node gets half whatever the clients' timing
    const run = (seconds: number, rate?: number) =>
      drive({ clients: CLIENTS, seconds, rate, op: (i) => op(bases[i % bases.length], i) });
    await run(0.5);
    const measure = async (rate?: number) => {
      const cpu0 = nodes.map((n) => cpuSeconds(n.child.pid!));
      const pg0 = postgresCpuSeconds();
      const s = await run(SECONDS, rate);
      const per1000 = 1000 / Math.max(1, s.ops);
      return {
        ...s,
        nodeCpu: nodes.map((n, k) => (cpuSeconds(n.child.pid!) - cpu0[k]) * per1000),
        pgCpu: postgresCpuSince(pg0) * per1000,
      };
    };
    rows.push({ setup, op: name, ...(await measure()) });
    // CPU per request compared at one offered load, half of what one PostgreSQL node sustains:
    // at saturation two nodes and the database fight over the same two cores, which costs
    // every process cycles that no coordination between the nodes causes
    if (setup.startsWith('postgres')) {
      const one = rows.find((r) => r.setup === 'postgres, 1 node' && r.op === name && r.rate === undefined)!;
      const rate = Math.max(10, Math.round(one.perSecond / 2));
      rows.push({ setup, op: name, rate, ...(await measure(rate)) });
      // one node alone at the load each of two nodes carries at `rate`: a node answering fewer
      // requests per second amortises less per event-loop turn, which is no coordination cost
      if (nodes.length === 1) rows.push({ setup, op: name, rate: rate / 2, ...(await measure(rate / 2)) });
    }
  }
}

async function main(): Promise<void> {
  console.log(`# twinbox bench postgres — ${N} entities, ${CLIENTS} clients, ${SECONDS} s per operation`);
  console.log(
    `# ${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, node ${process.version}; database, nodes and load generator share these cores`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-bench-pg-'));
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const viaCli = await servesPostgres();
  const rows: Row[] = [];
  const created: string[] = [];
  const database = async (name: string) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    const u = new URL(ADMIN_URL);
    u.pathname = `/${name}`;
    return u.toString();
  };
  try {
    const sqlite = await startSqliteNode(join(dir, 'sqlite'));
    await run('sqlite, 1 node', [sqlite], rows).finally(() => sqlite.stop());
    const one = await startNode(await database('twinbox_bench_one'), viaCli);
    await run('postgres, 1 node', [one], rows).finally(() => one.stop());
    const url = await database('twinbox_bench_two');
    const first = await startNode(url, viaCli);
    const second = await startNode(url, viaCli);
    await run('postgres, 2 nodes', [first, second], rows).finally(() =>
      Promise.all([first.stop(), second.stop()]),
    );
  } finally {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
    for (const c of clients.values()) c.close();
  }
  const num = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-').padStart(9);
  console.log(
    `\n${'setup'.padEnd(19)}${'operation'.padEnd(38)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(9)}  CPU s / 1,000 req: nodes | postgres`,
  );
  for (const r of rows) {
    console.log(
      `${r.setup.padEnd(19)}${(r.rate ? `${r.op}, ${r.rate}/s paced` : r.op).padEnd(38)}${num(r.perSecond)}${num(r.p50, 2)}${num(r.p99, 2)}${num(r.errors)}  ${r.nodeCpu.map((c) => c.toFixed(3)).join(' + ')} | ${r.setup.startsWith('postgres') ? r.pgCpu.toFixed(3) : '-'}`,
    );
  }
  const base = rows.filter((r) => r.setup === 'sqlite, 1 node');
  console.log('\nbaseline: the sqlite row of each operation');
  for (const b of base) {
    const ofOp = (setup: string) => rows.filter((r) => r.setup === setup && r.op === b.op);
    const [one, onePaced, oneHalf] = ofOp('postgres, 1 node');
    const [two, twoPaced] = ofOp('postgres, 2 nodes');
    if (!one || !two || !onePaced || !twoPaced || !oneHalf) continue;
    const rise = (a: Row, b: Row) =>
      `${((b.nodeCpu.reduce((x, c) => x + c, 0) / a.nodeCpu[0] - 1) * 100).toFixed(1)} %`;
    console.log(
      `${b.op.padEnd(27)} postgres/sqlite ${(one.perSecond / b.perSecond).toFixed(2)}; node CPU per request, 2 nodes vs 1: ${rise(oneHalf, twoPaced)} at ${oneHalf.rate}/s per node, ${rise(onePaced, twoPaced)} at ${onePaced.rate}/s in all, ${rise(one, two)} at saturation`,
    );
  }
}

await main();
