/**
 * ETSI NGSI-LD conformance, Subscription notification behaviour 046_01–046_22 (clause 5.8.6,
 * Notification clause 5.3), from the suite's payloads (etsi-sub-data/). A real HTTP receiver on
 * 127.0.0.1 plays the suite's notification server; each case gets its own broker, as the suite
 * sets up and tears down subscriptions per test.
 */
import assert from 'node:assert/strict';
import { after, before, type TestContext, test } from 'node:test';
import { type Received, type Receiver, startReceiver } from '../broker/subscriptions/receiver.ts';
import { bodyObject, expectNoDiff, expectStatus } from './etsi.ts';
import type { Broker, EtsiResponse } from './etsi-client.ts';
import {
  createEntity,
  createSubscription,
  data,
  LD,
  newId,
  type Obj,
  retrieveSubscription,
  SUITE_CONTEXT,
  sleep,
  subscriptionPayload,
  suiteBroker,
  updateAttributes,
} from './etsi-sub-data/harness.ts';

const SUB = 'urn:ngsi-ld:Subscription:';
const BUILDING = 'urn:ngsi-ld:Building:';
/** How long a case waits before concluding that no notification comes. */
const QUIET_MS = 600;

/**
 * Cases that fail, with the reason; they run as node:test `todo`, so the suite stays green and
 * the count stays honest.
 */
const KNOWN_FAILURES: Record<string, string> = {
  '046_22_06':
    "the suite's expectation spells the entity's 'urn:ngsi-ld:Ciudad:París' as 'ParÃ­s' (UTF-8 read as Latin-1); the notification carries the entity's own value, everything else matches",
  '046_22_07': "same mis-encoded 'ParÃ­s' in the suite's keyValues expectation as 046_22_06",
};

function etsi(name: string, fn: (t: TestContext) => Promise<void>): void {
  const todo = KNOWN_FAILURES[name.split(' ')[0]];
  test(name, todo === undefined ? {} : { todo }, fn);
}

let receiver: Receiver;
before(async () => {
  receiver = await startReceiver();
});
after(() => receiver.close());

interface Setup {
  broker: Broker;
  entityId: string;
  subscriptionId: string;
}

/** The suite's "Before Test": an entity, then a subscription whose endpoint reaches the receiver. */
async function setup(
  t: { after(fn: () => Promise<void>): void },
  subscription: string,
  entity?: string,
  edit?: (s: Obj) => void,
): Promise<Setup> {
  const broker = await suiteBroker();
  t.after(() => broker.close());
  const entityId = newId(BUILDING);
  if (entity) expectStatus(await createEntity(broker, entity, entityId), 201);
  const subscriptionId = newId(SUB);
  const payload = subscriptionPayload(subscription, subscriptionId, receiver.url);
  edit?.(payload);
  expectStatus(await createSubscription(broker, payload), 201);
  return { broker, entityId, subscriptionId };
}

function notificationsOf(subscriptionId: string): Received[] {
  return receiver.received.filter((r) => r.body.subscriptionId === subscriptionId);
}

/** The suite's "Wait for notification": the n-th notification of this subscription. */
async function waitNotification(subscriptionId: string, n = 1, timeoutMs = 2000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  while (notificationsOf(subscriptionId).length < n) {
    if (Date.now() > deadline)
      assert.fail(`no notification ${n} for ${subscriptionId} within ${timeoutMs} ms`);
    await sleep(10);
  }
  return notificationsOf(subscriptionId)[n - 1];
}

function first(n: Received): Obj {
  return (n.body.data as Obj[])[0];
}

function expectNotified(n: Received, s: Setup): void {
  assert.equal(n.body.type, 'Notification');
  assert.equal(n.body.subscriptionId, s.subscriptionId);
  assert.ok(!Number.isNaN(Date.parse(String(n.body.notifiedAt))), 'notifiedAt is a DateTime');
  assert.equal(first(n).id, s.entityId);
}

/** `Check Notification Containing Entity Element`: data[0] against an expectation, ids replaced. */
function expectEntityData(n: Received, expectation: string, id: string): void {
  const expected = { ...data(`subscriptions/expectations/${expectation}`), id };
  expectNoDiff(expected, first(n), { exclude: [/^root\['@context'\]/] });
}

function request(
  broker: Broker,
  method: 'PATCH' | 'DELETE' | 'POST',
  path: string,
  body?: unknown,
): Promise<EtsiResponse> {
  return broker.request({
    method,
    path,
    headers: body === undefined ? {} : { 'content-type': LD },
    body: body as never,
  });
}

