/**
 * ETSI NGSI-LD conformance, jsonldContext (050–053, P1 tier): add, delete, list and serve
 * @contexts of kind Hosted, Cached and ImplicitlyCreated (clause 5.13). Each case starts from a
 * fresh broker. Where the suite runs a mock context server, a loopback HTTP server serves the
 * @context, and is stopped to make it unreachable.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Broker,
  body,
  bodyArray,
  bodyObject,
  dataJson,
  dataText,
  type EtsiResponse,
  etsiSuite,
  expectEmptyBody,
  expectFullProblem,
  expectHeader,
  expectReason,
  expectStatus,
  ID_PREFIX,
  isJsonObject,
  type Json,
  type JsonObject,
  newId,
  parseNgsiLdDate,
  TEST_SUITE_TERMS_CONTEXT,
  THIRD_PARTY_CONTEXTS,
} from './etsi.ts';
import { JSON_TYPE, LD_JSON } from './etsi-client.ts';

const test = etsiSuite({ isolation: 'test' });

const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';
const CORE = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';
const MINIMAL = '@context-minimal-valid.json';
const SUBSCRIPTION = 'jsonldContext/subscription-with-implicitlycreated-contexts.jsonld';
const SUBSCRIPTION_ID = 'urn:ngsi-ld:subscriptions:01';
const SUBSCRIPTION_CONTEXTS = [THIRD_PARTY_CONTEXTS[2], THIRD_PARTY_CONTEXTS[0]];
const KINDS = ['Cached', 'Hosted', 'ImplicitlyCreated', 'UserCreated'];
const DETAIL_KEYS = [
  'URL',
  'localId',
  'kind',
  'createdAt',
  'lastUsage',
  'numberOfHits',
  'extraInfo',
  'body',
  'expiresAt',
];

// Checks of the suite's jsonldContext keywords ---------------------------------------------------

function nonEmptyString(value: Json | undefined): boolean {
  return typeof value === 'string' && value !== '';
}

/** `Check Context Response Body Containing Detailed Information`. */
function expectDetails(info: Json, kind: string): void {
  assert.ok(isJsonObject(info), `expected a context information object, got ${JSON.stringify(info)}`);
  for (const key of ['URL', 'localId', 'kind'])
    assert.ok(nonEmptyString(info[key]), `${key} missing in ${JSON.stringify(info)}`);
  assert.ok(KINDS.includes(info.kind as string), `kind ${info.kind} is not allowed`);
  assert.equal(info.kind, kind);
  assert.ok(parseNgsiLdDate(info.createdAt) !== undefined, `createdAt is not a DateTime: ${info.createdAt}`);
}

/** `Check Response Body Might Contain Optional Fields` for lastUsage, numberOfHits, extraInfo, and no other keys. */
function expectOptionalDetails(info: JsonObject): void {
  if (info.lastUsage !== undefined && info.lastUsage !== null && info.lastUsage !== '') {
    assert.ok(
      parseNgsiLdDate(info.lastUsage) !== undefined,
      `lastUsage is not a DateTime: ${info.lastUsage}`,
    );
  }
  if (info.numberOfHits !== undefined && info.numberOfHits !== null && info.numberOfHits !== '') {
    assert.ok(Number.isInteger(info.numberOfHits), `numberOfHits is not an integer: ${info.numberOfHits}`);
  }
  const extra = Object.keys(info).filter((key) => !DETAIL_KEYS.includes(key));
  assert.deepEqual(extra, [], 'the @context detailed information contains keys not expected');
}

/** `Check Context Response Body Containing numberOfHits value`: checked only when present. */
function expectHits(info: JsonObject, hits: number): void {
  if (info.numberOfHits !== undefined && info.numberOfHits !== null && info.numberOfHits !== '') {
    assert.equal(Number(info.numberOfHits), hits, `numberOfHits: expected ${hits}, got ${info.numberOfHits}`);
  }
}

/**
 * `Check Context Response Body Containing a list of identifiers`: each URI ends one listed URL
 * (percent-decoded); with details and a kind, the entry's details are checked too.
 */
