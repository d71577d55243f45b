/**
 * ETSI NGSI-LD conformance, Consumption/RetrieveEntity (018, without the linked-entity cases):
 * retrieve by id with attrs, formats, GeoJSON, @context resolution, language filter,
 * observation/operation spaces, pick and omit.
 */

import {
  type Broker,
  body,
  etsiSuite,
  expectEntity,
  expectProblem,
  expectProblemType,
  expectStatus,
  ID_PREFIX,
  newId,
  TEST_SUITE_CONTEXT,
} from './etsi.ts';
import { GEO_JSON, JSON_TYPE, LD_JSON, type RetrieveOptions } from './etsi-client.ts';

const test = etsiSuite({ isolation: 'file' });

const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';

async function createBuilding(broker: Broker, file: string, contentType = LD_JSON, context?: string) {
  const id = newId(ID_PREFIX.Building);
  expectStatus(await broker.createEntity(file, id, contentType, { context }), 201);
  return id;
}

/** Creates `file`, retrieves it with `options`, and checks the 200 body against an expectation. */
async function retrieveAndCheck(
  broker: Broker,
  file: string,
  options: RetrieveOptions,
  expectation: string,
  ignoreCoreContextVersion = false,
) {
  const id = await createBuilding(broker, file);
  const res = await broker.retrieveEntity(id, options);
  expectStatus(res, 200);
  expectEntity(expectation, id, body(res), { ignoreCoreContextVersion });
}

const SIMPLE = 'building-simple-attributes.jsonld';

test('018_01_01 Get An Entity By Id', (broker) =>
  retrieveAndCheck(broker, SIMPLE, { accept: LD_JSON }, 'building-simple-attributes.jsonld', true));

test('018_01_02 Query Some Attributes From An Entity', (broker) =>
  retrieveAndCheck(
    broker,
    SIMPLE,
    {
      accept: LD_JSON,
      attrs:
        'https://ngsi-ld-test-suite/context#airQualityLevel,https://ngsi-ld-test-suite/context#subCategory',
    },
    'building-simple-attributes-query.jsonld',
    true,
  ));

test('018_02_01 Get An Entity If The Entity Id Is Not A Valid URI', async (broker) => {
  expectProblem(
    await broker.retrieveEntity('thisisaninvaliduri', { accept: LD_JSON }),
    400,
    `${ERR}BadRequestData`,
  );
});

test('018_03_01 Get An Entity If The Entity Id Is Not Known To The System', async (broker) => {
  const res = await broker.retrieveEntity(newId(ID_PREFIX.Building), { accept: LD_JSON });
  expectProblem(res, 404, `${ERR}ResourceNotFound`);
});

test('018_03_02 Get An Entity If An Attribute Is Not Known To The System', async (broker) => {
  const id = await createBuilding(broker, SIMPLE);
  const res = await broker.retrieveEntity(id, { accept: LD_JSON, attrs: 'property_not_found' });
  expectProblem(res, 404, `${ERR}ResourceNotFound`);
});

test('018_04_01 Get An Entity In A Simplified Representation', (broker) =>
  retrieveAndCheck(
    broker,
    SIMPLE,
    { accept: LD_JSON, options: 'keyValues' },
    'building-simple-attributes-simplified.jsonld',
    true,
  ));

// 018_05 GeoJSON representation

for (const [name, options, geometryProperty, expectation] of [
  ['018_05_01 Simplified', 'keyValues', undefined, 'building-two-geometry-attribute-simplified.geojson'],
  ['018_05_02 Normalized', undefined, undefined, 'building-two-geometry-attribute-normalized.geojson'],
  [
    '018_05_03 With geometryProperty',
    undefined,
    'observationSpace',
    'building-two-geometry-property-on-observation-space.geojson',
  ],
  [
    '018_05_04 With Nonexistent geometryProperty',
    undefined,
    'operationSpace',
    'building-two-geometry-property-on-nonexistent-operation-space.geojson',
  ],
] as const) {
  test(name, (broker) =>
    retrieveAndCheck(
      broker,
      'building-two-geometry-attributes.jsonld',
      { accept: GEO_JSON, options, context: TEST_SUITE_CONTEXT, geometryProperty },
      expectation,
    ),
  );
}

