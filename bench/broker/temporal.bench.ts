/**
 * npm run bench:temporal — history at sensor scale through the temporal API.
 *
 * Ingests one week of 1-minute readings for S sensors (default 1,000 x 10,080 = 10.08M attribute
 * instances) with POST /temporal/entities (a day of readings per request, C concurrent
 * clients), then times the queries a planner asks: one sensor's week, hourly averages over the
 * week for 100 sensors, and the latest reading of every sensor (lastN=1). Prints disk per
 * instance. Options: --sensors 1000 --minutes 10080 --clients 4 --port 19027
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { httpClient, machineLine, spawnServe, waitServing } from '../http-client.ts';

const { values: opts } = parseArgs({
  options: {
    sensors: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '10080' },
    clients: { type: 'string', default: '4' },
    port: { type: 'string', default: '19027' },
    repeat: { type: 'string', default: '10' },
  },
});
const SENSORS = Number(opts.sensors);
const MINUTES = Number(opts.minutes);
const CLIENTS = Number(opts.clients);
const PORT = Number(opts.port);
const REPEAT = Number(opts.repeat);
const DAY = 1440;
const START = Date.UTC(2024, 5, 3); // a Monday
const client = httpClient(PORT, CLIENTS * 2);
const request = client.request;

/** A plausible traffic-like signal: daily cycle plus per-sensor offset, deterministic. */
function reading(sensor: number, minute: number): number {
  const hour = (minute / 60) % 24;
  return Math.round((40 + 30 * Math.sin(((hour - 6) / 24) * 2 * Math.PI) + (sensor % 17)) * 10) / 10;
}

function dayFragment(sensor: number, day: number): unknown {
  const from = day * DAY;
  const to = Math.min(MINUTES, from + DAY);
  const temperature = [];
  for (let m = from; m < to; m++) {
    temperature.push({
      type: 'Property',
      value: reading(sensor, m),
      observedAt: new Date(START + m * 60_000).toISOString(),
    });
  }
  return { id: `urn:ngsi-ld:Sensor:bench-${sensor}`, type: 'Sensor', flow: temperature };
}

async function timeIt(
  label: string,
  path: string,
  repeat = REPEAT,
): Promise<{ label: string; p50: number; max: number; bytes: number; status: number }> {
  const times: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const r = await request('GET', path);
    times.push(performance.now() - t0);
    bytes = r.body.length;
    status = r.status;
  }
  times.sort((a, b) => a - b);
  return { label, p50: times[Math.floor(times.length / 2)], max: times[times.length - 1], bytes, status };
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-temporal-'));
  console.log(
    `# twinbox bench:temporal — ${SENSORS} sensors x ${MINUTES} minutes = ${(SENSORS * MINUTES).toLocaleString('en')} instances, ${CLIENTS} clients`,
  );
  console.log(machineLine());
  const child = spawnServe(PORT, dir, { bodyLimitBytes: 64 * 1024 * 1024 });
  try {
    await waitServing(PORT, child);
    const days = Math.ceil(MINUTES / DAY);
    const jobs: Array<[number, number]> = [];
    for (let d = 0; d < days; d++) for (let s = 0; s < SENSORS; s++) jobs.push([s, d]);
    let next = 0;
    let done = 0;
    const t0 = performance.now();
    let lastReport = t0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < jobs.length) {
          const [s, d] = jobs[next++];
          const r = await request('POST', '/ngsi-ld/v1/temporal/entities', dayFragment(s, d));
          if (r.status !== 201 && r.status !== 204)
            throw new Error(`ingest failed: ${r.status} ${r.body.slice(0, 200)}`);
          done++;
          const now = performance.now();
          if (now - lastReport > 5000) {
            lastReport = now;
            const instances = done * Math.min(DAY, MINUTES);
            process.stderr.write(
              `  ${((100 * done) / jobs.length).toFixed(0)}% ingested, ${Math.round(instances / ((now - t0) / 1000)).toLocaleString('en')} instances/s\n`,
            );
          }
        }
      }),
    );
    const ingestS = (performance.now() - t0) / 1000;
    const total = SENSORS * MINUTES;
    console.log(
      `\ningest: ${total.toLocaleString('en')} instances in ${ingestS.toFixed(1)} s = ${Math.round(total / ingestS).toLocaleString('en')} instances/s (target >= 50,000)`,
    );

    const weekEnd = new Date(START + MINUTES * 60_000).toISOString();
    const range = `timerel=between&timeAt=${new Date(START).toISOString()}&endTimeAt=${weekEnd}`;
    const results = [
      await timeIt(
        `one sensor's ${MINUTES} instances (temporalValues)`,
        `/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:bench-7?${range}&options=temporalValues`,
      ),
      await timeIt(
        `one sensor's ${MINUTES} instances (normalized)`,
        `/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:bench-7?${range}`,
      ),
      await timeIt(
        'hourly avg over the range, 100 sensors',
        `/ngsi-ld/v1/temporal/entities?type=Sensor&limit=100&${range}&options=aggregatedValues&aggrMethods=avg&aggrPeriodDuration=PT1H`,
      ),
      await timeIt(
        `lastN=1 for ${Math.min(SENSORS, 1000)} sensors`,
        `/ngsi-ld/v1/temporal/entities?type=Sensor&limit=${Math.min(SENSORS, 1000)}&lastN=1`,
      ),
    ];
    const targets = [50, 50, 500, 200];
    console.log(
      `\n${'query'.padEnd(44)}${'p50 ms'.padStart(9)}${'max ms'.padStart(9)}${'target'.padStart(9)}${'KiB'.padStart(9)}  status`,
    );
    results.forEach((r, i) => {
      console.log(
        `${r.label.padEnd(44)}${r.p50.toFixed(1).padStart(9)}${r.max.toFixed(1).padStart(9)}${`<${targets[i]}`.padStart(9)}${(r.bytes / 1024).toFixed(0).padStart(9)}  ${r.status}`,
      );
    });
    const bytes = dirBytes(dir);
    console.log(
      `\ndisk: ${(bytes / 1024 / 1024).toFixed(0)} MiB for ${total.toLocaleString('en')} instances = ${(bytes / total).toFixed(1)} bytes per instance (SQLite file + WAL, with indexes)`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
    client.close();
  }
}

await main();
