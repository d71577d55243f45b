/**
 * ETSI NGSI-LD conformance, Provision/EntityAttributes: append (010), update (011), partial
 * update (012), delete (013) and replace (055) entity attributes.
 */
import assert from 'node:assert/strict';
import {
  type Broker,
  bodyObject,
  etsiSuite,
  expectEmptyBody,
  expectEntity,
  expectNoDiff,
  expectProblem,
  expectStatus,
  expectUpdateResult,
  ID_PREFIX,
  isJsonObject,
  type Json,
  type JsonObject,
  loadPayload,
  newId,
  TEST_SUITE_CONTEXT,
} from './etsi.ts';
import { JSON_TYPE, LD_JSON } from './etsi-client.ts';

const test = etsiSuite({ isolation: 'file' });

const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';

async function createVehicle(broker: Broker, file: string, contentType = LD_JSON, context?: string) {
  const id = newId(ID_PREFIX.Vehicle);
  expectStatus(await broker.createEntity(file, id, contentType, { context }), 201);
  return id;
}

async function createBuilding(broker: Broker, file: string, contentType = LD_JSON, context?: string) {
  const id = newId(ID_PREFIX.Building);
  expectStatus(await broker.createEntity(file, id, contentType, { context }), 201);
  return id;
}

/** `Check Updated Resource Set To` an expectation file (top-level id set), optional ignored paths. */
async function expectStored(
  broker: Broker,
  id: string,
  expectation: string,
  opts: { accept?: string; context?: string; exclude?: string[] } = {},
) {
  const res = await broker.retrieveEntity(id, {
    accept: opts.accept ?? LD_JSON,
    context: opts.context ?? TEST_SUITE_CONTEXT,
  });
  expectNoDiff(loadPayload(`entities/${expectation}`, id), bodyObject(res), { exclude: opts.exclude });
}

// 010 Append entity attributes

test('010_01_01 Append Entity Attributes', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const res = await broker.appendAttributes(id, 'vehicle-new-attribute-fragment.jsonld', LD_JSON);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/vehicle-speed-appended.jsonld');
});

test('010_01_02 Append Entity Attributes With Different Datasetid', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const res = await broker.appendAttributes(id, 'vehicle-speed-different-datasetid-fragment.jsonld', LD_JSON);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/vehicle-speed-different-datasetid.jsonld');
});

async function appendWithInvalidId(broker: Broker, invalidId: string) {
  await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const res = await broker.appendAttributes(invalidId, 'vehicle-attribute-to-add-fragment.jsonld', LD_JSON);
  expectProblem(res, 400, `${ERR}BadRequestData`);
}

test('010_02_01 Append Entity Attributes If The Entity Id Is Not Present', (broker) =>
  appendWithInvalidId(broker, ''));

test('010_02_02 Append Entity Attributes If The Entity Id Is Not A Valid URI', (broker) =>
  appendWithInvalidId(broker, 'thisisaninvaliduri'));

test('010_03_01 Append Entity Attributes When The Entity Id Is Not Known To The System', async (broker) => {
  const res = await broker.appendAttributes(
    newId(ID_PREFIX.Vehicle),
    'vehicle-attribute-to-add-fragment.jsonld',
    LD_JSON,
  );
  expectProblem(res, 404, `${ERR}ResourceNotFound`);
});

test('010_04_01 Append Entity Attributes And Ignore Existing Multi-attribute Instance', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const res = await broker.appendAttributes(
    id,
    'vehicle-attribute-to-add-fragment.jsonld',
    LD_JSON,
    'noOverwrite',
  );
  expectStatus(res, 207);
  expectUpdateResult(
    res,
    ['https://uri.etsi.org/ngsi-ld/default-context/attribute_to_be_added'],
    ['https://ngsi-ld-test-suite/context#speed'],
  );
  await expectStored(broker, id, 'expectations/vehicle-speed-appended.jsonld', { exclude: ['@context'] });
});

