/**
 * ETSI NGSI-LD conformance, Subscription: create (028), update (029), retrieve (030), query
 * (031) and delete (032), from the suite's payloads (etsi-sub-data/). Responses are compared the
 * suite's way: deep diff ignoring order, the ids, @context, status, last*, timesSent/timesFailed
 * and endpoint.uri.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bodyArray, bodyObject, expectEmptyBody, expectNoDiff, expectProblem, expectStatus } from './etsi.ts';
import type { Broker, EtsiResponse } from './etsi-client.ts';
import {
  createSubscription,
  data,
  ERR,
  JSON_TYPE,
  LD,
  newId,
  type Obj,
  retrieveSubscription,
  SUITE_CONTEXT,
  subscriptionPayload,
  suiteBroker,
  text,
} from './etsi-sub-data/harness.ts';

const SUB = 'urn:ngsi-ld:Subscription:';
/** The members the suite leaves out of its subscription comparisons. */
const IGNORED = [
  /\['status'\]/,
  /\['last[A-Za-z]*'\]/,
  /\['timesSent'\]/,
  /\['timesFailed'\]/,
  /\['endpoint'\]\['uri'\]/,
  /^root(\[\d+\])?\['@context'\]/,
];

let broker: Broker;
before(async () => {
  broker = await suiteBroker();
});
after(() => broker.close());

function expectSubscription(
  expectation: string,
  ids: string | string[],
  actual: unknown,
  ignore: string[] = [],
): void {
  const expected = data(`subscriptions/expectations/${expectation}`) as unknown;
  const list = Array.isArray(ids) ? ids : [ids];
  const withIds = Array.isArray(expected)
    ? expected.map((e, i) => ({ ...(e as Obj), id: list[i] }))
    : { ...(expected as Obj), id: list[0] };
  const exclude = [...IGNORED, ...ignore.map((k) => new RegExp(`\\['${k}'\\]`))];
  expectNoDiff(withIds, actual, { exclude, groupById: Array.isArray(expected) });
}

async function created(file = 'subscription.jsonld'): Promise<string> {
  const id = newId(SUB);
  expectStatus(await createSubscription(broker, subscriptionPayload(file, id)), 201);
  return id;
}

