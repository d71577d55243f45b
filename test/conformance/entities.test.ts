/**
 * ETSI NGSI-LD conformance, Provision/Entities: create (001), delete (002), replace (054) and
 * merge (056) entity.
 */
import assert from 'node:assert/strict';
import {
  type Broker,
  bodyObject,
  etsiSuite,
  expectEmptyBody,
  expectEntity,
  expectLocationContaining,
  expectMember,
  expectNoDiff,
  expectProblem,
  expectStatus,
  ID_PREFIX,
  loadPayload,
  newId,
  TEST_SUITE_CONTEXT,
} from './etsi.ts';
import { JSON_TYPE, LD_JSON } from './etsi-client.ts';

const test = etsiSuite({ isolation: 'file' });

const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';

// 001_01 Check that one can create an entity

async function createAndRetrieve(broker: Broker, file: string, contentType: string) {
  const id = newId(ID_PREFIX.Building);
  const res = await broker.createEntity(file, id, contentType);
  expectStatus(res, 201);
  expectEmptyBody(res);
  expectLocationContaining(res, id);
  const context = contentType === LD_JSON ? TEST_SUITE_CONTEXT : undefined;
  const retrieved = await broker.retrieveEntity(id, { accept: contentType, context });
  expectStatus(retrieved, 200);
  expectNoDiff(loadPayload(`entities/${file}`, id), bodyObject(retrieved));
}

test('001_01_01 MinimalEntity', (broker) => createAndRetrieve(broker, 'building-minimal.json', JSON_TYPE));

test('001_01_02 EntityWithSimpleProperties', (broker) =>
  createAndRetrieve(broker, 'building-simple-attributes.jsonld', LD_JSON));

test('001_01_03 EntityWithRelationshipsProperties', (broker) =>
  createAndRetrieve(broker, 'building-relationship-of-property.jsonld', LD_JSON));

test('001_01_04 EntityWithLocationAttribute', (broker) =>
  createAndRetrieve(broker, 'building-location-attribute.jsonld', LD_JSON));

test('001_01_05 EntityWithNonCoreGeoProperty', (broker) =>
  createAndRetrieve(broker, 'building-non-core-geoproperty-attribute.jsonld', LD_JSON));

// 001_02 Check that one cannot create an entity with an invalid request

test('001_02_01 InvalidJson', async (broker) => {
  expectProblem(await broker.createEntityFromFile('invalid-json.jsonld'), 400, `${ERR}InvalidRequest`);
});

test('001_02_02 EmptyJson', async (broker) => {
  expectProblem(await broker.createEntityFromFile('empty.jsonld'), 400, `${ERR}InvalidRequest`);
});

test('001_02_03 EntityWithNoContext', async (broker) => {
  expectProblem(await broker.createEntityFromFile('building-minimal.json'), 400, `${ERR}BadRequestData`);
});

test('001_02_04 EntityWithInvalidType', async (broker) => {
  expectProblem(await broker.createEntityFromFile('invalid-type.jsonld'), 400, `${ERR}BadRequestData`);
});

// 001_03 Check that one cannot create an entity with an existing id

test('001_03_01 Create One Valid Entity And One Invalid Entity', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  expectStatus(await broker.createEntity('building-minimal.jsonld', id, LD_JSON), 201);
  expectProblem(
    await broker.createEntity('building-minimal.jsonld', id, LD_JSON),
    409,
    `${ERR}AlreadyExists`,
  );
});

// 001_04 The @context is obtained from a Link header if the Content-Type is application/json

test('001_04_01 Create One Entity Using A Provided Link Header With JSON Content Type And NGSILD Context', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  await broker.createEntity('building-simple-attributes.json', id, JSON_TYPE, {
    context: TEST_SUITE_CONTEXT,
  });
  const res = await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT });
  expectMember(bodyObject(res), 'almostFull');
});

test('001_04_02 Create One Entity Using A Provided Link Header With JSON Content Type And No Context', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  await broker.createEntity('building-simple-attributes.json', id, JSON_TYPE, {
    context: TEST_SUITE_CONTEXT,
  });
  const res = await broker.retrieveEntity(id);
  expectMember(bodyObject(res), 'https://ngsi-ld-test-suite/context#almostFull');
});

