import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { exportTenant, writeLines } from '../../src/cli/export.ts';
import { importTenant } from '../../src/cli/import.ts';
import { type Entity, TermMap } from '../../src/ngsi/index.ts';
import type { Store } from '../../src/store/index.ts';
import { openStore } from '../../src/store/index.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { createTestDatabase } from './postgres-fixture.ts';

const terms = TermMap.core();
const T = (n: string) => terms.expand(n);
const TENANT = 'leipzig';

function sensor(i: number, value: number, at: string): Entity {
  return {
    id: `urn:ngsi-ld:Sensor:${i}`,
    type: [T(i % 3 === 0 ? 'Meter' : 'Sensor')],
    createdAt: '2024-01-01T00:00:00.000Z',
    modifiedAt: at,
    attrs: {
      [T('temperature')]: [
        { type: 'Property', value, unitCode: 'CEL', observedAt: at, modifiedAt: at },
        {
          type: 'Property',
          value: value + 0.5,
          datasetId: 'urn:ngsi-ld:Dataset:b',
          observedAt: at,
          modifiedAt: at,
        },
      ],
      [T('name')]: [{ type: 'Property', value: `sensor ${i}`, modifiedAt: '2024-01-01T00:00:00.000Z' }],
      [T('refRoad')]: [
        { type: 'Relationship', object: `urn:ngsi-ld:Road:${i % 4}`, modifiedAt: '2024-01-01T00:00:00.000Z' },
      ],
      [T('location')]: [
        {
          type: 'GeoProperty',
          value: { type: 'Point', coordinates: [12.3 + i / 1000, 51.3] },
          modifiedAt: '2024-01-01T00:00:00.000Z',
        },
      ],
    },
  };
}

async function put(store: Store, entities: Entity[]): Promise<void> {
  await store.modifyEntities(
    TENANT,
    entities.map((e) => e.id),
    () => ({ writes: entities.map((e) => ({ id: e.id, entity: e })), result: undefined }),
  );
}

/** A small city: entities written three times (history), a temporal-only entity, a context, a subscription, a registration. */
async function fill(store: Store): Promise<void> {
  for (let hour = 0; hour < 3; hour++) {
    const at = `2024-01-01T0${hour}:00:00.000Z`;
    await put(
      store,
      Array.from({ length: 40 }, (_, i) => sensor(i, i + hour, at)),
    );
  }
  await store.history.upsertTemporalEntity(
    TENANT,
    'urn:ngsi-ld:Gauge:old',
    [T('Gauge')],
    '2023-06-01T00:00:00.000Z',
  );
  await store.history.addInstances(
    TENANT,
    'urn:ngsi-ld:Gauge:old',
    [{ attr: T('level'), attribute: { type: 'Property', value: 3, observedAt: '2023-06-01T00:00:00.000Z' } }],
    '2023-06-01T00:00:00.000Z',
  );
  await store.putContext({
    id: 'ctx1',
    url: 'http://localhost/ngsi-ld/v1/jsonldContexts/ctx1',
    kind: 'Hosted',
    body: { '@context': { road: 'https://example.org/road' } },
    createdAt: '2024-01-01T00:00:00.000Z',
    numberOfHits: 2,
  });
  const subscription = {
    id: 'urn:ngsi-ld:Subscription:1',
    type: 'Subscription',
    entities: [{ type: T('Sensor') }],
    notification: { endpoint: { uri: 'http://127.0.0.1:9/notify', accept: 'application/json' } },
  };
  await store.subscriptions.create(TENANT, subscription as never);
  const registration = {
    id: 'urn:ngsi-ld:ContextSourceRegistration:1',
    type: 'ContextSourceRegistration',
    endpoint: 'http://127.0.0.1:9',
    information: [{ entities: [{ type: T('Road') }] }],
  };
  await store.registrations.createRegistration(TENANT, registration as never);
}

/** An export with what must differ between stores taken out: the header's engine and time, instance ids. */
async function snapshot(store: Store): Promise<unknown[]> {
  const lines: unknown[] = [];
  for await (const l of exportTenant(store, TENANT)) {
    const o = JSON.parse(l) as Record<string, unknown>;
    if (o.kind === 'twinbox-export') {
      o.engine = undefined;
      o.exportedAt = undefined;
    }
    if (o.kind === 'instances')
      for (const i of o.instances as Array<Record<string, unknown>>) i.instanceId = undefined;
    lines.push(o);
  }
  return lines;
}

async function move(from: Store, to: Store): Promise<void> {
  const pipe = new PassThrough({ encoding: 'utf8' });
  const written = writeLines(exportTenant(from, TENANT), pipe).then(() => pipe.end());
  await importTenant(to, createInterface({ input: pipe }));
  await written;
}

const dir = mkdtempSync(join(tmpdir(), 'twinbox-transfer-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sqlite = (name: string) => openStore({ engine: 'sqlite', path: join(dir, `${name}.sqlite`) });

test('export then import into another SQLite store compares equal', async () => {
  const a = sqlite('a');
  await fill(a);
  const b = sqlite('b');
  await move(a, b);
  const expected = await snapshot(a);
  const end = expected.at(-1) as { counts: Record<string, number> };
  assert.deepEqual(end.counts, {
    contexts: 1,
    entities: 40,
    temporalEntities: 41,
    instances: 40 * 5 + 40 * 2 * 2 + 1,
    subscriptions: 1,
    registrations: 1,
    csourceSubscriptions: 0,
  });
  assert.deepEqual(await snapshot(b), expected);
  assert.deepEqual(
    await b.getEntity(TENANT, sensor(7, 0, '').id),
    await a.getEntity(TENANT, sensor(7, 0, '').id),
  );
  await a.close();
  await b.close();
});

test('a cut-off export is refused', async () => {
  const a = sqlite('c');
  await fill(a);
  const lines: string[] = [];
  for await (const l of exportTenant(a, TENANT)) lines.push(l);
  const b = sqlite('d');
  await assert.rejects(importTenant(b, lines.slice(0, -3)), /cut off/);
  await assert.rejects(importTenant(b, ['{"kind":"entity"}']), /not a twinbox export/);
  await a.close();
  await b.close();
});

const pgDb = await createTestDatabase('transfer');
if ('skip' in pgDb) {
  test('SQLite -> PostgreSQL -> SQLite round trip', { skip: pgDb.skip }, () => undefined);
} else {
  after(() => pgDb.drop());
  test('SQLite -> PostgreSQL -> SQLite round trip compares equal', async () => {
    const source = sqlite('source');
    await fill(source);
    const pg = await openPostgresStore(await pgDb.freshSchemaUrl());
    await move(source, pg);
    const back = sqlite('back');
    await move(pg, back);
    const expected = await snapshot(source);
    assert.deepEqual(await snapshot(pg), expected);
    assert.deepEqual(await snapshot(back), expected);
    // the moved store answers queries the same way
    const query = { type: { kind: 'type' as const, name: T('Sensor') }, limit: 100, offset: 0, count: true };
    assert.deepEqual(await pg.queryEntities(TENANT, query), await source.queryEntities(TENANT, query));
    await Promise.all([source.close(), pg.close(), back.close()]);
  });
}
