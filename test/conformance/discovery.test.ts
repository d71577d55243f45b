/**
 * ETSI NGSI-LD conformance, Consumption/Discovery (022–027): available entity types and
 * attributes, as lists, detailed lists and single items. Each case starts from an empty broker.
 */

import {
  type Broker,
  body,
  dataJson,
  etsiSuite,
  expectNoDiff,
  expectProblem,
  expectStatus,
  ID_PREFIX,
  newId,
  TEST_SUITE_CONTEXT,
} from './etsi.ts';
import { JSON_TYPE } from './etsi-client.ts';

const test = etsiSuite({ isolation: 'test' });

const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';

async function create(broker: Broker, file: string, prefix: string) {
  const res = await broker.createEntity(file, newId(prefix), JSON_TYPE, { context: TEST_SUITE_CONTEXT });
  expectStatus(res, 201);
}

async function buildingAndVehicle(broker: Broker) {
  await create(broker, 'building-simple-attributes.json', ID_PREFIX.Building);
  await create(broker, 'vehicle-simple-attributes.json', ID_PREFIX.Vehicle);
}

async function building(broker: Broker, count = 1) {
  for (let i = 0; i < count; i++) await create(broker, 'building-simple-attributes.json', ID_PREFIX.Building);
}

/** The suite ignores the `id` of EntityTypeList and AttributeList (`root['id']`). */
const LIST_ID = "root\\['id'\\]";

for (const [name, context, expectation] of [
  ['022_01_01 WithoutJsonLdContext', undefined, 'entity-type-list-022-01-01.json'],
  ['022_01_02 WithJsonLdContext', TEST_SUITE_CONTEXT, 'entity-type-list-022-01-02.json'],
] as const) {
  test(name, async (broker) => {
    await buildingAndVehicle(broker);
    const res = await broker.entityTypes({ context });
    expectStatus(res, 200);
    expectNoDiff(dataJson(`types/expectations/${expectation}`), body(res), { exclude: [LIST_ID] });
  });
}

for (const [name, context, expectation] of [
  ['023_01_01 WithoutJsonLdContext', undefined, 'entity-type-023-01-01.json'],
  ['023_01_02 WithJsonLdContext', TEST_SUITE_CONTEXT, 'entity-type-023-01-02.json'],
] as const) {
  test(name, async (broker) => {
    await buildingAndVehicle(broker);
    const res = await broker.entityTypes({ context, details: 'true' });
    expectStatus(res, 200);
    expectNoDiff(dataJson(`types/expectations/${expectation}`), body(res));
  });
}

test('024_01_01 Retrieve Detailed Representation Of Available Entity Type Without Context', async (broker) => {
  await building(broker, 2);
  expectProblem(await broker.entityType('Building'), 404, `${ERR}ResourceNotFound`);
});

for (const [name, type] of [
  ['024_02_01 WithCompactedType', 'Building'],
  ['024_02_02 WithExpandedType', 'https%3A%2F%2Fngsi-ld-test-suite%2Fcontext%23Building'],
] as const) {
  test(name, async (broker) => {
    await building(broker, 2);
    const res = await broker.entityType(type, TEST_SUITE_CONTEXT);
    expectStatus(res, 200);
    expectNoDiff(dataJson('types/expectations/entity-type-info-024-01.json'), body(res));
  });
}

for (const [name, context, expectation] of [
  ['025_01_01 WithoutJsonLdContext', undefined, 'attribute-list-025-01-01.json'],
  ['025_01_02 WithJsonLdContext', TEST_SUITE_CONTEXT, 'attribute-list-025-01-02.json'],
] as const) {
  test(name, async (broker) => {
    await building(broker);
    const res = await broker.attributes({ context });
    expectStatus(res, 200);
    expectNoDiff(dataJson(`types/expectations/${expectation}`), body(res), { exclude: [LIST_ID] });
  });
}

for (const [name, context, expectation] of [
  ['026_01_01 WithoutJsonLdContext', undefined, 'attribute-026-01-01.json'],
  ['026_01_02 WithJsonLdContext', TEST_SUITE_CONTEXT, 'attribute-026-01-02.json'],
] as const) {
  test(name, async (broker) => {
    await building(broker);
    const res = await broker.attributes({ context, details: 'true' });
    expectStatus(res, 200);
    expectNoDiff(dataJson(`types/expectations/${expectation}`), body(res));
  });
}

test('027_01_01 Retrieve Detailed Representation Of Available Attribute Without Context', async (broker) => {
  await building(broker);
  expectProblem(await broker.attribute('airQualityLevel'), 404, `${ERR}ResourceNotFound`);
});

for (const [name, attribute] of [
  ['027_02_01 WithCompactedAttributeName', 'airQualityLevel'],
  ['027_02_02 WithExpandedAttributeName', 'https%3A%2F%2Fngsi-ld-test-suite%2Fcontext%23airQualityLevel'],
] as const) {
  test(name, async (broker) => {
    await building(broker);
    const res = await broker.attribute(attribute, TEST_SUITE_CONTEXT);
    expectStatus(res, 200);
    expectNoDiff(dataJson('types/expectations/attribute-027-01.json'), body(res));
  });
}