// 001_05 The default @context is used with application/json and no JSON-LD Link header

test('001_05_01 Create One Entity Using The Default Context With JSON Content Type And Request Without Context', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  await broker.createEntity('building-simple-attributes.json', id, JSON_TYPE);
  expectMember(bodyObject(await broker.retrieveEntity(id)), 'almostFull');
});

test('001_05_02 Create One Entity Using The Default Context With JSON Content Type And Request With Context', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  await broker.createEntity('building-simple-attributes.json', id, JSON_TYPE);
  const res = await broker.retrieveEntity(id, { accept: JSON_TYPE, context: TEST_SUITE_CONTEXT });
  expectMember(bodyObject(res), 'ngsi-ld:default-context/almostFull');
});

// 001_06, 001_08, 001_09 BadRequestData on a mismatch between Content-Type and where the @context is

test('001_06_01 Create One Entity Containing A JSON-LD @context With A JSON Content Type', async (broker) => {
  const res = await broker.createEntity(
    'building-simple-attributes.jsonld',
    newId(ID_PREFIX.Building),
    JSON_TYPE,
  );
  expectProblem(res, 400, `${ERR}BadRequestData`);
});

// 001_07 The @context is obtained from the payload if the Content-Type is application/ld+json

test('001_07_01 Create One Entity Using A JSON-LD @context Obtained From The Request Payload With Ld Context', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  await broker.createEntity('building-simple-attributes.jsonld', id, LD_JSON);
  expectMember(bodyObject(await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT })), 'almostFull');
});

test('001_07_02 Create One Entity Using A JSON-LD @context Obtained From The Request Payload Without Context', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  await broker.createEntity('building-simple-attributes.jsonld', id, LD_JSON);
  expectMember(bodyObject(await broker.retrieveEntity(id)), 'https://ngsi-ld-test-suite/context#almostFull');
});

test('001_08_01 Create One Entity Not Containing A JSON-LD @context With A JSON-LD Content Type', async (broker) => {
  const res = await broker.createEntity(
    'building-simple-attributes.json',
    newId(ID_PREFIX.Building),
    LD_JSON,
  );
  expectProblem(res, 400, `${ERR}BadRequestData`);
});

test('001_09_01 Create One Entity With A Link Header And A JSON-LD Content Type', async (broker) => {
  const res = await broker.createEntity(
    'building-simple-attributes.jsonld',
    newId(ID_PREFIX.Building),
    LD_JSON,
    {
      context: TEST_SUITE_CONTEXT,
    },
  );
  expectProblem(res, 400, `${ERR}BadRequestData`);
});

// 001_10 .. 001_15 Create entities with LanguageProperty, scopes, observation/operation spaces,
// JsonProperty and VocabProperty, then retrieve them unchanged

async function createAndRetrieveWithContext(
  broker: Broker,
  file: string,
  contentType: string,
  accept = contentType,
) {
  const id = newId(ID_PREFIX.Building);
  const res = await broker.createEntity(file, id, contentType);
  expectStatus(res, 201);
  expectLocationContaining(res, id);
  const context = contentType === LD_JSON ? TEST_SUITE_CONTEXT : undefined;
  const retrieved = await broker.retrieveEntity(id, { accept, context });
  expectNoDiff(loadPayload(`entities/${file}`, id), bodyObject(retrieved));
  return res;
}

test('001_10_01 EntityWithLanguageProperty', async (broker) => {
  expectEmptyBody(await createAndRetrieveWithContext(broker, 'building-language-property.jsonld', LD_JSON));
});

test('001_11_01 EntityWithOneScope', async (broker) => {
  expectEmptyBody(
    await createAndRetrieveWithContext(broker, 'building-minimal-with-one-scope.json', JSON_TYPE),
  );
});

test('001_11_02 EntityWithManyScopes', async (broker) => {
  expectEmptyBody(
    await createAndRetrieveWithContext(broker, 'building-minimal-with-many-scopes.json', JSON_TYPE),
  );
});

test('001_12 Create Entity With observationSpace Geospatial Property', async (broker) => {
  expectEmptyBody(
    await createAndRetrieveWithContext(broker, 'building-observation-space-geoproperty.jsonld', LD_JSON),
  );
});

