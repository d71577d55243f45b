/**
 * ETSI NGSI-LD conformance, Provision/BatchEntities: batch create (003), upsert (004), update
 * (005), delete (006) and merge (057).
 */

import {
  type Broker,
  batchError,
  body,
  bodyArray,
  bodyObject,
  etsiSuite,
  expectBatchResult,
  expectEmptyBody,
  expectEntityList,
  expectIds,
  expectMember,
  expectNoDiff,
  expectProblem,
  expectProblemType,
  expectStatus,
  ID_PREFIX,
  type Json,
  type JsonObject,
  loadPayload,
  newId,
  TEST_SUITE_CONTEXT,
} from './etsi.ts';
import { JSON_TYPE, LD_JSON } from './etsi-client.ts';

const test = etsiSuite({ isolation: 'file' });

const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';

function buildings(file: string, count: number): { ids: string[]; entities: JsonObject[] } {
  const ids = Array.from({ length: count }, () => newId(ID_PREFIX.Building));
  return { ids, entities: ids.map((id) => loadPayload(`entities/${file}`, id)) };
}

async function createBuildings(broker: Broker, file: string, count: number): Promise<string[]> {
  const { ids } = buildings(file, count);
  for (const id of ids) expectStatus(await broker.createEntity(file, id, LD_JSON), 201);
  return ids;
}

/** `Query Entities` by ids and type Building, as JSON-LD with the suite's context. */
async function queryBuildings(broker: Broker, ids: readonly string[]) {
  return broker.queryEntities({
    id: ids.join(','),
    type: 'Building',
    context: TEST_SUITE_CONTEXT,
    accept: LD_JSON,
  });
}

/** `Check Created/Updated Resources Set To`: the stored entities equal the given ones, by id. */
async function expectStoredBuildings(broker: Broker, ids: readonly string[], expected: Json[]) {
  const res = await queryBuildings(broker, ids);
  expectStatus(res, 200);
  expectNoDiff(expected, body(res), { groupById: true });
}

/** `Upsert Element In Entity`: the fragment's members set on the entity. */
function upsertElement(entity: JsonObject, fragment: string): JsonObject {
  return { ...entity, ...loadPayload(`entities/${fragment}`) };
}

// 003 Batch create

for (const [name, file] of [
  ['003_01_01 MinimalEntity', 'building-minimal.jsonld'],
  ['003_01_02 EntityWithSimpleProperties', 'building-simple-attributes.jsonld'],
  ['003_01_03 EntityWithSimpleRelationships', 'building-relationship.jsonld'],
  ['003_01_04 EntityWithRelationshipsProperties', 'building-relationship-of-property.jsonld'],
] as const) {
  test(name, async (broker) => {
    const { ids, entities } = buildings(file, 2);
    const res = await broker.batchCreate(entities);
    expectStatus(res, 201);
    expectIds(body(res), ids);
    await expectStoredBuildings(broker, ids, entities);
  });
}

test('003_02_01 Create A Batch Of Two Valid Entities And One Invalid Entity', async (broker) => {
  const [existing] = await createBuildings(broker, 'building-minimal.jsonld', 1);
  const { ids, entities } = buildings('building-minimal.jsonld', 2);
  const res = await broker.batchCreate([
    ...entities,
    loadPayload('entities/building-minimal.jsonld', existing),
  ]);
  expectStatus(res, 207);
  expectBatchResult(res, ids, [existing]);
  await expectStoredBuildings(broker, ids, entities);
});

test('003_03_01 InvalidJson', async (broker) => {
  expectProblem(
    await broker.batchFromFile('create', 'batch/invalid-json.jsonld'),
    400,
    `${ERR}InvalidRequest`,
  );
});

test('003_03_02 EmptyJson', async (broker) => {
  expectProblem(await broker.batchFromFile('create', 'batch/empty.jsonld'), 400, `${ERR}BadRequestData`);
});

async function batchCreateOne(broker: Broker, file: string, contentType: string, context?: string) {
  const id = newId(ID_PREFIX.Building);
  const res = await broker.batchCreate([loadPayload(`entities/${file}`, id)], { contentType, context });
  return { id, res };
}

