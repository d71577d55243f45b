import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_VOCAB, type Entity, TermMap } from '../../src/ngsi/index.ts';
import {
  changedAttributes,
  firedTriggers,
  matches,
  notificationEntity,
} from '../../src/ngsi/notification.ts';
import {
  compactSubscription,
  parseSubscription,
  type Subscription,
  subscriptionStatus,
  updateSubscription,
} from '../../src/ngsi/subscription.ts';

const NOW = '2024-05-01T12:00:00.000Z';
const EX = DEFAULT_VOCAB;
const terms = TermMap.core();

function sub(extra: Record<string, unknown> = {}): Subscription {
  const r = parseSubscription(
    {
      type: 'Subscription',
      entities: [{ type: 'Sensor' }],
      notification: { endpoint: { uri: 'http://r.example/n' } },
      ...extra,
    },
    terms,
    { now: NOW, id: 'urn:ngsi-ld:Subscription:1' },
  );
  assert.ok(r.ok, r.ok ? '' : r.problem.detail);
  return r.value;
}

function sensor(attrs: Record<string, unknown>, type = 'Sensor'): Entity {
  const out: Entity = { id: 'urn:ngsi-ld:Sensor:1', type: [`${EX}${type}`], attrs: {} };
  for (const [k, v] of Object.entries(attrs)) out.attrs[`${EX}${k}`] = [{ type: 'Property', value: v }];
  return out;
}

test('parseSubscription expands names and applies the defaults of clause 5.2.12', () => {
  const s = sub({ watchedAttributes: ['temperature'], q: 'temperature>20' });
  assert.deepEqual(s.entities, [{ type: { kind: 'type', name: `${EX}Sensor` } }]);
  assert.deepEqual(s.watchedAttributes, [`${EX}temperature`]);
  assert.deepEqual(s.notificationTrigger, ['attributeCreated', 'attributeUpdated']);
  assert.equal(s.notification.format, 'normalized');
  assert.equal(s.notification.endpoint.accept, 'application/json');
});

test('parseSubscription refuses what clause 5.2.12 forbids, naming the member', () => {
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ throttling: 0 }, /throttling/],
    [{ timeInterval: 10, watchedAttributes: ['a'] }, /timeInterval and watchedAttributes/],
    [{ expiresAt: '2024-05-01T11:00:00Z' }, /not in the future/],
    [{ entities: [{ id: 'urn:x:1' }] }, /entities\[0\].type/],
    [{ notification: { endpoint: { uri: 'ftp://x/y' } } }, /scheme/],
    [{ notification: { endpoint: { uri: 'http://x/y' }, format: 'fancy' } }, /format/],
    [{ notification: { endpoint: { uri: 'http://x/y' }, pick: ['id'], attributes: ['id'] } }, /pick or omit/],
    [{ jsonldContext: 'unknownContext' }, /jsonldContext/],
    [{ colour: 'red' }, /colour/],
  ];
  for (const [extra, detail] of bad) {
    const r = parseSubscription(
      {
        type: 'Subscription',
        entities: [{ type: 'Sensor' }],
        notification: { endpoint: { uri: 'http://r.example/n' } },
        ...extra,
      },
      terms,
      { now: NOW, id: 'urn:ngsi-ld:Subscription:1' },
    );
    assert.equal(r.ok, false, JSON.stringify(extra));
    if (!r.ok) assert.match(r.problem.detail, detail);
  }
});

test('changedAttributes tells created, updated and deleted attributes and instances apart', () => {
  const before = sensor({ a: 1, b: 2, c: 3 });
  const after = sensor({ a: 1, b: 5, d: 4 });
  after.attrs[`${EX}a`] = [...after.attrs[`${EX}a`], { type: 'Property', value: 9, datasetId: 'urn:ds:1' }];
  const c = changedAttributes({ id: before.id, before, after });
  assert.deepEqual([...c.created].sort(), [`${EX}a`, `${EX}d`]);
  assert.deepEqual([...c.updated], [`${EX}b`]);
  assert.deepEqual([...c.deleted], [`${EX}c`]);
});