// 018_06 The @context comes from the Link header, else the default one is used

for (const [name, context, expectation] of [
  ['018_06_01 EmptyJsonLdContext', undefined, 'building-simple-attributes-expanded.json'],
  ['018_06_02 CreationTimeJsonLdContext', TEST_SUITE_CONTEXT, 'building-simple-attributes-compacted.json'],
] as const) {
  test(name, async (broker) => {
    const id = await createBuilding(broker, 'building-simple-attributes.json', JSON_TYPE, TEST_SUITE_CONTEXT);
    const res = await broker.retrieveEntity(id, { accept: JSON_TYPE, context });
    expectStatus(res, 200);
    expectEntity(expectation, id, body(res));
  });
}

// 018_07 Language filter

for (const [name, lang, options, expectation] of [
  [
    '018_07_01 Retrieve An Entity Using A Specific Natural Language',
    'fr',
    undefined,
    'building-language-property-fr-filter.jsonld',
  ],
  [
    '018_07_02 Retrieve An Entity Using Multiple Natural Languages With No Ranked Preference',
    'fr-CH,fr',
    undefined,
    'building-language-property-fr-filter.jsonld',
  ],
  [
    '018_07_03 Retrieve An Entity With Any Supported Language',
    '*',
    undefined,
    'building-language-property-any-language-filter.jsonld',
  ],
  [
    '018_07_04 Retrieve An Entity Using Multiple Natural Languages With Ranked Preferences',
    'fr-CH,fr;q=0.9,en;q=0.8,*;q=0.5',
    undefined,
    'building-language-property-fr-filter.jsonld',
  ],
  [
    '018_07_05 Retrieve An Entity Using A Specific Natural Language With Simplified Representation',
    'fr',
    'keyValues',
    'building-language-property-fr-filter-simplified.jsonld',
  ],
  [
    '018_07_06 Retrieve An Entity With Any Supported Language With Simplified Representation',
    '*',
    'keyValues',
    'building-language-property-any-language-filter-simplified.jsonld',
  ],
] as const) {
  test(name, (broker) =>
    retrieveAndCheck(
      broker,
      'building-language-property.jsonld',
      { accept: LD_JSON, context: TEST_SUITE_CONTEXT, options, lang },
      expectation,
    ),
  );
}

// 018_08, 018_09 observationSpace and operationSpace

for (const [tp, space] of [
  ['018_08', 'observation'],
  ['018_09', 'operation'],
] as const) {
  for (const [label, options, form] of [
    ['01 Simplified', 'keyValues', 'simplified'],
    ['02 Normalized', undefined, 'normalized'],
  ] as const) {
    test(`${tp}_${label}`, (broker) =>
      retrieveAndCheck(
        broker,
        `building-${space}-space-geoproperty.jsonld`,
        { options, context: TEST_SUITE_CONTEXT },
        `building-${space}-space-geoproperty-${form}.jsonld`,
      ));
  }
}

// 018_15, 018_16 format and options query parameters

for (const [name, format, options, expectation] of [
  [
    '018_15_01 RetrieveWithKeyValuesFormat',
    'keyValues',
    undefined,
    'building-simple-attributes-simplified.jsonld',
  ],
  [
    '018_15_02 RetrieveWithSimplifiedFormat',
    'simplified',
    undefined,
    'building-simple-attributes-simplified.jsonld',
  ],
  ['018_15_03 RetrieveWithNormalizedFormat', 'normalized', undefined, 'building-simple-attributes.jsonld'],
  [
    '018_15_04 RetrieveWithKeyValuesOptions',
    undefined,
    'keyValues',
    'building-simple-attributes-simplified.jsonld',
  ],
  [
    '018_15_05 RetrieveWithSimplifiedOptions',
    undefined,
    'simplified',
    'building-simple-attributes-simplified.jsonld',
  ],
  ['018_15_06 RetrieveWithNormalizedOptions', undefined, 'normalized', 'building-simple-attributes.jsonld'],
  [
    '018_15_07 RetrieveWithFormatAndOptions',
    'keyValues',
    'normalized',
    'building-simple-attributes-simplified.jsonld',
  ],
] as const) {
  test(name, (broker) =>
    retrieveAndCheck(broker, SIMPLE, { accept: LD_JSON, format, options }, expectation, true),
  );
}