test('003_04_01 Create A Batch Of One Entity Using A Provided Link Header With JSON Content Type And Retrieve The Entity With Context Detail', async (broker) => {
  const { id, res } = await batchCreateOne(
    broker,
    'building-simple-attributes.json',
    JSON_TYPE,
    TEST_SUITE_CONTEXT,
  );
  expectStatus(res, 201);
  expectMember(bodyObject(await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT })), 'almostFull');
});

test('003_04_02 Create A Batch Of One Entity Using A Provided Link Header With JSON Content Type And Retrieve The Entity Without Context Detail', async (broker) => {
  const { id, res } = await batchCreateOne(
    broker,
    'building-simple-attributes.json',
    JSON_TYPE,
    TEST_SUITE_CONTEXT,
  );
  expectStatus(res, 201);
  expectMember(bodyObject(await broker.retrieveEntity(id)), 'https://ngsi-ld-test-suite/context#almostFull');
});

test('003_05_01 Create A Batch Of One Entity Using The Default Context With JSON Content Type', async (broker) => {
  const { id, res } = await batchCreateOne(broker, 'building-simple-attributes.json', JSON_TYPE);
  expectStatus(res, 201);
  expectMember(bodyObject(await broker.retrieveEntity(id)), 'almostFull');
});

// The suite gives 003_05_01 and 003_05_02 the same name; they differ in the retrieval context.
test('003_05_02 Create A Batch Of One Entity Using The Default Context With JSON Content Type', async (broker) => {
  const { id, res } = await batchCreateOne(broker, 'building-simple-attributes.json', JSON_TYPE);
  expectStatus(res, 201);
  const retrieved = await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT });
  expectMember(bodyObject(retrieved), 'ngsi-ld:default-context/almostFull');
});

test('003_06_01 Create A Batch Of One Entity Containing A JSON-LD @context With A JSON Content Type', async (broker) => {
  const { res } = await batchCreateOne(broker, 'building-simple-attributes.jsonld', JSON_TYPE);
  expectStatus(res, 207);
  expectProblemType(batchError(res, 0), `${ERR}BadRequestData`, res);
});

test('003_07_01 Create A Batch Of One Entity Using A JSON-LD @context Obtained From The Request Payload', async (broker) => {
  const { id, res } = await batchCreateOne(broker, 'building-simple-attributes.jsonld', LD_JSON);
  expectStatus(res, 201);
  expectMember(bodyObject(await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT })), 'almostFull');
});

test('003_07_02 Create A Batch Of One Entity Using A JSON-LD @context Obtained From The Request Payload', async (broker) => {
  const { id, res } = await batchCreateOne(broker, 'building-simple-attributes.jsonld', LD_JSON);
  expectStatus(res, 201);
  expectMember(bodyObject(await broker.retrieveEntity(id)), 'https://ngsi-ld-test-suite/context#almostFull');
});

test('003_08_01 Create A Batch Of One Entity Not Containing A JSON-LD @context With A JSON-LD Content Type', async (broker) => {
  const { res } = await batchCreateOne(broker, 'building-simple-attributes.json', LD_JSON);
  expectStatus(res, 207);
  expectProblemType(batchError(res, 0), `${ERR}BadRequestData`, res);
});

test('003_09_01 Create A Batch Of One Entity With A Link Header And A JSON-LD Content Type', async (broker) => {
  const { res } = await batchCreateOne(
    broker,
    'building-simple-attributes.jsonld',
    LD_JSON,
    TEST_SUITE_CONTEXT,
  );
  expectProblem(res, 400, `${ERR}BadRequestData`);
});

test('003_10_01 Create A Batch Of Three Valid Entities Where Two Have The Same Id', async (broker) => {
  const { ids, entities } = buildings('building-minimal.jsonld', 2);
  const res = await broker.batchCreate([entities[0], entities[1], entities[0]]);
  expectStatus(res, 207);
  expectBatchResult(res, ids, [ids[0]]);
});

// 004 Batch upsert

const UPSERT_FILES = [
  ['EntityWithSimpleProperties', 'building-simple-attributes.jsonld'],
  ['EntityWithSimpleRelationships', 'building-relationship.jsonld'],
  ['EntityWithRelationshipsProperties', 'building-relationship-of-property.jsonld'],
] as const;