test('010_04_02 Append Entity Attributes With A New Multi-attribute Instance', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const fragment = 'vehicle-speed-different-datasetid-fragment.jsonld';
  expectStatus(await broker.appendAttributes(id, fragment, LD_JSON, 'noOverwrite'), 204);
  await expectStored(broker, id, 'expectations/vehicle-speed-different-datasetid.jsonld', {
    exclude: ['@context'],
  });
});

test('010_05_01 Append Entity Attributes With Invalid Entity Fragments', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  expectProblem(
    await broker.appendAttributes(id, 'invalid-fragment.jsonld', LD_JSON),
    400,
    `${ERR}InvalidRequest`,
  );
});

test('010_06_01 Append A LanguageProperty Property', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const res = await broker.appendAttributes(id, 'vehicle-new-language-property-fragment.jsonld', LD_JSON);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/vehicle-language-property-appended.jsonld');
});

test('010_07_01 Append Scope To An Entity With Overwrite Enabled', async (broker) => {
  const id = await createVehicle(
    broker,
    'building-minimal-with-one-scope.json',
    JSON_TYPE,
    TEST_SUITE_CONTEXT,
  );
  const res = await broker.appendAttributes(id, 'one-scope-fragment.json', JSON_TYPE);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/building-minimal-with-one-scope.json', { accept: JSON_TYPE });
});

test('010_07_01 Append Scope To An Entity With Overwrite Disabled', async (broker) => {
  const id = await createVehicle(
    broker,
    'building-minimal-with-one-scope.json',
    JSON_TYPE,
    TEST_SUITE_CONTEXT,
  );
  const res = await broker.appendAttributes(id, 'one-scope-fragment.json', JSON_TYPE, 'noOverwrite');
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/building-minimal-with-two-scopes.json', { accept: JSON_TYPE });
});

test('010_08 Append observationSpace Geospatial Property To An Entity', async (broker) => {
  const id = await createBuilding(broker, 'building-minimal.jsonld');
  const res = await broker.appendAttributes(id, 'observation-space-fragment.json', JSON_TYPE);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/building-observation-space-geoproperty-normalized.jsonld', {
    accept: JSON_TYPE,
  });
});

test('010_09 Append operationSpace Geospatial Property To An Entity', async (broker) => {
  const id = await createBuilding(broker, 'building-minimal.jsonld');
  const res = await broker.appendAttributes(id, 'operation-space-fragment.json', JSON_TYPE);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/building-operation-space-geoproperty-normalized.jsonld', {
    accept: JSON_TYPE,
  });
});

test('010_10_01 Append A JSON Property', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  expectStatus(await broker.appendAttributes(id, 'vehicle-new-json-property-fragment.jsonld', LD_JSON), 204);
  await expectStored(broker, id, 'expectations/vehicle-json-property-appended.jsonld');
});

test('010_11_01 Append A VocabProperty Property', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-minimal.jsonld');
  expectStatus(await broker.appendAttributes(id, 'vehicle-new-vocab-property-fragment.jsonld', LD_JSON), 204);
  await expectStored(broker, id, 'expectations/vehicle-vocab-property-appended.jsonld');
});

// 011 Update entity attributes

const UPDATE_CASES = [
  [
    '011_01_01 Check That One Can Update Existing Attributes With No datasetId',
    'vehicle-speed-two-datasetid-01-fragment.jsonld',
    'expectations/vehicle-update-attributes.jsonld',
  ],
  [
    '011_01_02 Check That One Can Update Existing Attributes With The datasetId',
    'vehicle-speed-two-datasetid-02-fragment.jsonld',
    'expectations/vehicle-update-datasetid-attributes.jsonld',
  ],
  [
    '011_01_03 Check That One Can Update Existing Attributes And Append Non-existing Attributes',
    'vehicle-speed-two-datasetid-03-fragment.jsonld',
    'expectations/vehicle-multi-attributes.jsonld',
  ],
  [
    '011_01_04 Check That One Can Change The Type Of An Existing Attribute',
    'vehicle-speed-two-datasetid-04-fragment.jsonld',
    'expectations/vehicle-update-attributes-new-attribute-type.jsonld',
  ],
] as const;