etsi('046_01_01 Check That A Notification Is Only Sent If Status Is Active', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  expectNotified(n, s);
  assert.equal((first(n).airQualityLevel as Obj).value, 5);
});

etsi('046_02_01 Check That A Notification Is Sent On The timeInterval', async (t) => {
  // the suite's payload asks for every 10 s; 1 s keeps the case short and tests the same timer
  const s = await setup(t, 'subscription-timeInterval.jsonld', 'building-simple-attributes.jsonld', (p) => {
    p.timeInterval = 1;
  });
  const one = await waitNotification(s.subscriptionId, 1, 3000);
  expectNotified(one, s);
  const two = await waitNotification(s.subscriptionId, 2, 3000);
  assert.ok(two.at - one.at >= 700, `periodic notifications ${two.at - one.at} ms apart`);
});

for (const [name, file] of [
  [
    '046_03_01 Check That A Notification Is Sent With All Entities',
    'subscription-building-entities-default.jsonld',
  ],
  [
    '046_04_01 Check That A Notification Is Sent With All Entities',
    'subscription-building-entities-active-watchedAttributes.jsonld',
  ],
  [
    '046_05_01 Check That A Notification Is Sent With All Entities',
    'subscription-building-entities-active-watchedAttributes-query.jsonld',
  ],
] as const) {
  etsi(name, async (t) => {
    const s = await setup(t, file, 'building-simple-attributes.jsonld');
    expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
    expectNotified(await waitNotification(s.subscriptionId), s);
  });
}

etsi('046_06_01 Check That A Notification Is Sent With All Matching Entities', async (t) => {
  const s = await setup(t, 'subscription-building-entities-entityCreated.jsonld');
  expectStatus(await createEntity(s.broker, 'building-location-attribute.jsonld', s.entityId), 201);
  expectNotified(await waitNotification(s.subscriptionId), s);
});

etsi('046_07_01 Check Notification Structure', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  expectNotified(n, s);
  assert.ok(String(n.body.id).startsWith('urn:'), 'the notification id is a URI');
});

etsi('046_07_02 Check Correct Attributes Are Included', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active-notificationAttributes.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  expectNotified(n, s);
  assert.ok(!('name' in first(n)));
  assert.ok('airQualityLevel' in first(n));
});

etsi('046_07_03 Check URI Expansion Is Observed', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active-default-context.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  expectNotified(n, s);
  assert.ok('https://ngsi-ld-test-suite/context#airQualityLevel' in first(n));
});

etsi('046_08_01 Check That A Notification Is Sent With All Attributes', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  for (const attr of ['name', 'subCategory', 'airQualityLevel', 'almostFull'])
    assert.equal((first(n)[attr] as Obj).type, 'Property', attr);
});

etsi('046_08_02 Check That A Notification Is Sent With All Attributes In Simplified Format', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active.jsonld',
    'building-simple-attributes.jsonld',
    (p) => {
      (p.notification as Obj).format = 'keyValues';
    },
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  assert.deepEqual(first(n), {
    id: s.entityId,
    type: 'Building',
    name: 'Eiffel Tower',
    subCategory: 'tourism',
    airQualityLevel: 5,
    almostFull: false,
  });
});

etsi('046_09_01 Check That A Notification Is Sent To The Endpoint', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active-endpoint-info.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  expectNotified(n, s);
  assert.equal(n.headers['x-additional-key'], 'Value');
});

etsi('046_10_01 Check That The Notification Is Sent As JSON', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-default.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  assert.equal(n.headers['content-type'], 'application/json');
  assert.match(String(n.headers.link), /rel="http:\/\/www.w3.org\/ns\/json-ld#context"/);
  assert.ok(!('@context' in n.body));
});

async function notificationState(s: Setup, until: (n: Obj) => boolean): Promise<Obj> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await retrieveSubscription(s.broker, s.subscriptionId, { context: SUITE_CONTEXT });
    const n = bodyObject(res).notification as Obj;
    if (until(n) || Date.now() > deadline) return n;
    await sleep(10);
  }
}

const STATE_IGNORED = [/\['last[A-Za-z]*'\]/, /\['endpoint'\]\['uri'\]/, /\['timesFailed'\]/];

