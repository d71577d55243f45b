/**
 * ETSI NGSI-LD conformance, CommonBehaviours (043, 044, 045, 048, 049, 059): remote @context not
 * available, merge-patch content type, default Accept, 415, 406 and unknown query parameters,
 * on every endpoint the suite tries them on.
 */

import {
  type Broker,
  batchError,
  dataJson,
  etsiSuite,
  expectHeader,
  expectHeaderPresent,
  expectProblem,
  expectProblemType,
  expectStatus,
  ID_PREFIX,
  loadPayload,
  newId,
  replaceAllIds,
  TEST_SUITE_CONTEXT,
} from './etsi.ts';
import { GEO_JSON, LD_JSON, MERGE_PATCH_JSON } from './etsi-client.ts';

const test = etsiSuite({ isolation: 'file' });

const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';
const XML = 'application/xml';

// 043_01 Verify receiving 503 – LdContextNotAvailable if a remote JSON-LD @context cannot be retrieved

test('043_01_01 Create Entity', async (broker) => {
  const res = await broker.createEntity(
    'building-unretrievable-context.jsonld',
    newId(ID_PREFIX.Building),
    LD_JSON,
  );
  expectProblem(res, 503, `${ERR}LdContextNotAvailable`);
});

test('043_01_02 Create Subscription', async (broker) => {
  const id = newId(ID_PREFIX.Subscription);
  const res = await broker.createSubscription(
    id,
    'subscriptions/subscription-unretrievable-context.jsonld',
    LD_JSON,
  );
  expectProblem(res, 503, `${ERR}LdContextNotAvailable`);
});

test('043_01_03 Create Temporal Representation Of Entities', async (broker) => {
  const id = newId(ID_PREFIX.Vehicle);
  const res = await broker.createTemporalEntity(
    id,
    'bus-temporal-representation-unretrievable-context.jsonld',
    LD_JSON,
  );
  expectProblem(res, 503, `${ERR}LdContextNotAvailable`);
});

test('043_01_04 Batch Entity Create', async (broker) => {
  const entities = [newId(ID_PREFIX.Building), newId(ID_PREFIX.Building)].map((id) =>
    loadPayload('entities/building-unretrievable-context.jsonld', id),
  );
  const res = await broker.batchCreate(entities, { contentType: LD_JSON });
  expectStatus(res, 207);
  expectProblemType(batchError(res, 0), `${ERR}LdContextNotAvailable`, res);
  expectProblemType(batchError(res, 1), `${ERR}LdContextNotAvailable`, res);
});

test('043_01_05 Create Context Source Registration', async (broker) => {
  const payload = dataJson('csourceRegistrations/context-source-registration-unretrievable-context.jsonld');
  const res = await broker.createRegistration(
    replaceAllIds(payload, newId(ID_PREFIX.ContextSourceRegistration)),
  );
  expectStatus(res, 503);
});

// 044 Verify that PATCH HTTP requests can be done with "application/merge-patch+json" as Content-Type

test('044_01_01 Endpoint /entities/{entityId}/attrs/{attrId}', async (broker) => {
  const id = newId(ID_PREFIX.Vehicle);
  expectStatus(await broker.createEntity('vehicle-simple-attributes.jsonld', id, LD_JSON), 201);
  const res = await broker.partialUpdate(
    id,
    'brandName',
    'vehicle-brandname-fragment.json',
    MERGE_PATCH_JSON,
    {
      context: TEST_SUITE_CONTEXT,
    },
  );
  expectStatus(res, 204);
});

test('044_02_01 Endpoint /subscriptions/{subscriptionId}', async (broker) => {
  const id = newId(ID_PREFIX.Subscription);
  expectStatus(await broker.createSubscription(id, 'subscriptions/subscription.jsonld', LD_JSON), 201);
  const res = await broker.updateSubscription(
    id,
    'subscriptions/fragments/subscription-update.json',
    MERGE_PATCH_JSON,
    TEST_SUITE_CONTEXT,
  );
  expectStatus(res, 204);
});

