/**
 * The data-space catalogue at federation scale: an instance publishing 1,000 datasets serves its
 * DCAT-AP 3 catalogue (the document peers harvest) as JSON-LD and as Turtle over loopback.
 * Target: < 100 ms. Options: --datasets 1000 --requests 30
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../../src/http/index.ts';
import { openStore } from '../../src/store/index.ts';
import { dataspacePlugin, parsePublication } from '../../src/twin/dataspace/index.ts';
import { httpClient, machineLine } from '../http-client.ts';

const { values: opts } = parseArgs({
  options: { datasets: { type: 'string', default: '1000' }, requests: { type: 'string', default: '30' } },
});
const DATASETS = Number(opts.datasets);
const REQUESTS = Number(opts.requests);

const leipzig = JSON.parse(readFileSync('data/cities/leipzig/publish.json', 'utf8')) as {
  datasets: Array<Record<string, unknown>>;
};
const template = leipzig.datasets[0];
const raw = {
  ...leipzig,
  datasets: Array.from({ length: DATASETS }, (_, i) => ({
    ...template,
    name: `dataset-${i}`,
    title: `${String(template.title)} (${i})`,
  })),
};
const publication = parsePublication(raw, 'bench', 'leipzig');

const dir = mkdtempSync(join(tmpdir(), 'twinbox-catalogue-'));
const store = openStore({ engine: 'sqlite', path: join(dir, 'twin.sqlite') });
const app = await buildApp({
  store,
  logLevel: 'warn',
  plugins: [dataspacePlugin({ store, dataDir: dir, publicUrl: 'http://127.0.0.1:1', publication })],
});
await app.listen({ port: 0, host: '127.0.0.1' });
const client = httpClient((app.server.address() as AddressInfo).port, 4);

console.log(`# twinbox bench:catalogue — ${DATASETS} published datasets, ${REQUESTS} requests each`);
console.log(machineLine());
console.log(
  `\n${'export'.padEnd(26)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'KiB'.padStart(9)}  status`,
);
for (const [label, accept] of [
  ['DCAT-AP as JSON-LD', 'application/ld+json'],
  ['DCAT-AP as Turtle', 'text/turtle'],
] as const) {
  const times: number[] = [];
  let size = 0;
  let status = 0;
  for (let i = 0; i < REQUESTS + 3; i++) {
    const t0 = performance.now();
    const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/twinbox/v1/catalogue`, {
        headers: { accept },
      })
        .then(async (res) => resolve({ status: res.status, body: await res.text() }))
        .catch(reject);
    });
    if (i >= 3) times.push(performance.now() - t0);
    size = r.body.length;
    status = r.status;
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(
    `${label.padEnd(26)}${p(0.5).toFixed(1).padStart(9)}${p(0.99).toFixed(1).padStart(9)}${(size / 1024).toFixed(0).padStart(9)}  ${status}`,
  );
}
client.close();
await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