for (const [name, fragment, expectation] of UPDATE_CASES) {
  test(name, async (broker) => {
    const id = await createVehicle(broker, 'vehicle-two-datasetid-attributes.jsonld');
    const res = await broker.updateAttributes(id, fragment, LD_JSON);
    expectStatus(res, 204);
    expectEmptyBody(res);
    await expectStored(broker, id, expectation, { exclude: ['@context'] });
  });
}

async function updateWithInvalidId(broker: Broker, invalidId: string) {
  await createVehicle(broker, 'vehicle-two-datasetid-attributes.jsonld');
  const res = await broker.updateAttributes(
    invalidId,
    'vehicle-speed-two-datasetid-01-fragment.jsonld',
    LD_JSON,
  );
  expectProblem(res, 400, `${ERR}BadRequestData`);
}

test('011_02_01 Update An Attribute If The Entity Id Is Not Present', (broker) =>
  updateWithInvalidId(broker, ''));

test('011_02_02 Update An Attribute If The Entity Id Is Not A Valid URI', (broker) =>
  updateWithInvalidId(broker, 'thisisaninvaliduri'));

test('011_03_01 Update Entity Attributes When The Entity Id Is Not Known To The System', async (broker) => {
  const res = await broker.updateAttributes(
    newId(ID_PREFIX.Vehicle),
    'vehicle-speed-two-datasetid-01-fragment.jsonld',
    LD_JSON,
  );
  expectProblem(res, 404, `${ERR}ResourceNotFound`);
});

test('011_04_01 Update Entity Attributes With Invalid Entity Fragments', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  expectProblem(
    await broker.updateAttributes(id, 'invalid-fragment.jsonld', LD_JSON),
    400,
    `${ERR}InvalidRequest`,
  );
});

test('011_05_01 Update Scope To An Entity Already Having A Scope', async (broker) => {
  const id = await createVehicle(
    broker,
    'building-minimal-with-one-scope.json',
    JSON_TYPE,
    TEST_SUITE_CONTEXT,
  );
  const res = await broker.updateAttributes(id, 'one-scope-fragment.json', JSON_TYPE);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/building-minimal-with-one-scope.json', { accept: JSON_TYPE });
});

test('011_05_02 Update Scope To An Entity Not Having A Scope', async (broker) => {
  const id = await createVehicle(broker, 'building-minimal.json', JSON_TYPE, TEST_SUITE_CONTEXT);
  expectStatus(await broker.updateAttributes(id, 'one-scope-fragment.json', JSON_TYPE), 207);
  await expectStored(broker, id, 'expectations/building-minimal-compacted.json', { accept: JSON_TYPE });
});

const TYPE_CASES = [
  ['011_06_01 AppendOneType', 'type-vehicle-fragment.json', 'building-minimal-with-two-types.json'],
  ['011_06_02 AppendTwoTypes', 'types-vehicle-car-fragment.json', 'building-minimal-with-three-types.json'],
  ['011_06_03 AppendExistingType', 'type-building-fragment.json', 'building-minimal-compacted.json'],
  [
    '011_06_04 AppendOneTypeAndOneExisting',
    'type-vehicle-building-fragment.json',
    'building-minimal-with-two-types.json',
  ],
] as const;

for (const [name, fragment, expectation] of TYPE_CASES) {
  test(name, async (broker) => {
    const id = await createVehicle(broker, 'building-minimal.json', JSON_TYPE, TEST_SUITE_CONTEXT);
    const res = await broker.updateAttributes(id, fragment, LD_JSON);
    expectStatus(res, 204);
    expectEmptyBody(res);
    await expectStored(broker, id, `expectations/${expectation}`, { accept: JSON_TYPE });
  });
}

const NULL_CASES = [
  ['property', 'Property', 'name'],
  ['relationship', 'Relationship', 'locatedAt'],
  ['geoproperty', 'GeoProperty', 'location'],
  ['languageproperty', 'LanguageProperty', 'street'],
] as const;

