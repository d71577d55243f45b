import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createBroker } from '../../../src/broker/index.ts';
import { createContextResolver } from '../../../src/http/index.ts';
import { openStore } from '../../../src/store/index.ts';
import type { MappedDataset, MappingInput } from '../../../src/twin/cities/index.ts';
import { type Connector, runConnector, scheduleConnector } from '../../../src/twin/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'twinbox-ingest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A feed of NO2 readings: one entity per station, the newest reading as its value. */
function no2Mapping(input: MappingInput): MappedDataset {
  const lines = String(input.files.readings).trim().split('\n').slice(1);
  const entities = lines.map((line) => {
    const [station, time, value] = line.split(',');
    return {
      id: `urn:ngsi-ld:AirQualityObserved:${input.city}:${station}`,
      type: 'AirQualityObserved',
      no2: { type: 'Property', value: Number(value), unitCode: 'GQ', observedAt: time },
    };
  });
  return { entities: entities as unknown as MappedDataset['entities'], history: [] };
}

function setup() {
  const store = openStore({
    engine: 'sqlite',
    path: join(dir, `s-${Math.random().toString(36).slice(2)}.sqlite`),
  });
  const broker = createBroker({ store });
  const contexts = createContextResolver({ store });
  return { store, broker, contexts };
}

const CSV =
  'station,time,no2\nS1,2024-05-01T10:00:00Z,31\nS2,2024-05-01T10:00:00Z,9999\nS3,not-a-time,12\nS4,2024-05-01T10:00:00Z,17\n';

test('a file connector upserts good rows, rejects bad ones with reasons, and records the run', async () => {
  writeFileSync(join(dir, 'no2.csv'), CSV);
  const { store, broker, contexts } = setup();
  const connector: Connector = {
    id: 'test/no2',
    city: 'testcity',
    timeZone: 'UTC',
    baseDir: dir,
    mapping: no2Mapping,
    sources: { readings: { location: 'no2.csv' } },
    quality: { ranges: { no2: [0, 1000] } },
  };
  const run = await runConnector(connector, {
    broker,
    contexts,
    tenant: '',
    now: () => new Date('2024-05-02T00:00:00Z'),
  });
  assert.equal(run.status, 'succeeded');
  assert.equal(run.read, 4);
  assert.equal(run.accepted, 2);
  assert.equal(run.rejected, 2);
  assert.match(run.rejects.find((r) => r.ref.endsWith(':S2'))!.reason, /outside the plausible range/);
  assert.match(run.rejects.find((r) => r.ref.endsWith(':S3'))!.reason, /not a date-time/);
  assert.equal(await store.getEntity('', 'urn:ngsi-ld:AirQualityObserved:testcity:S2'), undefined);
  assert.ok(await store.getEntity('', 'urn:ngsi-ld:AirQualityObserved:testcity:S4'));
  const runs = await store.ingestion.listRuns({ limit: 10, offset: 0 });
  assert.equal(runs[0].id, run.id);
  await store.close();
});

test('an HTTP source is pulled on a schedule and a failing source is recorded, not thrown', async () => {
  let served = 0;
  const server = http.createServer((req, res) => {
    served++;
    if (req.url === '/broken') {
      res.writeHead(500).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV.replace('31', String(30 + served)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { store, broker, contexts } = setup();
  const connector: Connector = {
    id: 'test/live',
    city: 'live',
    timeZone: 'UTC',
    mapping: no2Mapping,
    sources: { readings: { location: `${base}/no2.csv`, format: 'csv' } },
    everySeconds: 0.05,
  };
  const runs: string[] = [];
  const schedule = scheduleConnector(connector, { broker, contexts, tenant: '' }, (r) => runs.push(r.status));
  while (runs.length < 2) await new Promise((r) => setTimeout(r, 20));
  schedule.stop();
  assert.deepEqual(runs.slice(0, 2), ['succeeded', 'succeeded']);
  const s1 = await store.getEntity('', 'urn:ngsi-ld:AirQualityObserved:live:S1');
  assert.ok((s1?.attrs['https://uri.etsi.org/ngsi-ld/default-context/no2'][0].value as number) > 30);

  const broken = await runConnector(
    { ...connector, id: 'test/broken', sources: { readings: { location: `${base}/broken`, format: 'csv' } } },
    { broker, contexts, tenant: '' },
  );
  assert.equal(broken.status, 'failed');
  assert.match(broken.error ?? '', /HTTP 500/);
  assert.equal((await store.ingestion.getRun(broken.id))?.status, 'failed');
  server.close();
  await store.close();
});