function expectListed(list: Json[], uris: readonly string[], kind?: string, details = false): void {
  for (const uri of uris) {
    const entry = list.find((item) => {
      const url = details ? (isJsonObject(item) ? item.URL : undefined) : item;
      return typeof url === 'string' && decodeURIComponent(url).endsWith(uri);
    });
    assert.ok(entry !== undefined, `${uri} is not listed in ${JSON.stringify(list)}`);
    if (details && kind) {
      expectDetails(entry, kind);
      expectOptionalDetails(entry as JsonObject);
    }
  }
}

function isListed(list: Json[], uris: readonly string[]): boolean {
  try {
    expectListed(list, uris);
    return true;
  } catch {
    return false;
  }
}

// Setups ------------------------------------------------------------------------------------------

/** `Add a new @context` that must succeed; returns the Location. */
async function addContext(broker: Broker, file: string): Promise<string> {
  const res = await broker.addContext(file);
  expectStatus(res, 201);
  const location = res.headers.location;
  assert.ok(location, 'no Location header');
  return location;
}

/** `Serve a @context` with details, which must answer 200: the context's information. */
async function contextInfo(broker: Broker, contextId: string): Promise<JsonObject> {
  const res = await broker.serveContext(contextId, 'true');
  expectStatus(res, 200);
  return bodyObject(res);
}

/** The URL of a hosted @context as the broker reports it: what a client puts in a Link or @context. */
function urlOf(info: JsonObject): string {
  assert.ok(typeof info.URL === 'string', `no URL in ${JSON.stringify(info)}`);
  return info.URL;
}

/** Creates the subscription whose @context the broker keeps as ImplicitlyCreated; returns its jsonldContext. */
async function subscribeWithImplicitContext(broker: Broker): Promise<{ full: string; localId: string }> {
  expectStatus(await broker.createSubscription(SUBSCRIPTION_ID, SUBSCRIPTION, LD_JSON), 201);
  const subscription = bodyObject(await broker.retrieveSubscription(SUBSCRIPTION_ID));
  const full = subscription.jsonldContext;
  assert.ok(typeof full === 'string', `no jsonldContext in ${JSON.stringify(subscription)}`);
  return { full, localId: full.split('/').at(-1) ?? '' };
}