/** Sets attributes to NGSI-LD Null and checks what is left, with every `id` of the expectation set. */
async function nullAndCheck(
  broker: Broker,
  created: string,
  apply: (id: string) => Promise<void>,
  expectation: string,
) {
  const id = await createVehicle(broker, created);
  await apply(id);
  const res = await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT, accept: LD_JSON });
  expectEntity(expectation, id, bodyObject(res));
}

const NULL_ENTITIES = [
  ['011_07', 'building-different-attributes-types.jsonld', '', ''],
  ['011_08', 'building-different-attributes-instances-and-types.jsonld', '-instance', '-instance'],
  ['011_09', 'building-different-default-attributes-instances-and-types.jsonld', '', '-default-instance'],
] as const;

for (const [tp, created, fragmentSuffix, expectationSuffix] of NULL_ENTITIES) {
  NULL_CASES.forEach(([kind, label], i) => {
    test(`${tp}_0${i + 1} Delete A ${label}`, (broker) =>
      nullAndCheck(
        broker,
        created,
        async (id) => {
          const res = await broker.updateAttributes(
            id,
            `ngsild-null/null-${kind}${fragmentSuffix}.jsonld`,
            LD_JSON,
          );
          expectStatus(res, 204);
          expectEmptyBody(res);
        },
        `ngsild-null/building-deleted-${kind}${expectationSuffix}.jsonld`,
      ));
  });
}

// 012 Partial attribute update

test('012_01_01 Check That One Can Partially Update An Attribute', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const res = await broker.partialUpdate(id, 'isParked', 'vehicle-isparked-fragment.jsonld', LD_JSON);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/vehicle-isparked-update.jsonld', { exclude: ['@context'] });
});

test('012_01_02 Check That One Can Partially Update An Attribute By Specifying The datasetId', async (broker) => {
  const id = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const res = await broker.partialUpdate(
    id,
    'speed',
    'vehicle-speed-equal-datasetid-fragment.jsonld',
    LD_JSON,
  );
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/vehicle-update-speed.jsonld', { exclude: ['@context'] });
});

async function partialUpdateInvalid(broker: Broker, target: string | undefined, fragment: string) {
  const validId = await createVehicle(broker, 'vehicle-two-datasetid-attributes.jsonld');
  const res = await broker.partialUpdate(target ?? validId, 'speed', fragment, LD_JSON);
  expectProblem(res, 400, `${ERR}BadRequestData`);
}

test('012_02_01 Make A Partial Attribute Update If The Entity Id Is Not Present', (broker) =>
  partialUpdateInvalid(broker, '', 'vehicle-speed-equal-datasetid-fragment.jsonld'));

test('012_02_02 Make A Partial Attribute Update If The Entity Id Is Not A Valid URI', (broker) =>
  partialUpdateInvalid(broker, 'thisisaninvaliduri', 'vehicle-speed-equal-datasetid-fragment.jsonld'));

test('012_02_03 Make A Partial Attribute Update If The Attribute Type Does Not Match', (broker) =>
  partialUpdateInvalid(broker, undefined, 'vehicle-speed-equal-datasetid-different-type-fragment.jsonld'));

test('012_02_04 Make A Partial Attribute Update If The Entity Fragment Is Empty', (broker) =>
  partialUpdateInvalid(broker, undefined, 'empty-fragment.json'));

async function partialUpdateNotFound(broker: Broker, unknownEntity: boolean, attr: string, fragment: string) {
  const validId = await createVehicle(broker, 'vehicle-speed-two-datasetid.jsonld');
  const target = unknownEntity ? newId(ID_PREFIX.Vehicle) : validId;
  expectProblem(await broker.partialUpdate(target, attr, fragment, LD_JSON), 404, `${ERR}ResourceNotFound`);
}

test('012_03_01 Partial Update When The Entity Id Is Not Known To The System', (broker) =>
  partialUpdateNotFound(broker, true, 'speed', 'vehicle-isparked-fragment.jsonld'));