test('001_13 Create Entity With operationSpace Geospatial Property', async (broker) => {
  expectEmptyBody(
    await createAndRetrieveWithContext(broker, 'building-operation-space-geoproperty.jsonld', LD_JSON),
  );
});

test('001_14_01 EntityWithJsonPropertyAsObject', async (broker) => {
  await createAndRetrieveWithContext(broker, 'building-json-property-object.jsonld', LD_JSON);
});

test('001_14_02 EntityWithJsonPropertyAsArray', async (broker) => {
  await createAndRetrieveWithContext(broker, 'building-json-property-array.jsonld', LD_JSON);
});

test('001_15_01 EntityWithVocabPropertyAsString', async (broker) => {
  await createAndRetrieveWithContext(broker, 'building-vocab-property-string.jsonld', LD_JSON);
});

test('001_15_02 EntityWithVocabPropertyAsArray', async (broker) => {
  await createAndRetrieveWithContext(broker, 'building-vocab-property-array.jsonld', LD_JSON);
});

// 002 Delete entity

test('002_01_01 Delete An Entity', async (broker) => {
  const id = newId(ID_PREFIX.Building);
  expectStatus(await broker.createEntity('building-simple-attributes.jsonld', id, LD_JSON), 201);
  const res = await broker.deleteEntity(id);
  expectStatus(res, 204);
  expectEmptyBody(res);
  expectStatus(await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT }), 404);
});

test('002_02_01 Delete An Entity If The Entity Id Is Not A Valid URI', async (broker) => {
  expectProblem(await broker.deleteEntity('thisisaninvaliduri'), 400, `${ERR}BadRequestData`);
});

test('002_03_01 Delete An Entity With An Id Not Known To The System', async (broker) => {
  expectProblem(await broker.deleteEntity(newId(ID_PREFIX.Building)), 404, `${ERR}ResourceNotFound`);
});

// 054 Replace entity

async function createBuilding(broker: Broker, file = 'building-simple-attributes.json'): Promise<string> {
  const id = newId(ID_PREFIX.Building);
  expectStatus(await broker.createEntity(file, id, JSON_TYPE, { context: TEST_SUITE_CONTEXT }), 201);
  return id;
}

test('054_01_01 Replace An Existing Entity', async (broker) => {
  const id = await createBuilding(broker);
  const before = await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT, options: 'sysAttrs' });
  const createdAt = bodyObject(before).createdAt;
  assert.ok(createdAt !== undefined, `no createdAt with options=sysAttrs: ${before.text}`);
  const replacement = loadPayload('entities/building-locatedAt-and-name.json', id);
  const res = await broker.replaceEntity(id, replacement, JSON_TYPE, TEST_SUITE_CONTEXT);
  expectStatus(res, 204);
  expectEmptyBody(res);
  const after = bodyObject(
    await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT, options: 'sysAttrs' }),
  );
  const expected = loadPayload('entities/expectations/building-locatedAt-and-name-normalized.jsonld', id);
  expectNoDiff(expected, after, { exclude: ['@context', 'createdAt', 'modifiedAt'] });
  expectMember(after, 'createdAt', createdAt);
});

async function replaceWithFaultyId(broker: Broker, faultyId: string, status: number) {
  await createBuilding(broker);
  const replacement = loadPayload('entities/building-locatedAt-and-name.json', faultyId);
  expectStatus(await broker.replaceEntity(faultyId, replacement, JSON_TYPE, TEST_SUITE_CONTEXT), status);
}

test('054_02_01 Replace An Existing Entity Giving An Invalid Id', (broker) =>
  replaceWithFaultyId(broker, 'invalidUri', 400));

test('054_02_02 Replace An Existing Entity Without Giving An Id', (broker) =>
  replaceWithFaultyId(broker, '', 400));

test('054_02_03 Replace An Existing Entity Giving A Nonexistent Id', (broker) =>
  replaceWithFaultyId(broker, 'urn:ngsi-ld:Building:Nonexistent', 404));