UPSERT_FILES.forEach(([label, file], i) => {
  test(`004_01_0${i + 1} ${label}`, async (broker) => {
    const { ids, entities } = buildings(file, 2);
    const res = await broker.batchUpsert(entities);
    expectStatus(res, 201);
    expectIds(body(res), ids);
    await expectStoredBuildings(broker, ids, entities);
  });
});

UPSERT_FILES.forEach(([label, file], i) => {
  test(`004_02_0${i + 1} ${label}`, async (broker) => {
    const existing = await createBuildings(broker, 'building-minimal.jsonld', 2);
    const fresh = newId(ID_PREFIX.Building);
    const ids = [fresh, ...existing];
    const entities = ids.map((id) => loadPayload(`entities/${file}`, id));
    const res = await broker.batchUpsert(entities);
    expectStatus(res, 201);
    expectIds(body(res), [fresh]);
    await expectStoredBuildings(broker, ids, entities);
  });
});

for (const [name, file] of [
  ...UPSERT_FILES.map(([label, file], i) => [`004_03_0${i + 1} ${label}`, file] as const),
  ['004_03_04 EntityWithScope', 'building-with-one-scope.jsonld'],
  ['004_03_05 EntityWithTypes', 'building-with-two-types.jsonld'],
  ['004_08_01 EntityWithNewTypes', 'building-minimal-with-new-types.jsonld'],
] as const) {
  test(name, async (broker) => {
    const ids = await createBuildings(broker, 'building-minimal.jsonld', 2);
    const entities = ids.map((id) => loadPayload(`entities/${file}`, id));
    const res = await broker.batchUpsert(entities);
    expectStatus(res, 204);
    expectEmptyBody(res);
    await expectStoredBuildings(broker, ids, entities);
  });
}

const UPDATE_FRAGMENTS = [
  'fragmentEntities/simple-attributes-fragment.json',
  'fragmentEntities/locatedAt-fragment.json',
  'fragmentEntities/simple-attributes-relationship-of-property-fragment.json',
] as const;

UPSERT_FILES.forEach(([label, file], i) => {
  test(`004_04_0${i + 1} ${label}`, async (broker) => {
    const [existing] = await createBuildings(broker, 'building-minimal.jsonld', 1);
    const fresh = newId(ID_PREFIX.Building);
    const freshEntity = loadPayload(`entities/${file}`, fresh);
    const res = await broker.batchUpsert([freshEntity, loadPayload(`entities/${file}`, existing)], 'update');
    expectStatus(res, 201);
    expectIds(body(res), [fresh]);
    const updated = upsertElement(
      loadPayload('entities/building-minimal.jsonld', existing),
      UPDATE_FRAGMENTS[i],
    );
    await expectStoredBuildings(broker, [existing, fresh], [freshEntity, updated]);
  });
});

test('004_05_01 Upsert A Batch Of Two Valid Entities And One Invalid Entity', async (broker) => {
  const { ids, entities } = buildings('building-minimal.jsonld', 3);
  const { type: _type, ...invalid } = entities[2];
  const res = await broker.batchUpsert([entities[0], entities[1], invalid]);
  expectStatus(res, 207);
  expectBatchResult(res, ids.slice(0, 2), [ids[2]]);
  await expectStoredBuildings(broker, ids.slice(0, 2), entities.slice(0, 2));
});

test('004_06_01 InvalidJson', async (broker) => {
  expectProblem(
    await broker.batchFromFile('upsert', 'batch/invalid-json.jsonld'),
    400,
    `${ERR}InvalidRequest`,
  );
});

test('004_06_02 InvalidJsonLd', async (broker) => {
  const res = await broker.batchFromFile('upsert', 'batch/invalid-json-ld.jsonld');
  expectStatus(res, 207);
  expectProblemType(batchError(res, 0), `${ERR}BadRequestData`, res);
});