test('012_03_02 Partial Update When No Default Instance And No datasetId Specified', (broker) =>
  partialUpdateNotFound(broker, false, 'speed', 'vehicle-speed-no-datasetid-fragment.jsonld'));

test('012_03_03 Partial Update When No Instance With The datasetId Specified', (broker) =>
  partialUpdateNotFound(broker, false, 'speed', 'vehicle-speed-unknown-datasetid-fragment.jsonld'));

test('012_03_04 Partial Update When The Attribute Name Does Not Exist In The Entity', (broker) =>
  partialUpdateNotFound(broker, false, 'isParked2', 'vehicle-isparked-fragment.jsonld'));

test('012_04_01 Check That One Can Partially Update A LanguageProperty Property', async (broker) => {
  const id = await createVehicle(broker, 'building-language-property-sub-property.jsonld');
  const res = await broker.partialUpdate(id, 'street', 'building-language-property-fragment.jsonld', LD_JSON);
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/building-language-property-update.jsonld', {
    exclude: ['@context'],
  });
});

const PARTIAL_NULL_ENTITIES = [
  ['012_05', 'building-different-attributes-types.jsonld', '-fragment', ''],
  ['012_06', 'building-different-attributes-instances-and-types.jsonld', '-instance-fragment', '-instance'],
  [
    '012_07',
    'building-different-default-attributes-instances-and-types.jsonld',
    '-fragment',
    '-default-instance',
  ],
] as const;

for (const [tp, created, fragmentSuffix, expectationSuffix] of PARTIAL_NULL_ENTITIES) {
  NULL_CASES.forEach(([kind, label, attr], i) => {
    test(`${tp}_0${i + 1} Delete A ${label}`, (broker) =>
      nullAndCheck(
        broker,
        created,
        async (id) => {
          const fragment = `ngsild-null/null-${kind}${fragmentSuffix}.jsonld`;
          const res = await broker.partialUpdate(id, attr, fragment, LD_JSON);
          expectStatus(res, 204);
          expectEmptyBody(res);
        },
        `ngsild-null/building-deleted-${kind}${expectationSuffix}.jsonld`,
      ));
  });
}

test('012_08_01 Check That You Can Partially Update A JSON Property', async (broker) => {
  const id = await createVehicle(broker, 'building-json-property-object-sub-property.jsonld');
  expectStatus(
    await broker.partialUpdate(id, 'jsonProperty', 'building-json-property-fragment.jsonld', LD_JSON),
    204,
  );
  await expectStored(broker, id, 'expectations/building-json-property-update.jsonld', {
    exclude: ['@context'],
  });
});

test('012_09_01 Check That You Can Partially Update A VocabProperty Property', async (broker) => {
  const id = await createVehicle(broker, 'building-vocab-property-sub-property.jsonld');
  const res = await broker.partialUpdate(
    id,
    'vocabProperty',
    'building-vocab-property-fragment.jsonld',
    LD_JSON,
  );
  expectStatus(res, 204);
  await expectStored(broker, id, 'expectations/building-vocab-property-update.jsonld', {
    exclude: ['@context'],
  });
});

// 013 Delete entity attribute

const DELETE_CASES = [
  [
    '013_01_01 Delete An Attribute With The Default Instance',
    undefined,
    'false',
    'vehicle-delete-default-speed.jsonld',
  ],
  [
    '013_01_02 Delete An Attribute With A Specific datasetId',
    'urn:ngsi-ld:Dataset:gps',
    'false',
    'vehicle-delete-datasetid-speed.jsonld',
  ],
  ['013_01_03 Delete All Attribute Instances', undefined, 'true', 'vehicle-delete-deleteall-speed.jsonld'],
] as const;