// 045_01 Verify that on a GET without a specific Accept ("*/*"), "application/json" is assumed

test('045_01_01 Endpoint /entities/{entityId}', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  expectStatus(await broker.createEntity('building-simple-attributes.jsonld', id, LD_JSON), 201);
  const res = await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT, accept: '*/*' });
  expectStatus(res, 200);
  expectHeader(res, 'Content-Type', 'application/json');
  expectHeaderPresent(res, 'Link');
});

test('045_01_02 Endpoint /subscriptions/{subscriptionId}', async (broker) => {
  const id = newId(ID_PREFIX.Subscription);
  expectStatus(await broker.createSubscription(id, 'subscriptions/subscription.jsonld', LD_JSON), 201);
  const res = await broker.retrieveSubscription(id, '*/*');
  expectStatus(res, 200);
  expectHeader(res, 'Content-Type', 'application/json');
  expectHeaderPresent(res, 'Link');
});

test('045_01_03 Endpoint /csourceRegistrations/', async (broker) => {
  const id = newId(ID_PREFIX.ContextSourceRegistration);
  const payload = dataJson('csourceRegistrations/context-source-registration-with-expiration.jsonld');
  expectStatus(await broker.createRegistration(replaceAllIds(payload, id)), 201);
  const res = await broker.queryRegistrations({
    id,
    type: 'Vehicle',
    context: TEST_SUITE_CONTEXT,
    accept: '*/*',
  });
  expectStatus(res, 200);
  expectHeader(res, 'Content-Type', 'application/json');
  expectHeaderPresent(res, 'Link');
});

test('045_01_04 Endpoint /temporal/entities', async (broker) => {
  const id = newId(ID_PREFIX.Vehicle);
  expectStatus(await broker.createTemporalEntity(id, 'vehicle-temporal-representation.jsonld', LD_JSON), 201);
  const res = await broker.queryTemporalEntities({
    type: 'Vehicle',
    timerel: 'after',
    timeAt: '2020-08-01T12:05:00Z',
    context: TEST_SUITE_CONTEXT,
    accept: '*/*',
  });
  expectStatus(res, 200);
  expectHeader(res, 'Content-Type', 'application/json');
  expectHeaderPresent(res, 'Link');
});

// 048_01 Verify 415 Unsupported Media Type if Content-Type is not application/json or application/ld+json

test('048_01_01 Endpoint Patch /entities/{entityId}/attrs/{attrId}', async (broker) => {
  const res = await broker.partialUpdate(
    newId(ID_PREFIX.Vehicle),
    'speed',
    'vehicle-brandname-fragment.jsonld',
    XML,
  );
  expectStatus(res, 415);
});

test('048_01_02 Endpoint Patch /subscriptions/{subscriptionId}', async (broker) => {
  const id = newId(ID_PREFIX.Subscription);
  const res = await broker.updateSubscription(
    id,
    'csourceSubscriptions/fragments/subscription-update.jsonld',
    XML,
  );
  expectStatus(res, 415);
});

test('048_01_03 Endpoint Post /entities/', async (broker) => {
  expectStatus(
    await broker.createEntity('building-simple-attributes.jsonld', newId(ID_PREFIX.Building), XML),
    415,
  );
});

test('048_01_04 Endpoint Post /subscriptions/', async (broker) => {
  const id = newId(ID_PREFIX.Subscription);
  expectStatus(await broker.createSubscription(id, 'csourceSubscriptions/subscription.jsonld', XML), 415);
});

test('048_01_05 Endpoint Post /entityOperations/create', async (broker) => {
  const entities = [newId(ID_PREFIX.Building), newId(ID_PREFIX.Building)].map((id) =>
    loadPayload('entities/building-simple-attributes.jsonld', id),
  );
  expectStatus(await broker.batchCreate(entities, { contentType: XML }), 415);
});

