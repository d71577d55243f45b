/**
 * ETSI NGSI-LD conformance, ContextSource/RegistrationSubscription (038–042) and its notification
 * behaviour (047), re-expressed from the suite's data (etsi-csr-data) with its test-case ids.
 * Notifications go to a receiver listening on loopback.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Client,
  dataJson,
  dataText,
  expectProblem,
  JSON_CT,
  type JsonObject,
  link,
  newId,
  payload,
  type Receiver,
  type Res,
  SUITE_CONTEXT,
  startReceiver,
} from '../broker/registrations/csr-harness.ts';
import { deepDiff, type Json } from './etsi-diff.ts';

const SUB = 'urn:ngsi-ld:Subscription:';
const REG = 'urn:ngsi-ld:ContextSourceRegistration:';
const CSS = 'csourceSubscriptions';

let receiver: Receiver;
let shared: Promise<Client> | undefined;
before(async () => {
  receiver = await startReceiver();
});
after(async () => {
  if (shared) await (await shared).close();
  await receiver.close();
});
const client = () => (shared ??= Client.create());

async function isolated(fn: (c: Client) => Promise<void>): Promise<void> {
  const c = await Client.create();
  try {
    await fn(c);
  } finally {
    await c.close();
  }
}

/** A subscription payload with a fresh id and, unless kept, its endpoint pointed at `uri`. */
function subscription(file: string, uri?: string, id = newId(SUB)): JsonObject {
  const p = payload(`csourceSubscriptions/${file}`, id);
  const n = p.notification as { endpoint?: { uri: string } } | undefined;
  if (uri && n?.endpoint) n.endpoint.uri = uri;
  return p;
}

async function subscribe(c: Client, body: JsonObject): Promise<string> {
  const res = await c.send('POST', `/${CSS}`, body);
  assert.equal(res.status, 201, res.text);
  return body.id as string;
}

function get(c: Client, id: string): Promise<Res> {
  return c.send('GET', `/${CSS}/${encodeURIComponent(id)}`, undefined, { link: link(SUITE_CONTEXT) });
}

async function register(c: Client, file: string, id = newId(REG)): Promise<string> {
  const res = await c.send('POST', '/csourceRegistrations', payload(`csourceRegistrations/${file}`, id));
  assert.equal(res.status, 201, res.text);
  return id;
}

function patch(c: Client, path: string, body: unknown): Promise<Res> {
  return c.send('PATCH', path, body, { 'content-type': JSON_CT, link: link(SUITE_CONTEXT) });
}

/** The suite ignores the delivery bookkeeping when it compares subscriptions. */
const SUB_EXCLUDE = [
  /\['@context'\]$/,
  /\['status'\]$/,
  /\['(timesSent|timesFailed|lastNotification|lastSuccess|lastFailure)'\]$/,
  /\['uri'\]$/,
];

function expectSame(expected: Json, actual: unknown): void {
  const diff = deepDiff(expected, actual, { exclude: SUB_EXCLUDE });
  assert.deepEqual(diff, [], `response differs:\n  ${diff.join('\n  ')}`);
}

/** Notifications for subscription `id` received so far. */
function notificationsOf(r: Receiver, id: string): JsonObject[] {
  return r.received.map((n) => n.body).filter((b) => b.subscriptionId === id);
}

async function waitForNotifications(c: Client, r: Receiver, id: string, n: number): Promise<JsonObject[]> {
  const deadline = Date.now() + 5000;
  while (notificationsOf(r, id).length < n && Date.now() < deadline)
    await new Promise((ok) => setTimeout(ok, 20));
  await c.app.inject({ method: 'GET', url: '/ngsi-ld/v1/types' });
  const found = notificationsOf(r, id);
  assert.ok(found.length >= n, `expected ${n} notifications for ${id}, got ${found.length}`);
  return found;
}

/** Lets in-flight deliveries finish, to show that none was sent. */
const settle = () => new Promise((ok) => setTimeout(ok, 150));

