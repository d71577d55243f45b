/**
 * bench:notify (issue 3): end-to-end notification latency and loss.
 *
 * A twinbox server runs as its own process on a fresh SQLite file (`twinbox serve`), with
 * `--subs` subscriptions, each on one entity. This process writes `--rate` attribute updates per
 * second over HTTP, round-robin over the entities, and receives the notifications on a local
 * HTTP receiver. Phase 1 measures latency from sending the update to receiving its notification
 * (p50/p99; target p99 < 100 ms). Phase 2 stops the receiver for `--down` seconds while the writes
 * go on, brings it back, and checks that every notification arrives, per subscription in order.
 *
 *   npm run bench:notify -- [--subs 100] [--rate 1000] [--duration 10] [--down 60]
 */

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnServe, waitServing } from '../http-client.ts';

const { values } = parseArgs({
  options: {
    subs: { type: 'string', default: '100' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '10' },
    down: { type: 'string', default: '60' },
  },
});
const SUBS = Number(values.subs);
const RATE = Number(values.rate);
const DURATION_S = Number(values.duration);
const DOWN_S = Number(values.down);
/** Writes in flight at once: enough to hold the rate when a write takes a few ms. */
const MAX_IN_FLIGHT = 64;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Arrival {
  entity: number;
  seq: number;
  latencyMs: number;
}

const arrivals: Arrival[] = [];
function receiver(port: number): Promise<Server> {
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.timeOrigin + performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        data: Array<{ id: string; seq: number; sentAt: number }>;
      };
      for (const e of body.data)
        arrivals.push({ entity: Number(e.id.split(':').pop()), seq: e.seq, latencyMs: now - e.sentAt });
      res.statusCode = 204;
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawnServe(port, dataDir, { logLevel: 'silent' });
  await waitServing(port, child);
  return child;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinbox-notify-bench-'));
  const [port, receiverPort] = [await freePort(), await freePort()];
  const server = await startServer(port, dataDir);
  const api = `http://127.0.0.1:${port}/ngsi-ld/v1`;
  const post = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status}`);
  };
  for (let i = 0; i < SUBS; i++) {
    await post('POST', '/entities', {
      id: `urn:ngsi-ld:Sensor:${i}`,
      type: 'Sensor',
      seq: { type: 'Property', value: -1 },
      sentAt: { type: 'Property', value: 0 },
    });
    await post('POST', '/subscriptions', {
      type: 'Subscription',
      entities: [{ id: `urn:ngsi-ld:Sensor:${i}`, type: 'Sensor' }],
      watchedAttributes: ['seq'],
      notification: {
        format: 'keyValues',
        attributes: ['seq', 'sentAt'],
        endpoint: { uri: `http://127.0.0.1:${receiverPort}/notify`, accept: 'application/json' },
      },
    });
  }
  let recv = await receiver(receiverPort);
  const sent: number[] = new Array(SUBS).fill(0);
  let totalSent = 0;
  const writeMs: number[] = [];

  async function load(seconds: number): Promise<void> {
    const total = Math.round(seconds * RATE);
    const start = performance.now();
    let inFlight = 0;
    const done: Promise<void>[] = [];
    for (let k = 0; k < total; k++) {
      const due = start + (k * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      while (inFlight >= MAX_IN_FLIGHT) await new Promise((r) => setImmediate(r));
      const entity = totalSent % SUBS;
      const seq = sent[entity]++;
      totalSent++;
      inFlight++;
      const t0 = performance.now();
      done.push(
        post('PATCH', `/entities/urn:ngsi-ld:Sensor:${entity}/attrs`, {
          seq: { type: 'Property', value: seq },
          sentAt: { type: 'Property', value: performance.timeOrigin + performance.now() },
        }).then(() => {
          writeMs.push(performance.now() - t0);
          inFlight--;
        }),
      );
    }
    await Promise.all(done);
  }

  async function settle(expected: number, timeoutS: number): Promise<number> {
    const t0 = performance.now();
    while (arrivals.length < expected && performance.now() - t0 < timeoutS * 1000)
      await new Promise((r) => setTimeout(r, 20));
    return (performance.now() - t0) / 1000;
  }

  // warm-up: JIT, connection pools
  await load(1);
  await settle(totalSent, 30);
  arrivals.length = 0;
  writeMs.length = 0;
  const base = totalSent;

  // phase 1: steady state
  const t1 = performance.now();
  await load(DURATION_S);
  const achieved = (totalSent - base) / ((performance.now() - t1) / 1000);
  await settle(totalSent - base, 30);
  const latencies = arrivals.map((a) => a.latencyMs).sort((a, b) => a - b);
  const writes = [...writeMs].sort((a, b) => a - b);
  const phase1 = { received: arrivals.length, expected: totalSent - base };

  // phase 2: receiver down for DOWN_S seconds while writes go on
  arrivals.length = 0;
  const before = totalSent;
  recv.closeAllConnections();
  await new Promise((r) => recv.close(r));
  await load(DOWN_S);
  const downWrites = totalSent - before;
  recv = await receiver(receiverPort);
  const drainS = await settle(downWrites, 120);
  await new Promise((r) => setTimeout(r, 500));
  const got = new Map<number, number[]>();
  for (const a of arrivals) {
    const list = got.get(a.entity) ?? [];
    list.push(a.seq);
    got.set(a.entity, list);
  }
  let duplicates = 0;
  let outOfOrder = 0;
  for (const [, list] of got) {
    for (let i = 1; i < list.length; i++) {
      if (list[i] === list[i - 1]) duplicates++;
      else if (list[i] < list[i - 1]) outOfOrder++;
    }
  }
  const distinct = new Set(arrivals.map((a) => `${a.entity}:${a.seq}`)).size;
  const lost = downWrites - distinct;

  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  recv.closeAllConnections();
  recv.close();
  rmSync(dataDir, { recursive: true, force: true });

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`bench:notify — ${cpu}, ${cpus().length} cores, Node ${process.version}`);
  console.log(
    `server: twinbox serve (SQLite file, own process); ${SUBS} subscriptions, one entity each; baseline: issue 3 target p99 < 100 ms`,
  );
  console.log('');
  console.log(
    '| phase | updates | rate (/s) | notifications | p50 (ms) | p99 (ms) | max (ms) | write p50/p99 (ms) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| steady ${DURATION_S} s | ${phase1.expected} | ${achieved.toFixed(0)} | ${phase1.received} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${latencies[latencies.length - 1].toFixed(1)} | ${percentile(writes, 50).toFixed(1)} / ${percentile(writes, 99).toFixed(1)} |`,
  );
  console.log('');
  console.log(
    '| receiver down | updates while down | delivered after | lost | duplicates | out of order | drain after restart (s) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${DOWN_S} s | ${downWrites} | ${distinct} | ${lost} | ${duplicates} | ${outOfOrder} | ${drainS.toFixed(1)} |`,
  );
}

await main();