/** The suite's mock context server: serves @context-minimal-valid.json until closed. */
async function contextServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const document = dataText(`jsonldContext/${MINIMAL}`);
  const server = createServer((req, res) => {
    if (req.url === '/api/v1/context.jsonld') res.writeHead(200, { 'content-type': LD_JSON }).end(document);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}/api/v1/context.jsonld`,
    close: () =>
      closed
        ? Promise.resolve()
        : new Promise((resolve) => {
            closed = true;
            server.closeAllConnections();
            server.close(() => resolve());
          }),
  };
}

async function createEntityUsing(broker: Broker, context: string, id?: string) {
  expectStatus(
    await broker.createEntityUsingContext('minimal-entity-using-@context.jsonld', context, id),
    201,
  );
}

function expectServedDetails(res: EtsiResponse, kind: string) {
  expectStatus(res, 200);
  expectReason(res, 'OK');
  expectHeader(res, 'Content-Type', JSON_TYPE);
  const info = bodyObject(res);
  expectDetails(info, kind);
  expectOptionalDetails(info);
}

// 050 Add @context --------------------------------------------------------------------------------

for (const [name, file] of [
  ['050_01_01 Add A Valid Hosted @context From Key=value', MINIMAL],
  ['050_01_02 Add A Valid Cached @context From URI', '@context-cached-valid.json'],
] as const) {
  test(name, async (broker) => {
    const res = await broker.addContext(file);
    expectStatus(res, 201);
    expectEmptyBody(res);
    expectReason(res, 'Created');
    const location = res.headers.location;
    assert.ok(location, 'no Location header');
    assert.equal(bodyObject(await broker.serveContext(location, 'true')).kind, 'Hosted');
  });
}

for (const [name, file] of [
  ['050_02_01 Checking Incorrect Payload', '@context-incorrect.json'],
  ['050_02_02 Checking Wrong JSON', '@context-wrong-json.json'],
] as const) {
  test(name, async (broker) => {
    const res = await broker.addContext(file);
    expectStatus(res, 400);
    expectReason(res, 'Bad Request');
    expectFullProblem(res, `${ERR}InvalidRequest`);
  });
}

test('050_03_01 Check The Creation Of ImplicitelyCreted @context', async (broker) => {
  await broker.createSubscription(SUBSCRIPTION_ID, SUBSCRIPTION, LD_JSON);
  const res = await broker.listContexts('true', 'ImplicitlyCreated');
  expectStatus(res, 200);
  const [first] = bodyArray(res);
  assert.ok(isJsonObject(first), `no ImplicitlyCreated @context listed: ${res.text}`);
  assert.equal(first.kind, 'ImplicitlyCreated');
});

test('050_04_01 Add A Valid Hosted @context With URIs And Check That The URIs Are Cached @contexts', async (broker) => {
  const res = await broker.addContext('@context-cached-valid.json');
  expectStatus(res, 201);
  expectEmptyBody(res);
  expectReason(res, 'Created');
  const location = res.headers.location;
  assert.ok(location, 'no Location header');
  const info = await contextInfo(broker, location);
  assert.equal(info.kind, 'Hosted');
  const id = newId(ID_PREFIX.Building);
  await broker.createEntity('building-simple-attributes.json', id, JSON_TYPE, { context: urlOf(info) });
  await broker.deleteEntity(id);
  const cached = (dataJson('jsonldContext/@context-cached-valid.json') as JsonObject)['@context'] as string[];
  for (const uri of cached)
    assert.equal(bodyObject(await broker.serveContext(uri, 'true')).kind, 'Cached', uri);
});

// 051 Delete @context -----------------------------------------------------------------------------

function expectDeleted(res: EtsiResponse) {
  expectStatus(res, 204);
  expectEmptyBody(res);
  expectReason(res, 'No Content');
}

test('051_01_01 Delete A @context Whose Kind Is Hosted Without Reload Param', async (broker) => {
  expectDeleted(await broker.deleteContext(await addContext(broker, MINIMAL)));
});

test('051_02_01 Delete A @context With Unknown @context Identifier', async (broker) => {
  const res = await broker.deleteContext(newId(''));
  expectStatus(res, 404);
  expectReason(res, 'Not Found');
  expectFullProblem(res, `${ERR}ResourceNotFound`);
});

test('051_03_01 Delete A @context Whose Kind Is Cached Without Reload Param', async (broker) => {
  const location = await addContext(broker, '@context-cached-one-valid.json');
  const id = newId(ID_PREFIX.Building);
  const url = urlOf(await contextInfo(broker, location));
  await broker.createEntity('building-simple-attributes.json', id, JSON_TYPE, { context: url });
  await broker.deleteEntity(id);
  const cached = THIRD_PARTY_CONTEXTS[0];
  assert.equal(bodyObject(await broker.serveContext(cached, 'true')).kind, 'Cached');
  expectDeleted(await broker.deleteContext(cached));
});

for (const [name, target, reload, status, reason, type] of [
  [
    '051_04_01 Delete A @contexts With A Wrong Id And Reload Set To True',
    'wrong',
    'true',
    400,
    'Bad Request',
    'BadRequestData',
  ],
  [
    '051_04_02 Delete A @contexts With A Wrong Id And Reload Set To False',
    'wrong',
    'false',
    404,
    'Not Found',
    'ResourceNotFound',
  ],
  [
    '051_04_03 Delete A @contexts With A Wrong Id And No Reload Value',
    'wrong',
    undefined,
    404,
    'Not Found',
    'ResourceNotFound',
  ],
  [
    '051_04_04 Delete A @contexts With A Wrong Id And Wrong Reload Value',
    'wrong',
    'xxx',
    400,
    'Bad Request',
    'BadRequestData',
  ],
  [
    '051_04_05 Delete A Hosted @contexts With A Valid Id And Reload Set To True',
    'hosted',
    'true',
    400,
    'Bad Request',
    'BadRequestData',
  ],
] as const) {
  test(name, async (broker) => {
    const location = await addContext(broker, MINIMAL);
    const res = await broker.deleteContext(target === 'hosted' ? location : 'wrong_id_context', reload);
    expectStatus(res, status);
    expectReason(res, reason);
    expectFullProblem(res, `${ERR}${type}`);
  });
}

test('051_05_01 Delete And Reload A Cached @context With No Communication With The Context Server', async (broker) => {
  const server = await contextServer();
  try {
    await createEntityUsing(broker, server.url);
    const served = await broker.serveContext(server.url, 'true');
    expectStatus(served, 200);
    assert.equal(bodyObject(served).kind, 'Cached');
  } finally {
    await server.close();
  }
  const res = await broker.deleteContext(server.url, 'true');
  expectStatus(res, 503);
  expectReason(res, 'Service Unavailable');
  expectFullProblem(res, `${ERR}LdContextNotAvailable`);
});

test('051_06_01 Delete A @context Whose Kind Is ImplicitlyCreated Without Reload Param', async (broker) => {
  const { localId } = await subscribeWithImplicitContext(broker);
  expectDeleted(await broker.deleteContext(localId));
});

test('051_07_01 Delete A ImplicitlyCreated @contexts With A Valid Id And Reload Set To True', async (broker) => {
  await broker.createSubscription(SUBSCRIPTION_ID, SUBSCRIPTION, LD_JSON);
  const list = await broker.listContexts('true', 'ImplicitlyCreated');
  expectStatus(list, 200);
  const [first] = bodyArray(list);
  assert.ok(
    isJsonObject(first) && typeof first.URL === 'string',
    `no ImplicitlyCreated @context listed: ${list.text}`,
  );
  const res = await broker.deleteContext(first.URL.split('/').at(-1) ?? '', 'true');
  expectStatus(res, 400);
  expectReason(res, 'Bad Request');
  expectFullProblem(res, `${ERR}BadRequestData`);
});

for (const [name, reload] of [
  ['051_08_01 Delete A Core @contexts And Return An Error With No Reload', undefined],
  ['051_08_02 Delete A Core @contexts And Return An Error With Reload Set To False', 'false'],
] as const) {
  test(name, async (broker) => {
    const res = await broker.deleteContext(CORE, reload);
    expectStatus(res, 400);
    expectReason(res, 'Bad Request');
    expectFullProblem(res, `${ERR}BadRequestData`);
  });
}

test('051_09_01 Delete A Core @contexts With Reload Set To True And Check If The Context Has Been Download Again By The Broker', async (broker) => {
  expectStatus(await broker.serveContext(CORE, 'true'), 200);
  expectStatus(await broker.deleteContext(CORE, 'true'), 204);
  expectStatus(await broker.serveContext(CORE, 'true'), 200);
});

// 052 List @contexts ------------------------------------------------------------------------------

async function listed(broker: Broker, details?: string, kind?: string): Promise<Json[]> {
  const res = await broker.listContexts(details, kind);
  expectStatus(res, 200);
  expectReason(res, 'OK');
  return bodyArray(res);
}

const LIST_VARIANTS = [
  ['With Neither Details Or Kind', undefined, undefined],
  ['With No Details And Kind Equal To Hosted', undefined, 'Hosted'],
  ['With No Details And Kind Equal To Cached', undefined, 'Cached'],
  ['With No Details And Kind Equal To Implicitlycreated', undefined, 'ImplicitlyCreated'],
  ['With Details Equal To False And No Kind', 'false', undefined],
  ['With Details Equal To False And Kind Equal To Hosted', 'false', 'Hosted'],
  ['With Details Equal To False And Kind Equal To Cached', 'false', 'Cached'],
  ['With Details Equal To False And Kind Equal To Implicitlycreated', 'false', 'ImplicitlyCreated'],
] as const;

LIST_VARIANTS.forEach(([label, details, kind], i) => {
  test(`052_01_0${i + 1} List @contexts ${label} And Not Previously Created @context`, async (broker) => {
    expectListed(await listed(broker, details, kind), []);
  });
});

const HOSTED_LIST_VARIANTS = [LIST_VARIANTS[0], LIST_VARIANTS[1], LIST_VARIANTS[4], LIST_VARIANTS[5]];

HOSTED_LIST_VARIANTS.forEach(([label, details, kind], i) => {
  test(`052_02_0${i + 1} List @contexts ${label} And With Previously One Add @context`, async (broker) => {
    const location = await addContext(broker, MINIMAL);
    expectListed(await listed(broker, details, kind), [location], kind);
  });
});

const THREE = [MINIMAL, '@context-minimal-second-valid.json', '@context-minimal-third-valid.json'];

HOSTED_LIST_VARIANTS.forEach(([label, details, kind], i) => {
  test(`052_03_0${i + 1} List @contexts ${label} And With Previously Several Add @context`, async (broker) => {
    const locations = [];
    for (const file of THREE) locations.push(await addContext(broker, file));
    expectListed(await listed(broker, details, kind), locations, kind);
  });
});

for (const [name, details, kind] of [
  [
    '052_04_01 List @contexts With No Details And Kind Set To Other And Not Previously Created @context',
    undefined,
    'other',
  ],
  [
    '052_04_02 List @contexts With Details Set To Other And No Kind And Not Previously Created @context',
    'other',
    undefined,
  ],
  [
    '052_04_03 List @contexts With Details Set To Other And Kind Set To Other And Not Previously Created @context',
    'other',
    'other',
  ],
  [
    '052_04_04 List @contexts With Details Set To True And Kind Set To Other And Not Previously Created @context',
    'true',
    'other',
  ],
  [
    '052_04_05 List @contexts With Details Set To Other And Kind Set To Hosted And Not Previously Created @context',
    'other',
    'Hosted',
  ],
] as const) {
  test(name, async (broker) => {
    const res = await broker.listContexts(details, kind);
    expectStatus(res, 400);
    expectReason(res, 'Bad Request');
    expectFullProblem(res, `${ERR}BadRequestData`);
  });
}

for (const [name, kind] of [
  [
    '052_05_01 List @contexts With Details Set To True And No Kind And With Previously Several Add @contexts',
    undefined,
  ],
  [
    '052_05_02 List @contexts With Details Set To True And Kind Set To Hosted And With Previously Several Add @contexts',
    'Hosted',
  ],
] as const) {
  test(name, async (broker) => {
    const locations = [];
    for (const file of THREE) locations.push(await addContext(broker, file));
    expectListed(await listed(broker, 'true', kind), locations, kind, true);
  });
}

const IMPLICIT_LIST_LABELS = [
  'With Neither Details Or Kind',
  'With No Details And Kind Set To Hosted',
  'With No Details And Kind Set To Cached',
  'With No Details And Kind Set To Implicitlycreated',
  'With Details Set To False And No Kind',
  'With Details Set To False And Kind Equal To Hosted',
  'With Details Set To False And Kind Equal To Cached',
  'With Details Set To False And Kind Equal To Implicitlycreated',
];

LIST_VARIANTS.forEach(([, details, kind], i) => {
  test(`052_06_0${i + 1} List @contexts ${IMPLICIT_LIST_LABELS[i]} And A Created ImplicitlyCreated @context`, async (broker) => {
    const { localId } = await subscribeWithImplicitContext(broker);
    expectStatus(await broker.serveContext(localId), 200);
    const list = await listed(broker, details, kind);
    if (kind === 'Hosted')
      assert.ok(!isListed(list, SUBSCRIPTION_CONTEXTS), 'the subscription @contexts are not Hosted');
    else if (kind === 'ImplicitlyCreated') expectListed(list, [localId], kind);
    else if (kind === 'Cached') expectListed(list, SUBSCRIPTION_CONTEXTS, kind);
  });
});

test('052_07_01 List @contexts With Details Set To True And Kind Set To Cached And With Previously Several Add @contexts', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  const res = await broker.createEntity('building-simple-attributes.json', id, JSON_TYPE, {
    context: TEST_SUITE_TERMS_CONTEXT,
  });
  expectStatus(res, 201);
  expectListed(await listed(broker, 'true', 'Cached'), [TEST_SUITE_TERMS_CONTEXT], 'Cached', true);
});

// 053 Serve @context ------------------------------------------------------------------------------

for (const [name, details] of [
  ['053_01_01 Serve A @context Without Details', undefined],
  ['053_01_02 Serve A @context With Details Equal To False', 'false'],
] as const) {
  test(name, async (broker) => {
    const res = await broker.serveContext(await addContext(broker, MINIMAL), details);
    expectStatus(res, 200);
    expectReason(res, 'OK');
    expectHeader(res, 'Content-Type', JSON_TYPE);
    assert.deepEqual(body(res), dataJson(`jsonldContext/${MINIMAL}`));
  });
}

test('053_02_01 Serve A @context With Details Set To True', async (broker) => {
  expectServedDetails(await broker.serveContext(await addContext(broker, MINIMAL), 'true'), 'Hosted');
});

test('053_03_01 Serve A @contexts With A Wrong Id And Correct Details', async (broker) => {
  await addContext(broker, MINIMAL);
  const res = await broker.serveContext('wrong_id_context', 'true');
  expectStatus(res, 404);
  expectReason(res, 'Not Found');
  expectFullProblem(res, `${ERR}ResourceNotFound`);
});

test('053_04_01 Check That The numberOfHits Is Increased After Using A Hosted Context', async (broker) => {
  const location = await addContext(broker, MINIMAL);
  const before = await contextInfo(broker, location);
  expectHits(before, 0);
  await createEntityUsing(broker, urlOf(before));
  expectHits(await contextInfo(broker, location), 1);
});

test('053_05_01 Check That The Context Served By A Context Server Is Still In The Broker After A ERROR_TYPE_LD_CONTEXT_NOT_AVAILABLE With Details=true', async (broker) => {
  const server = await contextServer();
  try {
    await createEntityUsing(broker, server.url);
    const served = await broker.serveContext(server.url, 'true');
    expectStatus(served, 200);
    assert.equal(bodyObject(served).kind, 'Cached');
  } finally {
    await server.close();
  }
  expectStatus(await broker.deleteContext(server.url, 'true'), 503);
  expectServedDetails(await broker.serveContext(server.url, 'true'), 'Cached');
});

test('053_06_01 Check That The numberOfHits Is Increased After Using A Cached Context', async (broker) => {
  const server = await contextServer();
  try {
    await createEntityUsing(broker, server.url, newId('urn:ngsi-ld:Testing:'));
    const first = await broker.serveContext(server.url, 'true');
    expectStatus(first, 200);
    expectHits(bodyObject(first), 1);
    await createEntityUsing(broker, server.url, newId('urn:ngsi-ld:Testing:'));
    const second = await broker.serveContext(server.url, 'true');
    expectStatus(second, 200);
    expectHits(bodyObject(second), 3);
  } finally {
    await server.close();
  }
});

test('053_07_01 Check That One Can Serve A ImplicitlyCreated @context With Details Set To True', async (broker) => {
  const { localId } = await subscribeWithImplicitContext(broker);
  expectServedDetails(await broker.serveContext(localId, 'true'), 'ImplicitlyCreated');
});

test('053_08_01 Check That The numberOfHits Is Increased After Using A ImplicitlyCreated Context', async (broker) => {
  const { full, localId } = await subscribeWithImplicitContext(broker);
  await createEntityUsing(broker, full, newId('urn:ngsi-ld:Testing:'));
  await broker.serveContext(localId, 'true');
  const res = await broker.serveContext(localId, 'true');
  expectStatus(res, 200);
  expectHits(bodyObject(res), 2);
});