for (const [name, datasetId, deleteAll, expectation] of DELETE_CASES) {
  test(name, async (broker) => {
    const id = await createVehicle(broker, 'vehicle-speed-only-multi-instances.jsonld');
    const res = await broker.deleteAttribute(id, 'speed', {
      datasetId,
      deleteAll,
      context: TEST_SUITE_CONTEXT,
    });
    expectStatus(res, 204);
    expectEmptyBody(res);
    await expectStored(broker, id, `expectations/${expectation}`, { exclude: ['@context'] });
  });
}

async function deleteAttributeFaulty(
  broker: Broker,
  target: string | undefined,
  attr: string,
  status: number,
  datasetId?: string,
) {
  const validId = await createVehicle(broker, 'vehicle-two-datasetid-attributes.jsonld');
  expectStatus(
    await broker.deleteAttribute(target ?? validId, attr, { datasetId, deleteAll: 'false' }),
    status,
  );
}

test('013_02_01 Delete An Attribute If The Entity Id Is Not Present', (broker) =>
  deleteAttributeFaulty(broker, '', 'speed', 400));

test('013_02_02 Delete An Attribute If The Entity Id Is Not A Valid URI', (broker) =>
  deleteAttributeFaulty(broker, 'thisIsAnInvalidURI', 'speed', 400));

test('013_02_03 Delete An Attribute If The Attribute Name Is Not Present', (broker) =>
  deleteAttributeFaulty(broker, undefined, '', 405));

test('013_03_01 Delete An Attribute When The Entity Id Is Not Known To The System', (broker) =>
  deleteAttributeFaulty(
    broker,
    newId(ID_PREFIX.Vehicle),
    'speed',
    404,
    'urn:ngsi-ld:Property:gpsBxyz123-speed',
  ));

test('013_03_02 Delete An Attribute When The Entity Does Not Contain The Target Attribute Id', (broker) =>
  deleteAttributeFaulty(broker, undefined, 'notFound', 404));

test('013_03_03 Delete An Attribute When The Entity Does Not Contain The Target Attribute With Same datasetId', (broker) =>
  deleteAttributeFaulty(broker, undefined, 'speed', 404, 'urn:ngsi-ld:Property:notFound'));

test('013_04 Delete Scope From An Entity', async (broker) => {
  const id = await createVehicle(broker, 'building-minimal-with-one-scope.json', JSON_TYPE);
  const res = await broker.deleteAttribute(id, 'scope', { deleteAll: 'false' });
  expectStatus(res, 204);
  expectEmptyBody(res);
  await expectStored(broker, id, 'expectations/building-minimal-compacted.json', {
    accept: JSON_TYPE,
    context: '',
  });
});

for (const [name, file, attr] of [
  [
    '013_05 Delete An observationSpace Geospatial Property From An Entity',
    'building-observation-space-geoproperty.jsonld',
    'observationSpace',
  ],
  [
    '013_06 Delete An operationSpace Geospatial Property From An Entity',
    'building-operation-space-geoproperty.jsonld',
    'operationSpace',
  ],
] as const) {
  test(name, async (broker) => {
    const id = await createBuilding(broker, file);
    const res = await broker.deleteAttribute(id, attr, { deleteAll: 'false' });
    expectStatus(res, 204);
    expectEmptyBody(res);
    const after = await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT });
    expectNoDiff(loadPayload('entities/expectations/building-minimal-compacted.json', id), bodyObject(after));
  });
}

test('013_07_01 Delete A VocabProperty Property From An Entity', async (broker) => {
  const id = await createBuilding(broker, 'building-vocab-property-string.jsonld');
  expectStatus(await broker.deleteAttribute(id, 'vocabProperty', { deleteAll: 'false' }), 204);
  await expectStored(broker, id, 'expectations/building-minimal.json', { accept: JSON_TYPE, context: '' });
});

// 055 Replace entity attribute

type CreatedAtOf = (entity: JsonObject) => Json | undefined;