test('054_03_01 Replace An Existing Entity Having Scopes', async (broker) => {
  const id = await createBuilding(broker, 'building-minimal-with-one-scope.json');
  const replacement = loadPayload('entities/building-minimal-with-many-scopes.json', id);
  const res = await broker.replaceEntity(id, replacement, JSON_TYPE, TEST_SUITE_CONTEXT);
  expectStatus(res, 204);
  expectEmptyBody(res);
  const after = await broker.retrieveEntity(id, { accept: JSON_TYPE, context: TEST_SUITE_CONTEXT });
  expectEntity('building-minimal-with-two-scopes.json', id, bodyObject(after));
});

// 056 Merge entity

async function mergeAndCheck(broker: Broker, created: string, fragment: string, expectation: string) {
  const id = newId(ID_PREFIX.Building);
  expectStatus(await broker.createEntity(created, id, LD_JSON), 201);
  const res = await broker.mergeEntity(id, fragment, LD_JSON);
  expectStatus(res, 204);
  expectEmptyBody(res);
  const after = await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT, accept: LD_JSON });
  expectEntity(expectation, id, bodyObject(after));
}

const MERGE_DATA = 'merge/building-merge-data.jsonld';

test('056_01_01 MergeAnEmptyEntity', (broker) =>
  mergeAndCheck(broker, MERGE_DATA, 'building-minimal.jsonld', 'merge/building-non-edited.jsonld'));

test('056_01_02 MergeSimpleProperties', (broker) =>
  mergeAndCheck(
    broker,
    MERGE_DATA,
    'building-simple-attributes-second.jsonld',
    'merge/building-attributes-edited.jsonld',
  ));

test('056_01_03 MergeSimpleRelationship', (broker) =>
  mergeAndCheck(
    broker,
    MERGE_DATA,
    'building-relationship.jsonld',
    'merge/building-with-relationship.jsonld',
  ));

test('056_01_04 MergePropertyWithPartialData', (broker) =>
  mergeAndCheck(
    broker,
    MERGE_DATA,
    'merge/building-only-airQualityLevel-value.jsonld',
    'merge/building-with-changed-airQualityLevel.jsonld',
  ));

async function mergeWithFaultyId(broker: Broker, faultyId: string, status: number) {
  await createBuilding(broker);
  expectStatus(
    await broker.mergeEntity(faultyId, 'building-locatedAt-and-name.json', JSON_TYPE, TEST_SUITE_CONTEXT),
    status,
  );
}

test('056_02_01 Merge An Existing Entity Giving An Invalid Id', (broker) =>
  mergeWithFaultyId(broker, 'invalidUri', 400));

test('056_02_02 Merge An Existing Entity Without Giving An Id', (broker) =>
  mergeWithFaultyId(broker, '', 400));

test('056_02_03 Merge An Existing Entity Giving A Nonexistent Id', (broker) =>
  mergeWithFaultyId(broker, 'urn:ngsi-ld:Building:Nonexistent', 404));

// 056_03 .. 056_05 Delete attributes (all, one datasetId, the default instance) with NGSI-LD Null

const NULL_CASES = [
  ['property', 'Property'],
  ['relationship', 'Relationship'],
  ['geoproperty', 'GeoProperty'],
  ['languageproperty', 'LanguageProperty'],
] as const;

NULL_CASES.forEach(([kind, label], i) => {
  test(`056_03_0${i + 1} Delete A ${label}`, (broker) =>
    mergeAndCheck(
      broker,
      'building-different-attributes-types.jsonld',
      `fragmentEntities/ngsild-null/building-null-${kind}.jsonld`,
      `ngsild-null/building-deleted-${kind}.jsonld`,
    ));
});

NULL_CASES.forEach(([kind, label], i) => {
  test(`056_04_0${i + 1} Delete A ${label} Instance`, (broker) =>
    mergeAndCheck(
      broker,
      'building-different-attributes-instances-and-types.jsonld',
      `fragmentEntities/ngsild-null/building-null-${kind}-instance.jsonld`,
      `ngsild-null/building-deleted-${kind}-instance.jsonld`,
    ));
});

NULL_CASES.forEach(([kind, label], i) => {
  test(`056_05_0${i + 1} Delete A ${label} Instance`, (broker) =>
    mergeAndCheck(
      broker,
      'building-different-default-attributes-instances-and-types.jsonld',
      `fragmentEntities/ngsild-null/building-null-${kind}.jsonld`,
      `ngsild-null/building-deleted-${kind}-default-instance.jsonld`,
    ));
});
