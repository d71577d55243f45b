import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTemporalBroker, type TemporalQuery } from '../../src/broker/index.ts';
import type { Attribute } from '../../src/ngsi/index.ts';
import { openStore } from '../../src/store/index.ts';

const SPEED = 'https://example.org/speed';
const FUEL = 'https://example.org/fuelLevel';
const VEHICLE = 'https://example.org/Vehicle';

function reading(value: number, minute: number): Attribute {
  return { type: 'Property', value, observedAt: new Date(Date.UTC(2020, 0, 1, 1, minute)).toISOString() };
}

function setup(maxInstancesPerAttribute?: number) {
  const store = openStore({ engine: 'sqlite', path: ':memory:' });
  const temporal = createTemporalBroker(store, {
    now: () => new Date('2024-01-01T00:00:00Z'),
    maxInstancesPerAttribute,
  });
  return { store, temporal };
}

const query = (extra: Partial<TemporalQuery> = {}): TemporalQuery => ({
  type: { kind: 'type', name: VEHICLE },
  timeproperty: 'observedAt',
  limit: 20,
  offset: 0,
  ...extra,
});

async function twentyReadings(temporal: ReturnType<typeof setup>['temporal'], id: string) {
  const instances = [];
  for (let m = 1; m <= 20; m++)
    instances.push({ attr: SPEED, attribute: reading(m, m) }, { attr: FUEL, attribute: reading(m, m + 2) });
  await temporal.upsertTemporalEntity('', { id, type: [VEHICLE], instances });
}

test('an instance observed at the time of a stored one replaces it (clause 5.6.11)', async () => {
  const { store, temporal } = setup();
  const id = 'urn:ngsi-ld:Vehicle:1';
  assert.equal(
    await temporal.upsertTemporalEntity('', {
      id,
      type: [VEHICLE],
      instances: [{ attr: SPEED, attribute: reading(120, 3) }],
    }),
    true,
  );
  assert.equal(
    await temporal.upsertTemporalEntity('', {
      id,
      type: [VEHICLE],
      instances: [
        { attr: SPEED, attribute: reading(121, 3) },
        { attr: SPEED, attribute: reading(80, 5) },
      ],
    }),
    false,
  );
  const got = await temporal.retrieve('', id, query());
  assert.ok(got.ok);
  assert.deepEqual(
    got.value.result.instances.map((i) => i.attribute.value),
    [121, 80],
  );
  store.close();
});

test('a long history is cut to one common range per page, forward without lastN (clause 6.3.10)', async () => {
  const { store, temporal } = setup(10);
  await twentyReadings(temporal, 'urn:ngsi-ld:Vehicle:1');
  const got = await temporal.retrieve('', 'urn:ngsi-ld:Vehicle:1', query());
  assert.ok(got.ok);
  const { result, range } = got.value;
  assert.deepEqual(range, {
    startMs: Date.UTC(2020, 0, 1, 1, 1),
    endMs: Date.UTC(2020, 0, 1, 1, 10),
    size: '*',
  });
  assert.equal(result.instances.filter((i) => i.attr === SPEED).length, 10);
  // fuelLevel starts two minutes later: only what lies inside the common range stays
  assert.equal(result.instances.filter((i) => i.attr === FUEL).length, 8);
  store.close();
});

test('under lastN the page runs backward from endTimeAt and its size is lastN', async () => {
  const { store, temporal } = setup(10);
  await twentyReadings(temporal, 'urn:ngsi-ld:Vehicle:1');
  const end = Date.parse('2021-01-01T00:00:00Z');
  const got = await temporal.retrieve(
    '',
    'urn:ngsi-ld:Vehicle:1',
    query({ lastN: 20, timerel: 'between', timeAt: 0, endTimeAt: end }),
  );
  assert.ok(got.ok);
  assert.deepEqual(got.value.range, { startMs: end, endMs: Date.UTC(2020, 0, 1, 1, 13), size: 20 });
  assert.equal(got.value.result.instances.filter((i) => i.attr === FUEL).length, 10);
  store.close();
});

test('lastN within a page is not paginated', async () => {
  const { store, temporal } = setup(10);
  await twentyReadings(temporal, 'urn:ngsi-ld:Vehicle:1');
  const got = await temporal.retrieve('', 'urn:ngsi-ld:Vehicle:1', query({ lastN: 3 }));
  assert.ok(got.ok);
  assert.equal(got.value.range, undefined);
  assert.deepEqual(
    got.value.result.instances.filter((i) => i.attr === SPEED).map((i) => i.attribute.value),
    [18, 19, 20],
  );
  store.close();
});

test('a query leaves out entities with no instance in the time range (clause 5.7.4)', async () => {
  const { store, temporal } = setup();
  await twentyReadings(temporal, 'urn:ngsi-ld:Vehicle:1');
  await temporal.upsertTemporalEntity('', {
    id: 'urn:ngsi-ld:Vehicle:2',
    type: [VEHICLE],
    instances: [
      { attr: SPEED, attribute: { type: 'Property', value: 1, observedAt: '2020-09-01T00:00:00Z' } },
    ],
  });
  const { results } = await temporal.query(
    '',
    query({ timerel: 'after', timeAt: Date.parse('2020-06-01T00:00:00Z') }),
  );
  assert.deepEqual(
    results.map((r) => r.header.id),
    ['urn:ngsi-ld:Vehicle:2'],
  );
  store.close();
});

test('hourly averages start at timeAt', async () => {
  const { store, temporal } = setup();
  await twentyReadings(temporal, 'urn:ngsi-ld:Vehicle:1');
  const timeAt = Date.UTC(2020, 0, 1, 0, 30);
  const { results } = await temporal.query(
    '',
    query({
      attrs: [SPEED],
      timerel: 'after',
      timeAt,
      aggregate: { methods: ['avg', 'max'], periodMs: 3_600_000 },
    }),
  );
  const buckets = results[0].aggregates;
  assert.equal(buckets.length, 1);
  assert.equal(buckets[0].startMs, timeAt);
  assert.deepEqual(buckets[0].values, { avg: 10.5, max: 20 });
  store.close();
});