test('004_07_01 Upsert A Batch Of Three Valid Entities Where Two Have The Same Id', async (broker) => {
  const { ids, entities } = buildings('building-minimal.jsonld', 2);
  const res = await broker.batchUpsert([entities[0], entities[1], entities[0]]);
  expectStatus(res, 201);
  expectIds(body(res), ids);
});

// 005 Batch update

const SIMPLE = 'building-simple-attributes.jsonld';

async function updateAndCheck(
  broker: Broker,
  file: string,
  fragment: string,
  status: number,
  option?: string,
) {
  const ids = await createBuildings(broker, SIMPLE, 2);
  const res = await broker.batchUpdate(
    ids.map((id) => loadPayload(`entities/${file}`, id)),
    option,
  );
  expectStatus(res, status);
  if (status === 204) expectEmptyBody(res);
  const expected = ids.map((id) => upsertElement(loadPayload(`entities/${SIMPLE}`, id), fragment));
  await expectStoredBuildings(broker, ids, expected);
}

test('005_01_01 EntityWithSimpleProperties', (broker) =>
  updateAndCheck(broker, SIMPLE, 'fragmentEntities/empty-fragment.json', 204));

test('005_01_02 EntityWithSimpleRelationships', (broker) =>
  updateAndCheck(broker, 'building-relationship.jsonld', 'fragmentEntities/locatedAt-fragment.json', 204));

test('005_01_03 EntityWithRelationshipsProperties', (broker) =>
  updateAndCheck(
    broker,
    'building-relationship-of-property.jsonld',
    'fragmentEntities/airQualityLevel-with-relationship-fragment.json',
    204,
  ));

test('005_02_01 EntityWithExistingAttributes', (broker) =>
  updateAndCheck(broker, SIMPLE, 'fragmentEntities/empty-fragment.json', 207, 'noOverwrite'));

test('005_02_02 EntityWithNewAttribute', (broker) =>
  updateAndCheck(
    broker,
    'building-relationship.jsonld',
    'fragmentEntities/locatedAt-fragment.json',
    204,
    'noOverwrite',
  ));

test('005_02_03 EntityWithNewAndExistingAttribute', (broker) =>
  updateAndCheck(
    broker,
    'building-location-attribute.jsonld',
    'fragmentEntities/location-fragment.json',
    207,
    'noOverwrite',
  ));

test('005_03_01 Update A Batch Of Non-existing And Existing Entities', async (broker) => {
  const existing = await createBuildings(broker, SIMPLE, 2);
  const fresh = newId(ID_PREFIX.Building);
  const file = 'entities/building-relationship-of-property.jsonld';
  const res = await broker.batchUpdate([...existing, fresh].map((id) => loadPayload(file, id)));
  expectStatus(res, 207);
  expectBatchResult(res, existing, [fresh]);
  const fragment = 'fragmentEntities/simple-attributes-relationship-of-property-fragment.json';
  const expected = existing.map((id) => upsertElement(loadPayload(`entities/${SIMPLE}`, id), fragment));
  await expectStoredBuildings(broker, existing, expected);
});

test('005_04_01 InvalidJson', async (broker) => {
  expectProblem(
    await broker.batchFromFile('update', 'batch/invalid-json.jsonld'),
    400,
    `${ERR}InvalidRequest`,
  );
});

test('005_04_02 InvalidJsonLd', async (broker) => {
  const res = await broker.batchFromFile('update', 'batch/invalid-json-ld.jsonld');
  expectStatus(res, 207);
  expectProblemType(batchError(res, 0), `${ERR}BadRequestData`, res);
});

test('005_05_01 EntityWithNewType', async (broker) => {
  const ids = await createBuildings(broker, 'building-minimal.jsonld', 2);
  const res = await broker.batchUpdate(
    ids.map((id) => loadPayload('entities/building-minimal-with-new-type.jsonld', id)),
  );
  expectStatus(res, 204);
  expectEmptyBody(res);
  const fragment = 'fragmentEntities/building-two-types-fragment.jsonld';
  const expected = ids.map((id) =>
    upsertElement(loadPayload('entities/building-minimal.jsonld', id), fragment),
  );
  await expectStoredBuildings(broker, ids, expected);
});

// 006 Batch delete