etsi('046_11_01 Check That timesSent Is Increased By One', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active.jsonld',
    'building-simple-attributes.jsonld',
    (p) => {
      (p.notification as Obj).format = 'keyValues';
    },
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  await waitNotification(s.subscriptionId);
  const n = await notificationState(s, (x) => x.timesSent === 1);
  expectNoDiff(data('notifications/expectations/1-timesSent-ok.json'), n, { exclude: STATE_IGNORED });
});

etsi('046_12_01 Check That lastNotification Is Updated', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-active.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  await waitNotification(s.subscriptionId);
  const n = await notificationState(s, (x) => x.status === 'ok');
  assert.equal(n.status, 'ok');
  assert.ok(!Number.isNaN(Date.parse(String(n.lastNotification))));
  assert.ok(!Number.isNaN(Date.parse(String(n.lastSuccess))));
});

etsi(
  '046_13_01 Check That lastFailure And Status Are Updated If A Notification Could Not Be Sent',
  async (t) => {
    const failing = await startReceiver();
    failing.status = 500;
    t.after(() => failing.close());
    const s = await setup(
      t,
      'subscription-building-entities-active.jsonld',
      'building-simple-attributes.jsonld',
      (p) => {
        const notification = p.notification as Obj;
        notification.format = 'keyValues';
        (notification.endpoint as Obj).uri = failing.url;
      },
    );
    expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
    const n = await notificationState(s, (x) => x.status === 'failed');
    expectNoDiff(data('notifications/expectations/1-timesSent-failed.json'), n, { exclude: STATE_IGNORED });
    assert.ok(!Number.isNaN(Date.parse(String(n.lastFailure))));
  },
);

etsi('046_14_01 Check That A Notification Is Sent As JSON-LD', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-accept-jsonld.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  const n = await waitNotification(s.subscriptionId);
  assert.equal(n.headers['content-type'], 'application/ld+json');
  assert.ok('@context' in n.body);
});

etsi('046_15_01 Check That A Notification Is Not Sent If The Throttling Has Not Elapsed Yet', async (t) => {
  const s = await setup(t, 'subscription-valid-throttling.jsonld', 'building-simple-attributes.jsonld');
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  await waitNotification(s.subscriptionId);
  expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
  await sleep(QUIET_MS);
  assert.equal(notificationsOf(s.subscriptionId).length, 1);
});

etsi(
  '046_16_01 Check That A Notification Is Sent With Entity Matching The Entity Type Selection',
  async (t) => {
    const s = await setup(t, 'subscription-building-entities-type-selection.jsonld');
    expectStatus(await createEntity(s.broker, 'building-simple-attributes.jsonld', s.entityId), 201);
    expectNotified(await waitNotification(s.subscriptionId), s);
  },
);

etsi(
  '046_16_02 Check That A Notification Is Not Sent If The Entity Type Does Not Match The Entity Type Selection',
  async (t) => {
    const s = await setup(t, 'subscription-building-entities-type-selection.jsonld');
    expectStatus(
      await createEntity(s.broker, 'vehicle-simple-attributes.jsonld', newId('urn:ngsi-ld:Vehicle:')),
      201,
    );
    await sleep(QUIET_MS);
    assert.equal(notificationsOf(s.subscriptionId).length, 0);
  },
);

etsi(
  '046_17_01 Check That The Response Payload Body Contains The System Generated Attributes If sysAttrs Parameter Is Set To True',
  async (t) => {
    const s = await setup(
      t,
      'subscription-with-true-sysAttrs-parameter.jsonld',
      'building-simple-attributes.jsonld',
    );
    expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
    const e = first(await waitNotification(s.subscriptionId));
    assert.ok(!Number.isNaN(Date.parse(String(e.createdAt))), 'createdAt');
    assert.ok(!Number.isNaN(Date.parse(String(e.modifiedAt))), 'modifiedAt');
  },
);

etsi(
  '046_18_01 Check That The Response Payload Body Does Not Contain The System Generated Attributes If sysAttrs Parameter Is Set To False',
  async (t) => {
    const s = await setup(
      t,
      'subscription-with-false-sysAttrs-parameter.jsonld',
      'building-simple-attributes.jsonld',
    );
    expectStatus(await updateAttributes(s.broker, s.entityId, 'airQualityLevel-fragment.jsonld'), 204);
    const e = first(await waitNotification(s.subscriptionId));
    assert.ok(!('createdAt' in e) && !('modifiedAt' in e));
  },
);