// 038 Create ------------------------------------------------------------------------------------------

test('038_01_01 Create Context Source Registration Subscription', async () => {
  await subscribe(await client(), subscription('subscription.jsonld', receiver.url));
});

test('038_02_01 Create Context Source Registration Subscription Without An Id', async () => {
  const c = await client();
  const { id: _id, ...body } = subscription('subscription.jsonld', receiver.url);
  const res = await c.send('POST', `/${CSS}`, body);
  assert.equal(res.status, 201, res.text);
  assert.match(
    decodeURIComponent(String(res.headers.location)),
    /\/csourceSubscriptions\/urn:ngsi-ld:Subscription:/,
  );
});

test('038_03_01 Create Context Source Registration Subscription Without isActive Member', async () => {
  const c = await client();
  const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
  const body = (await get(c, id)).body as JsonObject;
  assert.equal(body.isActive, true);
  assert.equal(body.status, 'active');
});

test('038_04_01 Create Inactive Context Source Registration Subscription', async () => {
  const c = await client();
  const id = await subscribe(c, subscription('subscription-inactive.jsonld', receiver.url));
  assert.equal(((await get(c, id)).body as JsonObject).status, 'paused');
});

test('038_05_01 Create Context Source Registration Subscription With expiresAt Member', async () => {
  const c = await client();
  const body = subscription('subscription-expiresAt.jsonld', receiver.url);
  body.expiresAt = new Date(Date.now() + 400).toISOString();
  const id = await subscribe(c, body);
  assert.equal(((await get(c, id)).body as JsonObject).status, 'active');
  await new Promise((ok) => setTimeout(ok, 500));
  assert.equal(((await get(c, id)).body as JsonObject).status, 'expired');
});

test('038_06_01 Create Context Source Registration Subscription Without expiresAt Member', async () => {
  const c = await client();
  const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
  const body = (await get(c, id)).body as JsonObject;
  assert.equal(body.expiresAt, undefined);
  assert.equal(body.status, 'active');
});

test('038_07_01 Create Existing Context Source Registration Subscription', async () => {
  const c = await client();
  const body = subscription('subscription.jsonld', receiver.url);
  await subscribe(c, body);
  expectProblem(await c.send('POST', `/${CSS}`, body), 409, 'AlreadyExists');
});

for (const [name, file] of [
  ['038_08_01 WithoutNotification', 'subscription-without-notification.jsonld'],
  ['038_08_02 InvalidType', 'subscription-invalid-type.jsonld'],
  ['038_08_03 InvalidQuery', 'subscription-invalid-query.jsonld'],
  ['038_08_04 EmptyWatchedAttributes', 'subscription-empty-watchedAttributes.jsonld'],
  ['038_09_01 Create Expired Context Source Registration Subscription', 'subscription-expired.jsonld'],
]) {
  test(name, async () => {
    expectProblem(await (await client()).send('POST', `/${CSS}`, subscription(file)), 400, 'BadRequestData');
  });
}

// 039 Update ------------------------------------------------------------------------------------------

const UPDATE = 'csourceSubscriptions/fragments/subscription-update.json';

test('039_01_01 Update Context Source Registration Subscription', async () => {
  const c = await client();
  const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
  assert.equal((await patch(c, `/${CSS}/${encodeURIComponent(id)}`, dataJson(UPDATE))).status, 204);
  const n = ((await get(c, id)).body as JsonObject).notification as JsonObject;
  assert.deepEqual(n.endpoint, { uri: 'http://my.second.endpoint.org/notify', accept: 'application/json' });
});

test('039_02_01 Update Context Source Registration Subscription With Invalid Uri', async () => {
  expectProblem(await patch(await client(), `/${CSS}/invalidUri`, dataJson(UPDATE)), 400, 'BadRequestData');
});

