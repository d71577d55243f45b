/**
 * npm run bench:federation — what forwarding to a context source costs (ETSI GS CIM 009 v1.8,
 * clause 4.3.6): the same NGSI-LD request answered by two federated twinbox instances against one
 * instance holding all the data. Baseline: instance S with 2N entities. Federated: A and B with N
 * each, A holding an inclusive registration of B; every request goes to A, which queries its
 * store and B in parallel and merges. All three are `twinbox serve` processes on loopback.
 *
 * Requests are sent one at a time over keep-alive connections (latency, not throughput), after a
 * warm-up; p50 and p99 per request, and the difference federated − single at p50 (target < 20 ms).
 * Options: --entities 1000 (per federated instance) --requests 400 --warmup 50
 */

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnServe, waitServing } from '../http-client.ts';

const { values: opts } = parseArgs({
  options: {
    entities: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '400' },
    warmup: { type: 'string', default: '50' },
  },
});
const N = Number(opts.entities);
const REQUESTS = Number(opts.requests);
const WARMUP = Number(opts.warmup);
const API = '/ngsi-ld/v1';
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Instance {
  port: number;
  url: string;
  child: ChildProcess;
  dir: string;
}

async function start(): Promise<Instance> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-bench-fed-'));
  const child = spawnServe(port, dir);
  await waitServing(port, child);
  return { port, url: `http://127.0.0.1:${port}`, child, dir };
}

function request(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      { method, agent, headers: data ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** A parking sensor: a few properties and a Point, deterministic per index. */
function sensor(i: number) {
  return {
    id: `urn:ngsi-ld:ParkingSpot:bench-${String(i).padStart(6, '0')}`,
    type: 'ParkingSpot',
    status: {
      type: 'Property',
      value: i % 3 === 0 ? 'occupied' : 'free',
      observedAt: '2024-05-01T10:00:00Z',
    },
    occupancy: { type: 'Property', value: (i * 37) % 100, unitCode: 'P1' },
    name: { type: 'Property', value: `spot ${i}` },
    location: {
      type: 'GeoProperty',
      value: { type: 'Point', coordinates: [12.3 + (i % 100) / 1000, 51.3 + Math.floor(i / 100) / 1000] },
    },
  };
}

async function load(instance: Instance, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(to, i + 500); j++) batch.push(sensor(j));
    const res = await request(instance.url, 'POST', `${API}/entityOperations/upsert`, batch);
    if (res.status >= 300) throw new Error(`loading failed: ${res.status} ${res.text}`);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(
  base: string,
  path: string,
): Promise<{ p50: number; p99: number; perSecond: number; count: number }> {
  let count = 0;
  for (let i = 0; i < WARMUP; i++) await request(base, 'GET', path);
  const times: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) {
    const s = process.hrtime.bigint();
    const res = await request(base, 'GET', path);
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    if (i === 0)
      count = (() => {
        const parsed: unknown = JSON.parse(res.text);
        return Array.isArray(parsed) ? parsed.length : 1;
      })();
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), perSecond: REQUESTS / total, count };
}

const single = await start();
const a = await start();
const b = await start();
try {
  await load(single, 0, 2 * N);
  await load(a, 0, N);
  await load(b, N, 2 * N);
  const reg = await request(a.url, 'POST', `${API}/csourceRegistrations`, {
    id: 'urn:ngsi-ld:ContextSourceRegistration:bench',
    type: 'ContextSourceRegistration',
    information: [{ entities: [{ type: 'ParkingSpot' }] }],
    endpoint: b.url,
  });
  if (reg.status !== 201) throw new Error(`registration failed: ${reg.status} ${reg.text}`);

  const lastLocal = `urn:ngsi-ld:ParkingSpot:bench-${String(N + 7).padStart(6, '0')}`;
  const cases: Array<[string, string]> = [
    ['query type, page of 20', `${API}/entities?type=ParkingSpot&limit=20`],
    ['query q, page of 100', `${API}/entities?type=ParkingSpot&q=occupancy%3E50&limit=100`],
    [
      'query geo near 200 m, count',
      `${API}/entities?type=ParkingSpot&georel=near%3BmaxDistance%3D%3D200&geometry=Point&coordinates=%5B12.35%2C51.305%5D&count=true&limit=50`,
    ],
    ['retrieve an entity held by B', `${API}/entities/${encodeURIComponent(lastLocal)}`],
  ];
  const rows: string[][] = [];
  for (const [name, path] of cases) {
    const one = await measure(single.url, path);
    const fed = await measure(a.url, path);
    if (one.count !== fed.count)
      throw new Error(`${name}: ${one.count} results on one instance, ${fed.count} federated`);
    rows.push([
      name,
      String(one.count),
      one.p50.toFixed(2),
      one.p99.toFixed(2),
      fed.p50.toFixed(2),
      fed.p99.toFixed(2),
      (fed.p50 - one.p50).toFixed(2),
      fed.p50 - one.p50 < 20 ? 'yes' : 'NO',
    ]);
  }
  const header = [
    'request',
    'results',
    'one p50 ms',
    'one p99 ms',
    'fed p50 ms',
    'fed p99 ms',
    'added p50 ms',
    '< 20 ms',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(
    `\nfederation: ${2 * N} ParkingSpot entities on one instance vs ${N} + ${N} on two (A registers B), ${REQUESTS} sequential requests after ${WARMUP} warm-up`,
  );
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}; baseline: the same request on one instance\n`,
  );
  console.log(line(header));
  for (const r of rows) console.log(line(r));
} finally {
  for (const i of [single, a, b]) {
    i.child.kill('SIGTERM');
    await new Promise((r) => i.child.once('exit', r));
    rmSync(i.dir, { recursive: true, force: true });
  }
  agent.destroy();
}