test('006_01_01 Delete A Batch Of Entities', async (broker) => {
  const ids = await createBuildings(broker, SIMPLE, 2);
  const res = await broker.batchDelete(ids);
  expectStatus(res, 204);
  expectEmptyBody(res);
  const query = await broker.queryEntities({
    id: ids.join(','),
    type: 'Building',
    context: TEST_SUITE_CONTEXT,
  });
  expectNoDiff([], body(query));
});

test('006_02_01 Delete A Batch Of Non-existing And Existing Entities', async (broker) => {
  const [existing] = await createBuildings(broker, SIMPLE, 1);
  const fresh = newId(ID_PREFIX.Building);
  const res = await broker.batchDelete([existing, fresh]);
  expectStatus(res, 207);
  expectBatchResult(res, [existing], [fresh]);
  const query = await broker.queryEntities({ id: existing, type: 'Building', context: TEST_SUITE_CONTEXT });
  expectNoDiff([], body(query));
});

test('006_03_01 InvalidJson', async (broker) => {
  expectProblem(
    await broker.batchFromFile('delete', 'batch/invalid-json.jsonld'),
    400,
    `${ERR}InvalidRequest`,
  );
});

test('006_03_02 EmptyJson', async (broker) => {
  expectProblem(await broker.batchFromFile('delete', 'batch/empty.jsonld'), 400, `${ERR}BadRequestData`);
});

test('006_04_01 Delete A Batch Of Existing Entities With The Same Id', async (broker) => {
  const [id] = await createBuildings(broker, SIMPLE, 1);
  const res = await broker.batchDelete([id, id]);
  expectStatus(res, 207);
  expectBatchResult(res, [id], [id]);
});

// 057 Batch merge

for (const [name, file, expectation] of [
  ['057_01_01 MergeAnEmptyEntity', 'building-minimal.jsonld', 'two-buildings-non-edited.jsonld'],
  [
    '057_01_02 MergeSimpleProperties',
    'building-simple-attributes-second.jsonld',
    'two-buildings-attributes-edited.jsonld',
  ],
  [
    '057_01_03 MergeSimpleRelationship',
    'building-relationship.jsonld',
    'two-buildings-with-relationship.jsonld',
  ],
  [
    '057_01_04 MergePropertyWithPartialData',
    'merge/building-only-airQualityLevel-value.jsonld',
    'two-buildings-with-changed-airQualityLevel.jsonld',
  ],
] as const) {
  test(name, async (broker) => {
    const ids = await createBuildings(broker, 'merge/building-merge-data.jsonld', 2);
    const res = await broker.batchMerge(ids.map((id) => loadPayload(`entities/${file}`, id)));
    expectStatus(res, 204);
    expectEmptyBody(res);
    const query = await queryBuildings(broker, ids);
    expectEntityList(`batch-merge/${expectation}`, ids, bodyArray(query), { ignoreCoreContextVersion: true });
  });
}

test('057_02_01 Merge A Batch Should Succeed For Existing Entities And Fail For Non Existing One By Returning 207 Status', async (broker) => {
  const existing = await createBuildings(broker, SIMPLE, 2);
  const fresh = newId(ID_PREFIX.Building);
  const file = 'entities/building-relationship-of-property.jsonld';
  const res = await broker.batchMerge([...existing, fresh].map((id) => loadPayload(file, id)));
  expectStatus(res, 207);
  expectBatchResult(res, existing, [fresh]);
  const fragment = 'fragmentEntities/simple-attributes-relationship-of-property-fragment.json';
  const expected = existing.map((id) => upsertElement(loadPayload(`entities/${SIMPLE}`, id), fragment));
  await expectStoredBuildings(broker, existing, expected);
});

test('057_03_01 InvalidJson', async (broker) => {
  expectProblem(
    await broker.batchFromFile('merge', 'batch/invalid-json.jsonld'),
    400,
    `${ERR}InvalidRequest`,
  );
});

test('057_03_02 InvalidJsonLd', async (broker) => {
  const res = await broker.batchFromFile('merge', 'batch/invalid-json-ld.jsonld');
  expectStatus(res, 207);
  expectProblemType(batchError(res, 0), `${ERR}BadRequestData`, res);
});