test('039_03_01 Update Unknown Context Source Registration Subscription', async () => {
  expectProblem(
    await patch(await client(), `/${CSS}/${encodeURIComponent(newId(SUB))}`, dataJson(UPDATE)),
    404,
    'ResourceNotFound',
  );
});

for (const [name, file] of [
  ['039_04_01 InvalidType', 'subscription-update-invalid-type.json'],
  ['039_04_02 InvalidNotification', 'subscription-update-invalid-notification.json'],
]) {
  test(name, async () => {
    const c = await client();
    const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
    expectProblem(
      await patch(c, `/${CSS}/${encodeURIComponent(id)}`, dataJson(`csourceSubscriptions/fragments/${file}`)),
      400,
      'BadRequestData',
    );
  });
}

test('039_05_01 Update Context Source Registration Subscription With Invalid JSON Fragment', async () => {
  const c = await client();
  const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
  const res = await patch(
    c,
    `/${CSS}/${encodeURIComponent(id)}`,
    dataText('csourceSubscriptions/fragments/subscription-update-invalid-json.json'),
  );
  expectProblem(res, 400, 'InvalidRequest');
});

// 040 Retrieve, 041 Query, 042 Delete ----------------------------------------------------------------

test('040_01_01 Retrieve Context Source Registration Subscription', async () => {
  const c = await client();
  const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
  const expected = dataJson<JsonObject>('csourceSubscriptions/expectations/subscriptions-040-01.json');
  expected.id = id;
  expectSame(expected as Json, (await get(c, id)).body);
});

test('040_02_01 Retrieve Context Source Registration Subscription With An Invalid Id', async () => {
  expectProblem(await get(await client(), 'invalidUri'), 400, 'BadRequestData');
});

test('040_03_01 Retrieve Unknown Context Source Registration Subscription', async () => {
  expectProblem(await get(await client(), newId(SUB)), 404, 'ResourceNotFound');
});

function list(c: Client, params: Record<string, string> = {}): Promise<Res> {
  return c.send('GET', `/${CSS}?${new URLSearchParams(params)}`, undefined, { link: link(SUITE_CONTEXT) });
}

const listIds = (res: Res) => (res.body as JsonObject[]).map((s) => s.id);

test('041_01_01 Query Context Source Registration Subscriptions', () =>
  isolated(async (c) => {
    await subscribe(c, subscription('subscription.jsonld', receiver.url));
    await subscribe(c, subscription('subscription-watchedAttributes.jsonld', receiver.url));
    const expected = dataJson<JsonObject[]>('csourceSubscriptions/expectations/subscriptions-035-01.json');
    const diff = deepDiff(expected as Json, (await list(c)).body, {
      exclude: [...SUB_EXCLUDE, /\['(id|isActive)'\]$/],
    });
    assert.deepEqual(diff, []);
  }));

async function threeSubscriptions(c: Client): Promise<string[]> {
  const out: string[] = [];
  for (const f of [
    'subscription.jsonld',
    'subscription-watchedAttributes.jsonld',
    'subscription-geoQ.jsonld',
  ])
    out.push(await subscribe(c, subscription(f, receiver.url)));
  return out;
}

for (const [name, limit] of [
  ['041_02_01 Query One Subscription', 1],
  ['041_02_02 Query Two Subscription', 2],
  ['041_02_03 Query All Subscriptions', 3],
] as const) {
  test(name, () =>
    isolated(async (c) => {
      const all = await threeSubscriptions(c);
      assert.deepEqual(listIds(await list(c, { limit: String(limit) })), all.slice(0, limit));
    }),
  );
}

for (const [name, limit, offset] of [
  ['041_03_01 Query Second Subscription', 1, 1],
  ['041_03_02 Query Last Subscription', 1, 2],
  ['041_03_03 Query All Subscriptions', 3, 0],
] as const) {
  test(name, () =>
    isolated(async (c) => {
      const all = await threeSubscriptions(c);
      assert.deepEqual(
        listIds(await list(c, { limit: String(limit), offset: String(offset) })),
        all.slice(offset, offset + limit),
      );
    }),
  );
}