for (const [name, format, options] of [
  ['018_16_01 RetriveWithInvalidFormat', 'invalidFormat', undefined],
  ['018_16_02 RetriveWithInvalidOptions', undefined, 'invalidOptions'],
  ['018_16_03 RetriveWithAtLeastOneInvalidOptions', undefined, 'keyValues,invalid'],
  ['018_16_04 RetriveWithOneInvalidQueryParam', 'keyValues', 'invalid'],
] as const) {
  test(name, async (broker) => {
    const res = await broker.retrieveEntity(newId(ID_PREFIX.Building), { accept: LD_JSON, format, options });
    expectStatus(res, 400);
    expectProblemType(body(res), `${ERR}InvalidRequest`, res);
  });
}

// 018_17 .. 018_19 pick and omit

for (const [name, pick, omit, expectation] of [
  ['018_17_01 RetrieveWithPickOnAttributes', 'name', undefined, 'building-simple-attributes-pick-name.json'],
  ['018_17_02 RetrieveWithOmitOnAttributes', undefined, 'name', 'building-simple-attributes-omit-name.json'],
  ['018_17_03 RetrieveWithPickOnCoreMembers', 'id', undefined, 'building-simple-attributes-pick-id.json'],
  ['018_17_04 RetrieveWithOmitOnCoreMembers', undefined, 'id', 'building-simple-attributes-omit-id.json'],
  [
    '018_17_05 RetrieveWithPickOnAttributesAndCoreMembers',
    'id,name',
    undefined,
    'building-simple-attributes-pick-id-name.json',
  ],
  [
    '018_17_06 RetrieveWithOmitOnAttributesAndCoreMembers',
    undefined,
    'type,name',
    'building-simple-attributes-omit-type-name.json',
  ],
] as const) {
  test(name, (broker) =>
    retrieveAndCheck(
      broker,
      SIMPLE,
      { accept: JSON_TYPE, context: TEST_SUITE_CONTEXT, pick, omit },
      `pick-omit/${expectation}`,
      true,
    ),
  );
}

for (const [name, pick, omit, attrs] of [
  ['018_18_01 RetrieveWithSameEntityMemberInPickAndOmit', 'name', 'name', undefined],
  ['018_18_02 RetrieveWithPickAndAttrs', 'name', undefined, 'category'],
  ['018_18_03 RetrieveWithOmitAndAttrs', undefined, 'name', 'category'],
  ['018_18_04 RetrieveWithInvalidCharacter', 'id;name', undefined, undefined],
  ['018_18_05 RetrieveWithUnclosedBrace', 'id,locatedAt{name', undefined, undefined],
  ['018_18_06 RetrieveWithDoubleBraces', 'id,locatedAt{{name}', undefined, undefined],
  ['018_18_07 RetrieveWithConsecutiveSeparators', 'id,,name', undefined, undefined],
  [
    '018_18_08 RetrieveWithExpressionStartingWithSpecialCharacter',
    'id,locatedAt{,name}',
    undefined,
    undefined,
  ],
  ['018_18_09 RetrieveWithExpressionContainingNoAttribute', 'id,locatedAt{}', undefined, undefined],
] as const) {
  test(name, async (broker) => {
    const id = await createBuilding(broker, SIMPLE);
    const res = await broker.retrieveEntity(id, {
      accept: JSON_TYPE,
      context: TEST_SUITE_CONTEXT,
      attrs,
      pick,
      omit,
    });
    expectProblem(res, 400, `${ERR}BadRequestData`);
  });
}

for (const [name, pick, omit] of [
  ['018_19_01 RetrieveWithUnmatchedPick', 'unknown', undefined],
  [
    '018_19_02 RetrieveWithFullExcludingOmit',
    undefined,
    'id,type,name,subCategory,airQualityLevel,almostFull',
  ],
] as const) {
  test(name, async (broker) => {
    const id = await createBuilding(broker, SIMPLE);
    const res = await broker.retrieveEntity(id, {
      accept: JSON_TYPE,
      context: TEST_SUITE_CONTEXT,
      pick,
      omit,
    });
    expectProblem(res, 404, `${ERR}ResourceNotFound`);
  });
}