etsi(
  '046_19 Check That Only The Attribute Instances That Match The datasetId Member Are Included In The Entity In The Notification',
  async (t) => {
    const s = await setup(
      t,
      'subscription-building-with-datasetId.jsonld',
      'building-multi-instances-attributes.jsonld',
    );
    expectStatus(await updateAttributes(s.broker, s.entityId, 'building-name-fragment.jsonld'), 204);
    const n = await waitNotification(s.subscriptionId);
    expectNotified(n, s);
    expectEntityData(n, 'entity-with-datasetid-046-19.jsonld', s.entityId);
  },
);

etsi(
  '046_20 Check That jsonldContext Member In Subscription Is Used When Sending Notifcations',
  async (t) => {
    const s = await setup(
      t,
      'subscription-building-with-jsonldContext.jsonld',
      'building-multi-instances-attributes.jsonld',
    );
    expectStatus(await updateAttributes(s.broker, s.entityId, 'building-name-fragment.jsonld'), 204);
    const n = await waitNotification(s.subscriptionId);
    assert.equal(n.body['@context'], 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld');
    const e = first(n);
    assert.equal(e.type, 'https://ngsi-ld-test-suite/context#Building');
    assert.ok('https://ngsi-ld-test-suite/context#name' in e);
  },
);

etsi('046_21_01 Check That A Notification Is Sent With Matching Entity', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-entityDeleted.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await request(s.broker, 'DELETE', `entities/${s.entityId}`), 204);
  const n = await waitNotification(s.subscriptionId);
  expectNotified(n, s);
  assert.equal(first(n).type, 'Building');
});

etsi('046_21_02 Check That A Notification Is Sent With Matching Entity', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-entityDeleted-sysAttrs.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await request(s.broker, 'DELETE', `entities/${s.entityId}`), 204);
  const e = first(await waitNotification(s.subscriptionId));
  assert.ok(!Number.isNaN(Date.parse(String(e.deletedAt))), 'deletedAt');
});