for (const [name, params] of [
  ['041_04_01 Invalid Limit', { limit: '-1' }],
  ['041_04_02 Invalid Offset', { offset: '-1' }],
  ['041_04_03 Invalid Limit And Offset', { limit: '-1', offset: '-1' }],
] as const) {
  test(name, async () => {
    expectProblem(await list(await client(), params), 400, 'BadRequestData');
  });
}

test('042_01_01 Delete Context Source Registration Subscription', async () => {
  const c = await client();
  const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
  assert.equal((await c.send('DELETE', `/${CSS}/${encodeURIComponent(id)}`)).status, 204);
  expectProblem(await get(c, id), 404, 'ResourceNotFound');
});

test('042_02_01 Delete Context Source Registration Subscription With Invalid Uri', async () => {
  expectProblem(await (await client()).send('DELETE', `/${CSS}/invalidUri`), 400, 'BadRequestData');
});

test('042_03_01 Delete Unknown Context Source Registration Subscription With Invalid Uri', async () => {
  expectProblem(
    await (await client()).send('DELETE', `/${CSS}/${encodeURIComponent(newId(SUB))}`),
    404,
    'ResourceNotFound',
  );
});

// 047 Notification behaviour --------------------------------------------------------------------------

test('047_01_01 Receive cSourceNotification Periodically And Initially On Subscription', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-detailed-information.jsonld');
    const body = subscription('subscription-timeInterval.jsonld', receiver.url);
    // the suite's 10 s interval, shortened so the test stays fast
    body.timeInterval = 0.3;
    const id = await subscribe(c, body);
    await waitForNotifications(c, receiver, id, 3);
  }));

test('047_02_01 Receive cSourceNotification Initially On Subscription And Whenever There Is A Change Of A Matching Context Source Registration', () =>
  isolated(async (c) => {
    const reg = await register(c, 'context-source-registration-detailed-information.jsonld');
    const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
    const [first] = await waitForNotifications(c, receiver, id, 1);
    assert.equal(first.triggerReason, 'newlyMatching');
    await patch(
      c,
      `/csourceRegistrations/${encodeURIComponent(reg)}`,
      dataJson('csourceRegistrations/fragments/context-source-registration-update.json'),
    );
    const [, second] = await waitForNotifications(c, receiver, id, 2);
    assert.equal(second.triggerReason, 'updated');
    assert.equal(((second.data as JsonObject[])[0] as JsonObject).endpoint, 'http://my.new.csource.org:1026');
  }));

test('047_03_01 Receive cSourceNotification With Relevant Information', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-building-and-bus-entities.jsonld');
    const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
    const [n] = await waitForNotifications(c, receiver, id, 1);
    const info = (
      (n.data as JsonObject[])[0].information as Array<{ entities: Array<{ type: string }> }>
    ).flatMap((i) => i.entities.map((e) => e.type));
    assert.deepEqual([...new Set(info)], ['Building']);
  }));

test('047_04_01 Receive cSourceNotification With Compliant Structure', () =>
  isolated(async (c) => {
    const reg = await register(c, 'context-source-registration-detailed-information.jsonld');
    const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
    const [n] = await waitForNotifications(c, receiver, id, 1);
    assert.match(String(n.id), /^urn:ngsi-ld:Notification:/);
    assert.equal(n.type, 'Notification');
    assert.equal(n.subscriptionId, id);
    assert.ok(!Number.isNaN(Date.parse(String(n.notifiedAt))));
    assert.deepEqual(
      (n.data as JsonObject[]).map((d) => d.id),
      [reg],
    );
  }));