function patch(id: string, fragment: string, context?: string): Promise<EtsiResponse> {
  const headers: Record<string, string> = { 'content-type': JSON_TYPE };
  if (context)
    headers.link = `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
  return broker.request({
    method: 'PATCH',
    path: `subscriptions/${id}`,
    headers,
    body: data(`subscriptions/fragments/${fragment}`) as never,
  });
}

// 028 Create Subscription ---------------------------------------------------------------------

test('028_01_01 Create Subscription', async () => {
  const id = newId(SUB);
  const res = await createSubscription(broker, subscriptionPayload('subscription.jsonld', id));
  expectStatus(res, 201);
  assert.ok(res.headers.location?.includes(encodeURIComponent(id)) || res.headers.location?.includes(id));
  const got = await retrieveSubscription(broker, id, { context: SUITE_CONTEXT, accept: LD });
  expectStatus(got, 200);
  expectSubscription('subscription-028-01.jsonld', id, bodyObject(got));
});

test('028_02_01 InvalidJson', async () => {
  const res = await broker.request({
    method: 'POST',
    path: 'subscriptions/',
    headers: { 'content-type': LD },
    raw: text('data/subscriptions/subscription-invalid-json.jsonld'),
  });
  expectProblem(res, 400, `${ERR}InvalidRequest`);
});

test('028_02_02 EmptyJson', async () => {
  const res = await broker.request({
    method: 'POST',
    path: 'subscriptions/',
    headers: { 'content-type': LD },
    raw: text('data/subscriptions/subscription-empty.jsonld'),
  });
  expectProblem(res, 400, `${ERR}BadRequestData`);
});

test('028_03_01 InvalidId', async () => {
  expectProblem(
    await createSubscription(broker, subscriptionPayload('subscription.jsonld', 'invalidId')),
    400,
    `${ERR}BadRequestData`,
  );
});

test('028_03_02 EmptyId', async () => {
  expectProblem(
    await createSubscription(broker, subscriptionPayload('subscription.jsonld', '')),
    400,
    `${ERR}BadRequestData`,
  );
});

test('028_04_01 Create A Subscription With An Id Known To The System', async () => {
  const id = await created();
  expectProblem(
    await createSubscription(broker, subscriptionPayload('subscription.jsonld', id)),
    409,
    `${ERR}AlreadyExists`,
  );
});

test('028_05_01 ThrottlingAndTimeIntervalConjunction', async () => {
  const payload = subscriptionPayload('subscription-invalid-throttling-timeInterval.jsonld', newId(SUB));
  expectProblem(await createSubscription(broker, payload, JSON_TYPE), 400, `${ERR}BadRequestData`);
});

test('028_05_02 NegativeThrottling', async () => {
  const payload = subscriptionPayload('subscription-invalid-negative-throttling.jsonld', newId(SUB));
  expectProblem(await createSubscription(broker, payload, JSON_TYPE), 400, `${ERR}BadRequestData`);
});

test('028_06 Create A Subscription With A datasetId', async () => {
  const id = newId(SUB);
  expectStatus(
    await createSubscription(broker, subscriptionPayload('subscription-building-with-datasetId.jsonld', id)),
    201,
  );
  const got = await retrieveSubscription(broker, id, { context: SUITE_CONTEXT, accept: LD });
  expectSubscription('subscription-with-datasetId.jsonld', id, bodyObject(got));
});

test('028_07_01 Subscription With Invalid jsonldContext', async () => {
  const payload = subscriptionPayload('subscription-building-with-invalid-jsonldContext.jsonld', newId(SUB));
  expectProblem(await createSubscription(broker, payload), 400, `${ERR}BadRequestData`);
});

test('028_07_02 Subscription With Unavailable jsonldContext', async () => {
  const payload = subscriptionPayload(
    'subscription-building-with-unavailable-jsonldContext.jsonld',
    newId(SUB),
  );
  expectProblem(await createSubscription(broker, payload), 503, `${ERR}LdContextNotAvailable`);
});

for (const [name, file] of [
  [
    '028_08_01 Subscription With Same Entity Member In Pick And Omit',
    'subscription-invalid-same-member-pick-omit.json',
  ],
  ['028_08_02 Subscription With Pick And Attrs', 'subscription-invalid-pick-and-attributes.json'],
  ['028_08_03 Subscription With Omit And Attrs', 'subscription-invalid-omit-and-attributes.json'],
] as const) {
  test(name, async () => {
    expectProblem(
      await createSubscription(broker, subscriptionPayload(file, newId(SUB)), JSON_TYPE),
      400,
      `${ERR}BadRequestData`,
    );
  });
}

// 029 Update Subscription ---------------------------------------------------------------------

test('029_01_01 NotPresentId', async () => {
  const res = await broker.request({
    method: 'PATCH',
    path: 'subscriptions/',
    headers: { 'content-type': JSON_TYPE },
    body: data('subscriptions/fragments/subscription-update.json') as never,
  });
  expectStatus(res, 405);
});

test('029_01_02 InvalidId', async () => {
  expectProblem(await patch('invalidId', 'subscription-update.json'), 400, `${ERR}BadRequestData`);
});

test('029_02_01 Update Unknown Subscription', async () => {
  expectProblem(await patch(newId(SUB), 'subscription-update.json'), 404, `${ERR}ResourceNotFound`);
});

test('029_03_01 Update Subscription With Invalid Fragment', async () => {
  expectProblem(
    await patch(await created(), 'subscription-invalid-update.json'),
    400,
    `${ERR}BadRequestData`,
  );
});

test('029_04_01 Update Subscription With Null Mandatory Properties', async () => {
  expectProblem(
    await patch(await created(), 'subscription-null-properties-update.json'),
    400,
    `${ERR}BadRequestData`,
  );
});

test('029_05_01 Update Subscription With Term To Uri Expansion With Context', async () => {
  const id = await created();
  const res = await patch(id, 'subscription-vehicle-entities.json', SUITE_CONTEXT);
  expectStatus(res, 204);
  expectEmptyBody(res);
  const got = await retrieveSubscription(broker, id, { context: SUITE_CONTEXT });
  expectSubscription('subscription-vehicle.jsonld', id, bodyObject(got), [
    'jsonldContext',
    'notificationTrigger',
  ]);
});

test('029_05_02 Update Subscription With Term To Uri Expansion Without Context', async () => {
  const id = await created();
  expectStatus(await patch(id, 'subscription-vehicle-entities.json', SUITE_CONTEXT), 204);
  const got = await retrieveSubscription(broker, id);
  expectSubscription('subscription-vehicle-expanded-types.jsonld', id, bodyObject(got), [
    'jsonldContext',
    'notificationTrigger',
  ]);
});

test('029_06_01 Update Subscription', async () => {
  const id = await created();
  expectStatus(await patch(id, 'subscription-update.json'), 204);
  const got = bodyObject(await retrieveSubscription(broker, id, { context: SUITE_CONTEXT }));
  assert.equal(((got.notification as Obj).endpoint as Obj).uri, 'http://my.second.endpoint.org/notify');
});

async function status(id: string): Promise<unknown> {
  return bodyObject(await retrieveSubscription(broker, id, { context: SUITE_CONTEXT })).status;
}

test('029_07_01 ActiveTrue', async () => {
  const id = await created('subscription-inactive.jsonld');
  assert.equal(await status(id), 'paused');
  expectStatus(await patch(id, 'subscription-isActive-true-update.json'), 204);
  assert.equal(await status(id), 'active');
});

test('029_08_01 ActiveTrueExpiresAt', async () => {
  const id = await created('subscription-inactive.jsonld');
  expectStatus(await patch(id, 'subscription-isActive-expiresAt-update.json'), 204);
  assert.equal(await status(id), 'active');
});

test('029_09_01 Update Subscription Status To Paused', async () => {
  const id = await created();
  expectStatus(await patch(id, 'subscription-isActive-false-update.json'), 204);
  assert.equal(await status(id), 'paused');
});

test('029_10_01 Activate Expired Subscription', async () => {
  const id = newId(SUB);
  const payload = subscriptionPayload('subscription.jsonld', id);
  // an already expired subscription cannot be created; one that expires in a second can
  payload.expiresAt = new Date(Date.now() + 1000).toISOString();
  expectStatus(await createSubscription(broker, payload), 201);
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(await status(id), 'expired');
  expectStatus(await patch(id, 'subscription-expiresAt-future-update.json'), 204);
  assert.equal(await status(id), 'active');
});

test('029_11_01 Update Subscription With ExpiresAt In The Past', async () => {
  expectProblem(
    await patch(await created(), 'subscription-expiresAt-update.json'),
    400,
    `${ERR}BadRequestData`,
  );
});

// 030 Retrieve Subscription -------------------------------------------------------------------

test('030_01_01 InvalidId', async () => {
  expectProblem(await retrieveSubscription(broker, 'invalidId'), 400, `${ERR}BadRequestData`);
});

test('030_02_01 Retrieve Unknown Subscription', async () => {
  expectProblem(await retrieveSubscription(broker, newId(SUB)), 404, `${ERR}ResourceNotFound`);
});

test('030_03_01 Retrieve Subscription', async () => {
  const id = await created();
  const got = await retrieveSubscription(broker, id, { context: SUITE_CONTEXT });
  expectStatus(got, 200);
  expectSubscription('subscriptions-030-03.json', id, bodyObject(got));
});

// 031 Query Subscriptions ---------------------------------------------------------------------

/** 031 needs a tenant of its own: the suite expects exactly its three subscriptions. */
async function threeSubscriptions(): Promise<{ ids: string[]; tenant: string }> {
  const tenant = `t${newId('').slice(0, 8)}`;
  const ids: string[] = [];
  for (const file of [
    'subscription.jsonld',
    'subscription-watchedAttributes.jsonld',
    'subscription-inactive.jsonld',
  ]) {
    const id = newId(SUB);
    const res = await broker.request({
      method: 'POST',
      path: 'subscriptions/',
      headers: { 'content-type': LD, 'ngsild-tenant': tenant },
      body: subscriptionPayload(file, id) as never,
    });
    expectStatus(res, 201);
    ids.push(id);
  }
  return { ids, tenant };
}

function query(tenant: string, q: Record<string, string> = {}): Promise<EtsiResponse> {
  const link = `<${SUITE_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
  return broker.request({
    method: 'GET',
    path: 'subscriptions/',
    query: q,
    headers: { link, 'ngsild-tenant': tenant },
  });
}

test('031_01_01 Query Subscriptions', async () => {
  const { ids, tenant } = await threeSubscriptions();
  const res = await query(tenant);
  expectStatus(res, 200);
  expectSubscription('subscriptions-031-01.json', ids, bodyArray(res));
});

test('031_02_01 Query Second Subscription', async () => {
  const { ids, tenant } = await threeSubscriptions();
  const res = await query(tenant, { limit: '1', offset: '1' });
  assert.deepEqual(
    bodyArray(res).map((s) => (s as Obj).id),
    [ids[1]],
  );
});

test('031_02_02 Query Last Subscription', async () => {
  const { ids, tenant } = await threeSubscriptions();
  const res = await query(tenant, { limit: '1', offset: '2' });
  assert.deepEqual(
    bodyArray(res).map((s) => (s as Obj).id),
    [ids[2]],
  );
});

test('031_02_03 Query All Subscriptions', async () => {
  const { ids, tenant } = await threeSubscriptions();
  const res = await query(tenant, { limit: '3', offset: '0' });
  assert.deepEqual(
    bodyArray(res).map((s) => (s as Obj).id),
    ids,
  );
});

// 032 Delete Subscription ---------------------------------------------------------------------

test('032_01_01 NotPresentId', async () => {
  expectStatus(await broker.request({ method: 'DELETE', path: 'subscriptions/' }), 405);
});

test('032_01_02 InvalidId', async () => {
  expectProblem(
    await broker.request({ method: 'DELETE', path: 'subscriptions/invalidId' }),
    400,
    `${ERR}BadRequestData`,
  );
});

test('032_02_01 Delete Unknown Subscription', async () => {
  expectProblem(
    await broker.request({ method: 'DELETE', path: `subscriptions/${newId(SUB)}` }),
    404,
    `${ERR}ResourceNotFound`,
  );
});

test('032_03_01 Delete Subscription', async () => {
  const id = await created();
  const res = await broker.request({ method: 'DELETE', path: `subscriptions/${id}` });
  expectStatus(res, 204);
  expectEmptyBody(res);
  expectProblem(await retrieveSubscription(broker, id), 404, `${ERR}ResourceNotFound`);
});
