import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';

// a page of 5 instances per attribute; node:test runs this file in a process of its own
process.env.TWINBOX_TEMPORAL_PAGE_INSTANCES = '5';

const LD = 'application/ld+json';
const CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';

function sensor(id: string, readings: number) {
  const temperature = Array.from({ length: readings }, (_, i) => ({
    type: 'Property',
    value: 20 + i,
    observedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
  }));
  return { id, type: 'Sensor', temperature, '@context': CONTEXT };
}

test('a history longer than a page answers 206 with its Content-Range (clause 6.3.10)', async () => {
  const app = await buildTestApp();
  const created = await app.inject({
    method: 'POST',
    url: '/ngsi-ld/v1/temporal/entities',
    headers: { 'content-type': LD },
    payload: sensor('urn:ngsi-ld:Sensor:1', 8),
  });
  assert.equal(created.statusCode, 201);
  const page = await app.inject({
    method: 'GET',
    url: '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:1?options=temporalValues',
  });
  assert.equal(page.statusCode, 206);
  assert.equal(page.headers['content-range'], 'date-time 2024-01-01T00:00:00Z-2024-01-01T00:04:00Z/*');
  assert.equal(page.json().temperature.values.length, 5);
  const next = await app.inject({
    method: 'GET',
    url: '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:1?options=temporalValues&timerel=after&timeAt=2024-01-01T00:04:00Z',
  });
  assert.equal(next.statusCode, 200);
  assert.deepEqual(
    next.json().temperature.values.map((v: [number, string]) => v[0]),
    [25, 26, 27],
  );
  const last = await app.inject({
    method: 'GET',
    url: '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:1?lastN=7',
  });
  assert.equal(last.statusCode, 206);
  assert.equal(last.headers['content-range'], 'date-time 2024-01-01T00:07:00Z-2024-01-01T00:03:00Z/7');
  await app.close();
});

test('wrong requests get 400 and methods without a resource 405', async () => {
  const app = await buildTestApp();
  await app.inject({
    method: 'POST',
    url: '/ngsi-ld/v1/temporal/entities',
    headers: { 'content-type': LD },
    payload: sensor('urn:ngsi-ld:Sensor:2', 2),
  });
  const cases: Array<[string, string, number]> = [
    ['GET', '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:2?lastN=0', 400],
    [
      'GET',
      '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:2?timerel=between&timeAt=2024-01-01T00:00:00Z',
      400,
    ],
    [
      'GET',
      '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:2?options=aggregatedValues&aggrMethods=median',
      400,
    ],
    ['DELETE', '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:2/attrs/temperature/notAUri', 400],
    ['DELETE', '/ngsi-ld/v1/temporal/entities', 405],
    ['PATCH', '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:2/attrs/temperature', 405],
    ['GET', '/ngsi-ld/v1/temporal/entities/urn:ngsi-ld:Sensor:404', 404],
  ];
  for (const [method, url, status] of cases) {
    const body =
      method === 'PATCH'
        ? { headers: { 'content-type': 'application/json' }, payload: { type: 'Property', value: 1 } }
        : {};
    const res = await app.inject({ method: method as 'GET', url, ...body });
    assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  }
  await app.close();
});