test('047_05_01 If A cSourceNotification Is Successfully Sent The Notification Member Shall Be Updated', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-detailed-information.jsonld');
    const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
    await waitForNotifications(c, receiver, id, 1);
    await settle();
    const n = ((await get(c, id)).body as JsonObject).notification as JsonObject;
    const expected = dataJson<JsonObject>('notifications/expectations/1-timesSent-ok.json');
    assert.equal(n.status, expected.status);
    assert.equal(n.timesSent, expected.timesSent);
    assert.ok(n.lastSuccess && n.lastNotification);
  }));

test('047_06_01 If A cSourceNotification Is Not Successfully Sent The Notification Member Shall Be Updated', () =>
  isolated(async (c) => {
    await register(c, 'context-source-registration-detailed-information.jsonld');
    const dead = await startReceiver();
    await dead.close();
    const id = await subscribe(c, subscription('subscription-unreachable-endpoint.jsonld', dead.url));
    const deadline = Date.now() + 5000;
    let n: JsonObject = {};
    while (Date.now() < deadline) {
      n = ((await get(c, id)).body as JsonObject).notification as JsonObject;
      if (n.status !== undefined) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const expected = dataJson<JsonObject>('notifications/expectations/1-timesSent-failed.json');
    assert.equal(n.status, expected.status);
    assert.equal(n.timesSent, expected.timesSent);
    assert.ok(n.lastFailure);
  }));

for (const [name, fragment] of [
  ['047_07_01 PausedSubscription', 'subscription-isActive-update.json'],
  ['047_07_02 ExpiredSubscription', 'subscription-expiresAt-update.json'],
] as const) {
  test(name, () =>
    isolated(async (c) => {
      const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
      assert.equal(
        (
          await patch(
            c,
            `/${CSS}/${encodeURIComponent(id)}`,
            dataJson(`csourceSubscriptions/fragments/${fragment}`),
          )
        ).status,
        204,
      );
      await register(c, 'context-source-registration-detailed-information.jsonld');
      await settle();
      assert.equal(notificationsOf(receiver, id).length, 0);
    }),
  );
}

test('047_08_01 Receive cSourceNotification For Matching Context Source Registrations Providing Latest Information', () =>
  isolated(async (c) => {
    const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
    await register(c, 'context-source-registration-observationInterval.jsonld');
    const latest = await register(c, 'context-source-registration-detailed-information.jsonld');
    const [n] = await waitForNotifications(c, receiver, id, 1);
    await settle();
    assert.equal(notificationsOf(receiver, id).length, 1);
    assert.deepEqual(
      (n.data as JsonObject[]).map((d) => d.id),
      [latest],
    );
  }));

test('047_09_01 Receive cSourceNotification For No Longer Matching Context Source Registrations Providing Latest Information', () =>
  isolated(async (c) => {
    const reg = await register(c, 'context-source-registration-detailed-information.jsonld');
    const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
    await waitForNotifications(c, receiver, id, 1);
    await patch(
      c,
      `/csourceRegistrations/${encodeURIComponent(reg)}`,
      dataJson('csourceRegistrations/fragments/context-source-registration-update-information.json'),
    );
    const [, n] = await waitForNotifications(c, receiver, id, 2);
    assert.equal(n.triggerReason, 'noLongerMatching');
  }));

test('047_10_01 Receive cSourceNotification For Matching Context Source Registrations On Observation Interval', () =>
  isolated(async (c) => {
    const id = await subscribe(c, subscription('subscription-temporalQ-observedAt.jsonld', receiver.url));
    const reg = await register(c, 'context-source-registration-observationInterval.jsonld');
    const [n] = await waitForNotifications(c, receiver, id, 1);
    assert.deepEqual(
      (n.data as JsonObject[]).map((d) => d.id),
      [reg],
    );
  }));

for (const [name, file] of [
  ['047_11_01 CreatedAt', 'subscription-temporalQ-createdAt.jsonld'],
  ['047_11_02 ModifiedAt', 'subscription-temporalQ-modifiedAt.jsonld'],
] as const) {
  test(name, () =>
    isolated(async (c) => {
      const id = await subscribe(c, subscription(file, receiver.url));
      await register(c, 'context-source-registration-observationInterval.jsonld');
      const reg = await register(c, 'context-source-registration-managementInterval.jsonld');
      const [n] = await waitForNotifications(c, receiver, id, 1);
      await settle();
      assert.equal(notificationsOf(receiver, id).length, 1);
      assert.deepEqual(
        (n.data as JsonObject[]).map((d) => d.id),
        [reg],
      );
    }),
  );
}

test('047_12_01 Receive cSourceNotification For Matching Context Source Registrations On Watched Attributes', () =>
  isolated(async (c) => {
    const id = await subscribe(c, subscription('subscription-watchedAttributes.jsonld', receiver.url));
    await register(c, 'context-source-registration-location.jsonld');
    const reg = await register(c, 'context-source-registration-detailed-information.jsonld');
    const [n] = await waitForNotifications(c, receiver, id, 1);
    await settle();
    // the location registration covers every attribute of Buildings, so it matches too
    const notified = notificationsOf(receiver, id).flatMap((x) => (x.data as JsonObject[]).map((d) => d.id));
    assert.ok(notified.includes(reg), JSON.stringify(n));
  }));

test('047_13_01 Receive cSourceNotification For Matching Context Source Registrations On Any watchedAttribute', () =>
  isolated(async (c) => {
    const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
    const reg = await register(c, 'context-source-registration-detailed-information.jsonld');
    const [n] = await waitForNotifications(c, receiver, id, 1);
    assert.deepEqual(
      (n.data as JsonObject[]).map((d) => d.id),
      [reg],
    );
  }));

for (const [name, file] of [
  [
    '047_14_01 Receive cSourceNotification For Matching Context Source Registrations On Location',
    'subscription-geoQ.jsonld',
  ],
  [
    '047_15_01 Receive cSourceNotification For Matching Context Source Registrations On Location As Default',
    'subscription-geoQ-without-geoproperty.jsonld',
  ],
] as const) {
  test(name, () =>
    isolated(async (c) => {
      const id = await subscribe(c, subscription(file, receiver.url));
      await register(c, 'context-source-registration-detailed-information.jsonld');
      const reg = await register(c, 'context-source-registration-location.jsonld');
      const [n] = await waitForNotifications(c, receiver, id, 1);
      await settle();
      assert.equal(notificationsOf(receiver, id).length, 1);
      assert.deepEqual(
        (n.data as JsonObject[]).map((d) => d.id),
        [reg],
      );
    }),
  );
}

for (const [name, fragment, expected] of [
  ['047_16_01 MatchFirstContextSourceRegistration', 'subscription-bus-entities.json', ['bus']],
  ['047_16_02 MatchSecondContextSourceRegistration', 'subscription-vehicle-entities.json', ['vehicle']],
  [
    '047_16_03 MatchBothContextSourceRegistrations',
    'subscription-vehicle-and-bus-entities.json',
    ['bus', 'vehicle'],
  ],
] as const) {
  test(name, () =>
    isolated(async (c) => {
      const regs = {
        bus: await register(c, 'context-source-registration-bus-entities.jsonld'),
        vehicle: await register(c, 'context-source-registration-vehicle-complete.jsonld'),
      };
      const id = await subscribe(c, subscription('subscription.jsonld', receiver.url));
      await settle();
      const before = notificationsOf(receiver, id).length;
      assert.equal(
        (
          await patch(
            c,
            `/${CSS}/${encodeURIComponent(id)}`,
            dataJson(`csourceSubscriptions/fragments/${fragment}`),
          )
        ).status,
        204,
      );
      const all = await waitForNotifications(c, receiver, id, before + 1);
      const notified = (all[before].data as JsonObject[]).map((d) => d.id).sort();
      assert.deepEqual(notified, expected.map((k) => regs[k]).sort());
    }),
  );
}