async function deleteAttribute(s: Setup, attr: string, query?: Record<string, string>) {
  const res = await s.broker.request({
    method: 'DELETE',
    path: `entities/${s.entityId}/attrs/${attr}`,
    query,
    headers: {
      link: `<${SUITE_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
    },
  });
  expectStatus(res, 204);
}

for (const [name, file, expectation] of [
  [
    '046_22_01 Check That A Notification Is Sent With Matching Entity',
    'subscription-building-entities-attributeDeleted-keyValues.jsonld',
    'entity-deleted-name-attribute-keyValues.json',
  ],
  [
    '046_22_02 Check That A Notification Is Sent With Matching Entity',
    'subscription-building-entities-attributeDeleted-specific-attribute-keyValues.jsonld',
    'entity-deleted-name-attribute-keyValues.json',
  ],
  [
    '046_22_04 Check That A Notification Is Sent With Matching Entity',
    'subscription-building-entities-attributeDeleted-specific-attribute-normalized.jsonld',
    'entity-deleted-name-attribute-normalized.json',
  ],
] as const) {
  etsi(name, async (t) => {
    const s = await setup(t, file, 'building-simple-attributes.jsonld');
    await deleteAttribute(s, 'name');
    expectEntityData(await waitNotification(s.subscriptionId), expectation, s.entityId);
  });
}

etsi('046_22_03 Check That A Notification Is Not Sent With Updated Entity', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-attributeDeleted-specific-attribute-keyValues.jsonld',
    'building-simple-attributes.jsonld',
  );
  await deleteAttribute(s, 'airQualityLevel');
  await sleep(QUIET_MS);
  assert.equal(notificationsOf(s.subscriptionId).length, 0);
});

etsi('046_22_05 Check That A Notification Is Sent With Matching Entity', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-attributeDeleted-specific-attribute-normalized-sysAttrs.jsonld',
    'building-simple-attributes.jsonld',
  );
  await deleteAttribute(s, 'name');
  const name = first(await waitNotification(s.subscriptionId)).name as Obj;
  assert.equal(name.value, 'urn:ngsi-ld:null');
  for (const m of ['createdAt', 'modifiedAt', 'deletedAt'])
    assert.ok(!Number.isNaN(Date.parse(String(name[m]))), m);
});

for (const [name, file, expectation, query] of [
  [
    '046_22_06 Check That A Notification Is Sent With Matching Entity',
    'subscription-building-entities-attributeDeleted-specific-attribute-normalized.jsonld',
    'entity-deleted-name-attribute-instance-normalized.json',
    { datasetId: 'urn:ngsi-ld:Dataset:french-name' },
  ],
  [
    '046_22_07 Check That A Notification Is Sent With Matching Entity',
    'subscription-building-entities-attributeDeleted-specific-attribute-keyValues.jsonld',
    'entity-deleted-name-attribute-instance-keyValues.json',
    { datasetId: 'urn:ngsi-ld:Dataset:french-name' },
  ],
] as const) {
  etsi(name, async (t) => {
    const s = await setup(t, file, 'building-multi-instances-attributes.jsonld');
    await deleteAttribute(s, 'name', query);
    expectEntityData(await waitNotification(s.subscriptionId), expectation, s.entityId);
  });
}

etsi('046_22_08 Check That A Notification Is Sent With Matching Entity', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-attributeDeleted-specific-attribute-normalized.jsonld',
    'building-multi-instances-attributes.jsonld',
  );
  await deleteAttribute(s, 'name', { deleteAll: 'true' });
  const n = await waitNotification(s.subscriptionId);
  assert.equal((n.body.data as Obj[]).length, 1);
  assert.equal(first(n).id, s.entityId);
  assert.equal((first(n).name as Obj).value, 'urn:ngsi-ld:null');
});

/** 046_22_09–11: deleting through NGSI-LD Null with merge, update attributes and partial update. */
for (const [id, attr, file, expectation] of [
  [
    '046_22_09',
    'name',
    'subscription-building-entities-attributeDeleted-specific-attribute-normalized.jsonld',
    'entity-different-attributes-types-deleted-name-attribute-normalized.json',
  ],
  [
    '046_22_10',
    'locatedAt',
    'subscription-building-entities-attributeDeleted-relationship-normalized.jsonld',
    'entity-different-attributes-types-deleted-locatedAt-attribute-normalized.json',
  ],
  [
    '046_22_11',
    'street',
    'subscription-building-entities-attributeDeleted-languageproperty-normalized.jsonld',
    'entity-different-attributes-types-deleted-street-attribute-normalized.json',
  ],
] as const) {
  const kind = { name: 'property', locatedAt: 'relationship', street: 'languageproperty' }[attr];
  const operations: Array<[string, (s: Setup) => Promise<EtsiResponse>]> = [
    [
      '01 Check That A Notification Is Sent With Matching Entity When Deleting Via Merge Entity Operation',
      (s) =>
        request(s.broker, 'PATCH', `entities/${s.entityId}`, {
          ...data(`entities/fragmentEntities/ngsild-null/building-null-${kind}.jsonld`),
          id: s.entityId,
        }),
    ],
    [
      '02 Check That A Notification Is Sent With Matching Entity When Deleting Via Update Attributes Operation',
      (s) =>
        request(
          s.broker,
          'PATCH',
          `entities/${s.entityId}/attrs`,
          data(`entities/fragmentEntities/ngsild-null/null-${kind}.jsonld`),
        ),
    ],
    [
      '03 Check That A Notification Is Sent With Matching Entity When Deleting Via Partial Attribute Update Operation',
      (s) =>
        request(
          s.broker,
          'PATCH',
          `entities/${s.entityId}/attrs/${attr}`,
          data(`entities/fragmentEntities/ngsild-null/null-${kind}-fragment.jsonld`),
        ),
    ],
  ];
  for (const [suffix, operation] of operations) {
    etsi(`${id}_${suffix}`, async (t) => {
      const s = await setup(t, file, 'building-different-attributes-types.jsonld');
      expectStatus(await operation(s), 204);
      expectEntityData(await waitNotification(s.subscriptionId), expectation, s.entityId);
    });
  }
}

etsi('046_22_12 Check That A Notification Is Sent With Matching Entity', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-attributeDeleted-specific-attribute-normalized.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await request(s.broker, 'DELETE', `entities/${s.entityId}`), 204);
  expectEntityData(
    await waitNotification(s.subscriptionId),
    'entity-deleted-name-attribute-on-entity-deleted-normalized.json',
    s.entityId,
  );
});

etsi('046_22_13 Check That A Notification Is Sent With Matching Entity', async (t) => {
  const s = await setup(
    t,
    'subscription-building-entities-attributeDeleted-specific-attribute-normalized-sysAttrs.jsonld',
    'building-simple-attributes.jsonld',
  );
  expectStatus(await request(s.broker, 'DELETE', `entities/${s.entityId}`), 204);
  expectEntityData(
    await waitNotification(s.subscriptionId),
    'entity-deleted-name-attribute-on-entity-deleted-normalized-sysAttrs.json',
    s.entityId,
  );
});
