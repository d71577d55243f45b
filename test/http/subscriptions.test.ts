/**
 * /ngsi-ld/v1/subscriptions over the real app (in-memory SQLite) with a real HTTP receiver:
 * CRUD status codes and bodies, and notifications arriving for entity writes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Receiver, startReceiver } from '../broker/subscriptions/receiver.ts';
import { buildTestApp } from '../helpers/app.ts';

const API = '/ngsi-ld/v1';
const CTX = { vocab: 'https://example.org/' };
const LD = 'application/ld+json';

let receiver: Receiver;
before(async () => {
  receiver = await startReceiver();
});
after(() => receiver.close());

async function app(): Promise<FastifyInstance> {
  const a = await buildTestApp();
  await a.ready();
  return a;
}

function subscription(extra: Record<string, unknown> = {}) {
  return {
    type: 'Subscription',
    entities: [{ type: 'Sensor' }],
    notification: { endpoint: { uri: receiver.url, accept: 'application/json' }, format: 'keyValues' },
    ...extra,
  };
}

test('create answers 201 with Location; retrieve, list with count, update and delete follow clause 5.8', async (t) => {
  const a = await app();
  t.after(() => a.close());
  const created = await a.inject({
    method: 'POST',
    url: `${API}/subscriptions`,
    payload: subscription({ id: 'urn:ngsi-ld:Subscription:s1', watchedAttributes: ['temperature'] }),
  });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(
    created.headers.location,
    `${API}/subscriptions/${encodeURIComponent('urn:ngsi-ld:Subscription:s1')}`,
  );

  const dup = await a.inject({
    method: 'POST',
    url: `${API}/subscriptions`,
    payload: subscription({ id: 'urn:ngsi-ld:Subscription:s1' }),
  });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().type, 'https://uri.etsi.org/ngsi-ld/errors/AlreadyExists');

  const generated = await a.inject({ method: 'POST', url: `${API}/subscriptions/`, payload: subscription() });
  assert.equal(generated.statusCode, 201);
  assert.match(String(generated.headers.location), /urn%3Angsi-ld%3ASubscription%3A/);

  const got = await a.inject({ method: 'GET', url: `${API}/subscriptions/urn:ngsi-ld:Subscription:s1` });
  assert.equal(got.statusCode, 200);
  const body = got.json();
  assert.deepEqual(body.entities, [{ type: 'Sensor' }]);
  assert.deepEqual(body.watchedAttributes, ['temperature']);
  assert.equal(body.status, 'active');
  assert.deepEqual(body.notificationTrigger, ['attributeCreated', 'attributeUpdated']);
  assert.equal(body.notification.timesSent, 0);
  assert.match(String(got.headers.link), /ngsi-ld-core-context/);

  const list = await a.inject({ method: 'GET', url: `${API}/subscriptions?limit=1&offset=1&count=true` });
  assert.equal(list.statusCode, 200);
  assert.equal(list.headers['ngsild-results-count'], '2');
  assert.equal(list.json().length, 1);
  assert.notEqual(list.json()[0].id, 'urn:ngsi-ld:Subscription:s1');

  const patched = await a.inject({
    method: 'PATCH',
    url: `${API}/subscriptions/urn:ngsi-ld:Subscription:s1`,
    payload: { isActive: false },
  });
  assert.equal(patched.statusCode, 204, patched.body);
  const paused = (
    await a.inject({ method: 'GET', url: `${API}/subscriptions/urn:ngsi-ld:Subscription:s1` })
  ).json();
  assert.equal(paused.status, 'paused');
  assert.deepEqual(paused.watchedAttributes, ['temperature']);

  assert.equal(
    (await a.inject({ method: 'DELETE', url: `${API}/subscriptions/urn:ngsi-ld:Subscription:s1` }))
      .statusCode,
    204,
  );
  assert.equal(
    (await a.inject({ method: 'GET', url: `${API}/subscriptions/urn:ngsi-ld:Subscription:s1` })).statusCode,
    404,
  );
  assert.equal(
    (await a.inject({ method: 'DELETE', url: `${API}/subscriptions/urn:ngsi-ld:Subscription:s1` }))
      .statusCode,
    404,
  );
  assert.equal(
    (
      await a.inject({
        method: 'PATCH',
        url: `${API}/subscriptions/urn:ngsi-ld:Subscription:s1`,
        payload: { isActive: true },
      })
    ).statusCode,
    404,
  );
});

test('bad subscriptions are 400 BadRequestData with a detail naming the member', async (t) => {
  const a = await app();
  t.after(() => a.close());
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [subscription({ throttling: -1 }), /throttling/],
    [subscription({ timeInterval: 5, throttling: 5 }), /timeInterval and throttling/],
    [subscription({ notificationTrigger: ['entityExploded'] }), /notificationTrigger/],
    [subscription({ q: 'temperature>>' }), /q/],
    [subscription({ expiresAt: '2000-01-01T00:00:00Z' }), /expiresAt/],
    [{ ...subscription(), notification: { endpoint: { uri: 'not a uri' } } }, /endpoint.uri/],
    [
      { type: 'Subscription', notification: { endpoint: { uri: receiver.url } } },
      /entities or watchedAttributes/,
    ],
    [subscription({ type: 'Entity' }), /type/],
  ];
  for (const [payload, detail] of cases) {
    const res = await a.inject({ method: 'POST', url: `${API}/subscriptions`, payload });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.equal(res.json().type, 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
    assert.match(res.json().detail, detail);
  }
  const notUri = await a.inject({ method: 'GET', url: `${API}/subscriptions/not%20a%20uri` });
  assert.equal(notUri.statusCode, 400);
  const unknownParam = await a.inject({ method: 'GET', url: `${API}/subscriptions?colour=red` });
  assert.equal(unknownParam.statusCode, 400);
});

test('an entity update reaches the receiver as a clause 5.3 Notification in the subscription format', async (t) => {
  const a = await app();
  t.after(() => a.close());
  const start = receiver.received.length;
  const sub = subscription({
    id: 'urn:ngsi-ld:Subscription:n1',
    '@context': CTX,
    watchedAttributes: ['temperature'],
    notification: {
      endpoint: {
        uri: receiver.url,
        accept: 'application/json',
        receiverInfo: [{ key: 'X-Token', value: 'abc' }],
      },
      format: 'keyValues',
      attributes: ['temperature'],
    },
  });
  assert.equal(
    (
      await a.inject({
        method: 'POST',
        url: `${API}/subscriptions`,
        headers: { 'content-type': LD },
        payload: sub,
      })
    ).statusCode,
    201,
  );
  const entity = {
    '@context': CTX,
    id: 'urn:ngsi-ld:Sensor:1',
    type: 'Sensor',
    temperature: { type: 'Property', value: 20 },
    name: { type: 'Property', value: 'A' },
  };
  assert.equal(
    (
      await a.inject({
        method: 'POST',
        url: `${API}/entities`,
        headers: { 'content-type': LD },
        payload: entity,
      })
    ).statusCode,
    201,
  );
  const patch = { '@context': CTX, temperature: { type: 'Property', value: 21 } };
  assert.equal(
    (
      await a.inject({
        method: 'PATCH',
        url: `${API}/entities/urn:ngsi-ld:Sensor:1/attrs`,
        headers: { 'content-type': LD },
        payload: patch,
      })
    ).statusCode,
    204,
  );
  // a change to an attribute nobody watches is not notified
  const other = { '@context': CTX, name: { type: 'Property', value: 'B' } };
  assert.equal(
    (
      await a.inject({
        method: 'PATCH',
        url: `${API}/entities/urn:ngsi-ld:Sensor:1/attrs`,
        headers: { 'content-type': LD },
        payload: other,
      })
    ).statusCode,
    204,
  );
  const got = await receiver.waitFor(start + 2);
  const [created, updated] = got.slice(start);
  assert.equal(created.body.type, 'Notification');
  assert.equal(created.body.subscriptionId, 'urn:ngsi-ld:Subscription:n1');
  assert.match(String(created.body.id), /^urn:ngsi-ld:Notification:/);
  assert.deepEqual(created.body.data, [{ id: 'urn:ngsi-ld:Sensor:1', type: 'Sensor', temperature: 20 }]);
  assert.deepEqual(updated.body.data, [{ id: 'urn:ngsi-ld:Sensor:1', type: 'Sensor', temperature: 21 }]);
  assert.equal(updated.headers['x-token'], 'abc');
  assert.equal(updated.headers['content-type'], 'application/json');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(receiver.received.length, start + 2);
  const state = (
    await a.inject({ method: 'GET', url: `${API}/subscriptions/urn:ngsi-ld:Subscription:n1` })
  ).json();
  assert.equal(state.notification.timesSent, 2);
  assert.equal(state.notification.status, 'ok');
  assert.ok(state.notification.lastSuccess);
});