async function replaceAndCheck(
  broker: Broker,
  attr: string,
  file: string,
  expectation: string,
  createdAtOf: CreatedAtOf,
) {
  const id = await createVehicle(broker, 'vehicle-speed-multi-instances.jsonld');
  const before = bodyObject(
    await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT, options: 'sysAttrs' }),
  );
  const createdAt = createdAtOf(before);
  assert.ok(createdAt !== undefined, `no createdAt with options=sysAttrs: ${JSON.stringify(before)}`);
  const res = await broker.replaceAttribute(
    id,
    attr,
    loadPayload(`entities/${file}`, id),
    JSON_TYPE,
    TEST_SUITE_CONTEXT,
  );
  expectStatus(res, 204);
  expectEmptyBody(res);
  const after = bodyObject(
    await broker.retrieveEntity(id, { context: TEST_SUITE_CONTEXT, options: 'sysAttrs' }),
  );
  expectNoDiff(loadPayload(`entities/expectations/${expectation}`, id), after, {
    exclude: ['@context', 'createdAt', 'modifiedAt'],
  });
  assert.equal(createdAtOf(after), createdAt, 'the replaced attribute keeps its createdAt');
}

const isParkedCreatedAt: CreatedAtOf = (e) => (isJsonObject(e.isParked) ? e.isParked.createdAt : undefined);
const firstSpeedCreatedAt: CreatedAtOf = (e) =>
  Array.isArray(e.speed) && isJsonObject(e.speed[0]) ? e.speed[0].createdAt : undefined;

test('055_01_01 Replace Entity Attribute', (broker) =>
  replaceAndCheck(
    broker,
    'isParked',
    'vehicle-isParked-attribute.json',
    'vehicle-replace-isParked-attribute.jsonld',
    isParkedCreatedAt,
  ));

test('055_01_02 Replace Entity Attribute Giving A New Attribute Type', (broker) =>
  replaceAndCheck(
    broker,
    'isParked',
    'vehicle-isParked-new-type-attribute.json',
    'vehicle-replace-isParked-new-type-attribute.jsonld',
    isParkedCreatedAt,
  ));

test('055_02_01 Replace Entity Attribute Giving No datasetId', (broker) =>
  replaceAndCheck(
    broker,
    'speed',
    'vehicle-speed-default-instance.json',
    'vehicle-replace-speed-default-instance.jsonld',
    firstSpeedCreatedAt,
  ));

test('055_02_02 Replace Entity Attribute Giving A datasetId', (broker) =>
  replaceAndCheck(
    broker,
    'speed',
    'vehicle-speed-datasetid-instance.json',
    'vehicle-replace-speed-datasetid-instance.jsonld',
    firstSpeedCreatedAt,
  ));

async function replaceFaulty(
  broker: Broker,
  target: string | undefined,
  attr: string,
  file: string,
  status: number,
) {
  const id = await createVehicle(broker, 'vehicle-speed-multi-instances.jsonld');
  const res = await broker.replaceAttribute(
    target ?? id,
    attr,
    loadPayload(`entities/${file}`, id),
    JSON_TYPE,
    TEST_SUITE_CONTEXT,
  );
  expectStatus(res, status);
}

test('055_03_01 Replace Entity Attribute Giving An Invalid Entity ID', (broker) =>
  replaceFaulty(broker, 'invalidUri', 'isParked', 'vehicle-isParked-attribute.json', 400));

test('055_03_02 Replace Entity Attribute Giving A Nonexistent Entity ID', (broker) =>
  replaceFaulty(
    broker,
    'urn:ngsi-ld:Vehicle:Nonexistent',
    'isParked',
    'vehicle-isParked-attribute.json',
    404,
  ));

test('055_03_03 Replace Entity Attribute Giving An Invalid Attribute Name', (broker) =>
  replaceFaulty(broker, undefined, '@invalid', 'vehicle-isParked-attribute.json', 400));

test('055_03_04 Replace Entity Attribute Giving A Nonexistent Attribute Name', (broker) =>
  replaceFaulty(broker, undefined, 'brandName', 'vehicle-isParked-attribute.json', 404));

test('055_03_05 Replace Entity Attribute Giving A Scope Attribute', (broker) =>
  replaceFaulty(broker, undefined, 'scope', 'vehicle-scope-attribute.json', 400));