test('048_01_06 Endpoint Post /temporal/entities/', async (broker) => {
  const id = newId(ID_PREFIX.Vehicle);
  expectStatus(await broker.createTemporalEntity(id, 'vehicle-temporal-representation.jsonld', XML), 415);
});

// 049_01 Verify 406 Not Acceptable if Accept implies neither application/json nor application/ld+json

test('049_01_01 Endpoint Get /entities/{entityId}', async (broker) => {
  expectStatus(await broker.retrieveEntity(newId(ID_PREFIX.Building), { accept: XML }), 406);
});

test('049_01_02 Endpoint Get /subscriptions/{subscriptionId}', async (broker) => {
  expectStatus(await broker.retrieveSubscription(newId(ID_PREFIX.Subscription), XML), 406);
});

test('049_01_03 Endpoint Get /csourceRegistrations/', async (broker) => {
  expectStatus(await broker.queryRegistrations({ type: 'Building', accept: XML }), 406);
});

test('049_01_04 Endpoint Get /csourceSubscriptions/', async (broker) => {
  expectStatus(await broker.queryRegistrationSubscriptions(XML), 406);
});

test('049_01_05 Endpoint Get /temporal/entities', async (broker) => {
  const query = { type: 'Vehicle', timerel: 'after', timeAt: '2020-08-01T12:05:00Z', accept: XML };
  expectStatus(await broker.queryTemporalEntities(query), 406);
});

// 049_02 Verify 406 if Accept is application/geo+json for operations other than Retrieve and Query Entity

test('049_02_01 Retrieve Subscription By Id', async (broker) => {
  expectStatus(await broker.retrieveSubscription(newId(ID_PREFIX.Subscription), GEO_JSON), 406);
});

test('049_02_02 Query Temporal Entities', async (broker) => {
  const query = { type: 'Vehicle', timerel: 'after', timeAt: '2020-08-01T12:05:00Z', accept: GEO_JSON };
  expectStatus(await broker.queryTemporalEntities(query), 406);
});

test('049_02_03 Query Context Source Registration', async (broker) => {
  expectStatus(await broker.queryRegistrations({ type: 'Building', accept: GEO_JSON }), 406);
});

// 059_01 Check that sending an invalid parameter returns a 400 InvalidRequest

const INVALID_PARAM = { invalidParams: 'invalidValue' };

async function expectInvalidParameter(
  broker: Broker,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  extra: Record<string, string> = {},
  file?: string,
) {
  const res = await broker.request({
    method,
    path,
    query: { ...INVALID_PARAM, ...extra },
    headers: { 'content-type': LD_JSON },
    body: file === undefined ? undefined : dataJson(file),
  });
  expectProblem(res, 400, `${ERR}InvalidRequest`);
}

test('059_01_01 CreateEntity', (broker) =>
  expectInvalidParameter(broker, 'POST', 'entities', {}, 'entities/building-minimal.json'));

test('059_01_02 QueryEntities', (broker) =>
  expectInvalidParameter(broker, 'GET', 'entities', { type: 'Building' }));

test('059_01_03 CreateTemporalEntity', (broker) =>
  expectInvalidParameter(broker, 'POST', 'temporal/entities', {}, 'entities/building-minimal.json'));

test('059_01_04 QueryTemporalEntities', (broker) =>
  expectInvalidParameter(broker, 'GET', 'temporal/entities', { type: 'Building' }));

test('059_01_05 RetrieveEntityTypes', (broker) => expectInvalidParameter(broker, 'GET', 'types'));

test('059_01_06 CreateSubscription', (broker) =>
  expectInvalidParameter(broker, 'POST', 'subscriptions', {}, 'subscriptions/subscription.jsonld'));

test('059_01_07 QuerySubscriptions', (broker) => expectInvalidParameter(broker, 'GET', 'subscriptions'));

test('059_01_08 PurgeEntities', (broker) => expectInvalidParameter(broker, 'DELETE', 'entities'));