test('firedTriggers: watched attributes, trigger kinds, type selection, q', () => {
  const s = sub({ watchedAttributes: ['temperature'], q: 'temperature>20' });
  const before = sensor({ temperature: 18, name: 'x' });
  assert.deepEqual(
    firedTriggers(s, { id: before.id, before, after: sensor({ temperature: 25, name: 'x' }) }),
    ['attributeUpdated'],
  );
  assert.equal(
    matches(s, { id: before.id, before, after: sensor({ temperature: 19, name: 'x' }) }),
    false,
    'q fails on the new state',
  );
  assert.equal(
    matches(s, {
      id: before.id,
      before: sensor({ temperature: 25, name: 'x' }),
      after: sensor({ temperature: 25, name: 'y' }),
    }),
    false,
    'unwatched',
  );
  assert.equal(
    matches(s, { id: before.id, after: sensor({ temperature: 30 }, 'Car') }),
    false,
    'type not selected',
  );
  assert.deepEqual(firedTriggers(s, { id: before.id, after: sensor({ temperature: 30 }) }), [
    'attributeCreated',
  ]);

  const all = sub({
    notificationTrigger: ['entityCreated', 'entityUpdated', 'entityDeleted', 'attributeDeleted'],
  });
  const e = sensor({ temperature: 1 });
  assert.deepEqual(firedTriggers(all, { id: e.id, after: e }), ['entityCreated']);
  assert.deepEqual(firedTriggers(all, { id: e.id, before: e }), ['entityDeleted', 'attributeDeleted']);
  assert.deepEqual(firedTriggers(all, { id: e.id, before: e, after: sensor({}) }), [
    'entityUpdated',
    'attributeDeleted',
  ]);
});

test('notificationEntity shows deleted attributes as urn:ngsi-ld:null and deleted entities with deletedAt', () => {
  const s = sub({ notificationTrigger: ['attributeDeleted'], watchedAttributes: ['name'] });
  const before = sensor({ name: 'x', temperature: 3 });
  const after = sensor({ temperature: 3 });
  const change = { id: before.id, before, after };
  const data = notificationEntity(s, change, firedTriggers(s, change), terms, NOW);
  assert.deepEqual(data, {
    id: before.id,
    type: 'Sensor',
    temperature: { type: 'Property', value: 3 },
    name: { type: 'Property', value: 'urn:ngsi-ld:null' },
  });
  const gone = { id: before.id, before };
  assert.deepEqual(notificationEntity(s, gone, firedTriggers(s, gone), terms, NOW), {
    id: before.id,
    type: 'Sensor',
    name: { type: 'Property', value: 'urn:ngsi-ld:null' },
    deletedAt: NOW,
  });
});

test('status and updates follow clause 5.8.2: expiry wins, null removes, mandatory members stay', () => {
  const s = sub({ expiresAt: '2024-06-01T00:00:00Z' });
  assert.equal(subscriptionStatus(s, NOW), 'active');
  assert.equal(subscriptionStatus(s, '2024-07-01T00:00:00Z'), 'expired');
  const paused = updateSubscription(s, { isActive: false }, terms, NOW, undefined);
  assert.ok(paused.ok);
  assert.equal(subscriptionStatus(paused.value, NOW), 'paused');
  const noEndpoint = updateSubscription(s, { notification: { format: 'keyValues' } }, terms, NOW, undefined);
  assert.equal(noEndpoint.ok, false);
  const nullNotification = updateSubscription(s, { notification: null }, terms, NOW, undefined);
  assert.equal(nullNotification.ok, false);
  const past = updateSubscription(s, { expiresAt: '2020-01-01T00:00:00Z' }, terms, NOW, undefined);
  assert.equal(past.ok, false);
  const out = compactSubscription(
    paused.value,
    terms,
    { timesSent: 2, timesFailed: 1, notificationStatus: 'failed' },
    NOW,
  );
  assert.deepEqual(out.entities, [{ type: 'Sensor' }]);
  assert.equal(out.status, 'paused');
  assert.deepEqual(out.notification, {
    format: 'normalized',
    endpoint: { uri: 'http://r.example/n', accept: 'application/json' },
    status: 'failed',
    timesSent: 2,
    timesFailed: 1,
  });
});
