/**
 * ETSI NGSI-LD conformance, temporal consumption (ETSI GS CIM 009 v1.8 clauses 5.7.3, 5.7.4):
 * retrieve the temporal evolution of an entity (020_01–020_12) and query the temporal evolution
 * of entities (021_01–021_14, 021_17, 021_18, 021_24, 021_25). Temporal pagination (020_13,
 * 021_15, 021_16) is in temporal-pagination.test.ts. One test per ETSI test case, each on a
 * fresh broker, named with its ETSI id.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Broker } from './etsi-client.ts';
import { newId } from './etsi-data.ts';
import type { Json } from './etsi-diff.ts';
import {
  createTemporal,
  expectProblem,
  expectStatus,
  expectTemporalEntity,
  expectTemporalList,
  json,
  queryTemporal,
  queryTemporalViaPost,
  retrieveTemporal,
  SUITE_CONTEXT,
  suiteBroker,
  VEHICLE_ID_PREFIX,
} from './etsi-temporal-data/harness.ts';

/** Cases that still fail, with what the broker answers against what the suite expects. */
const KNOWN_FAILURES: Readonly<Record<string, string>> = {
  '021_25':
    "the suite's expectation (vehicles-temporal-representation-021-06) holds only urn:ngsi-ld:Vehicle:021-06-A, but its setup creates 021-06-B too, which also has instances after timeAt and is answered: root['urn:ngsi-ld:Vehicle:021-06-B'] is unexpected (upstream tags the case not-implemented)",
};

function etsiCase(name: string, fn: (broker: Broker) => Promise<void>): void {
  const todo = KNOWN_FAILURES[name] ?? KNOWN_FAILURES[name.split(' ')[0]];
  test(name, todo === undefined ? {} : { todo }, async () => {
    const broker = await suiteBroker();
    try {
      await fn(broker);
    } finally {
      await broker.close();
    }
  });
}

const vehicleId = () => newId(VEHICLE_ID_PREFIX);

async function created(broker: Broker, file: string, id = vehicleId()): Promise<string> {
  expectStatus(await createTemporal(broker, file, id), 201);
  return id;
}

const AUG = '2020-08-vehicle-temporal-representation.jsonld';
const SEP = '2020-09-vehicle-temporal-representation.jsonld';
const BUS = '2020-08-bus-temporal-representation.jsonld';
/** The suite's `Generate Bus Entity Id`. */
const busId = (suffix: string) => `urn:ngsi-ld:Bus:${suffix}`;

/** The suite's "Setup Initial Entities" of the 021 procedures: vehicles {tp}-A, {tp}-B and maybe a bus. */
async function fleet(
  broker: Broker,
  tp: string,
  files: { a: string; b?: string; bus?: string },
): Promise<void> {
  await created(broker, files.a, `${VEHICLE_ID_PREFIX}${tp}-A`);
  if (files.b) await created(broker, files.b, `${VEHICLE_ID_PREFIX}${tp}-B`);
  if (files.bus) await created(broker, files.bus, busId(`${tp}-A`));
}

// 020 Retrieve Temporal Evolution of an Entity (5.7.3) -----------------------------------------

etsiCase('020_01_01 Retrieve The Temporal Evolution Of An Entity', async (broker) => {
  const id = await created(broker, AUG);
  const res = await retrieveTemporal(broker, id);
  expectStatus(res, 200);
  expectTemporalEntity('vehicle-temporal-representation-020-01.jsonld', id, json(res));
});

etsiCase('020_02_01 Retrieve The Temporal Evolution Of An Entity Using A Context', async (broker) => {
  const id = await created(broker, AUG);
  const res = await retrieveTemporal(broker, id, { context: SUITE_CONTEXT });
  expectStatus(res, 200);
  expectTemporalEntity('vehicle-temporal-representation-020-02.jsonld', id, json(res));
});

for (const [name, attrs, expectation] of [
  ['020_03_01 With One Attribute', 'fuelLevel', 'vehicle-temporal-representation-020-03-01.jsonld'],
  ['020_03_02 With Two Attributes', 'fuelLevel,speed', 'vehicle-temporal-representation-020-03-02.jsonld'],
] as const) {
  etsiCase(name, async (broker) => {
    const id = await created(broker, AUG);
    const res = await retrieveTemporal(broker, id, { attrs, context: SUITE_CONTEXT });
    expectStatus(res, 200);
    expectTemporalEntity(expectation, id, json(res));
  });
}

for (const [name, timerel, timeAt, endTimeAt, expectation] of [
  [
    '020_04_01 After',
    'after',
    '2020-08-01T13:03:00Z',
    undefined,
    'vehicle-temporal-representation-020-04-01.jsonld',
  ],
  [
    '020_04_02 Before',
    'before',
    '2020-08-01T12:05:00Z',
    undefined,
    'vehicle-temporal-representation-020-04-02.jsonld',
  ],
  [
    '020_04_03 Between',
    'between',
    '2020-08-01T12:00:00Z',
    '2020-08-01T13:00:00Z',
    'vehicle-temporal-representation-020-04-03.jsonld',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const id = await created(broker, AUG);
    const res = await retrieveTemporal(broker, id, { timerel, timeAt, endTimeAt, context: SUITE_CONTEXT });
    expectStatus(res, 200);
    expectTemporalEntity(expectation, id, json(res));
  });
}

for (const [name, lastN, expectation] of [
  ['020_05_01 Retrieve Some Instances', '4', 'vehicle-temporal-representation-020-05-01.jsonld'],
  ['020_05_02 Retrieve All Instances', '7', 'vehicle-temporal-representation-020-05-02.jsonld'],
] as const) {
  etsiCase(name, async (broker) => {
    const id = await created(broker, '2020-08-vehicle-temporal-representation-multiple-instances.jsonld');
    const res = await retrieveTemporal(broker, id, { lastN, context: SUITE_CONTEXT });
    expectStatus(res, 200);
    expectTemporalEntity(expectation, id, json(res));
  });
}

etsiCase('020_06_01 Retrieve The Temporal Evolution Of An Entity With An Invalid Id', async (broker) => {
  expectProblem(await retrieveTemporal(broker, 'invalidUri'), 400, 'BadRequestData');
});

etsiCase('020_07_01 Retrieve The Temporal Evolution Of A Non-existing Entity', async (broker) => {
  expectProblem(await retrieveTemporal(broker, 'urn:ngsi-ld:Vehicle:unknowEntity'), 404, 'ResourceNotFound');
});

etsiCase('020_08_01 Retrieve The Temporal Evolution Of Non-existing Entity Attributes', async (broker) => {
  const id = await created(broker, AUG);
  const res = await retrieveTemporal(broker, id, { attrs: 'unknownAttribute', context: SUITE_CONTEXT });
  expectProblem(res, 404, 'ResourceNotFound');
});

for (const [name, timerel, timeAt] of [
  ['020_09_01 After', 'after', undefined],
  ['020_09_02 Before', 'before', undefined],
  ['020_09_03 Between', 'between', '2020-08-01T12:00:00Z'],
] as const) {
  etsiCase(name, async (broker) => {
    const id = await created(broker, AUG);
    expectProblem(await retrieveTemporal(broker, id, { timerel, timeAt }), 400, 'BadRequestData');
  });
}

etsiCase(
  '020_10_01 Retrieve The Temporal Evolution Of An Entity With The Simplified Temporal Representation',
  async (broker) => {
    const id = await created(broker, AUG);
    const res = await retrieveTemporal(broker, id, { options: 'temporalValues', context: SUITE_CONTEXT });
    expectStatus(res, 200);
    expectTemporalEntity('vehicle-temporal-representation-020-10.jsonld', id, json(res));
  },
);

const AGGREGATED = [
  [
    'One Aggregate Method Aggregated By One Hour Duration',
    'avg',
    'PT1H',
    undefined,
    'vehicle-temporal-representation-aggregated-avg-PT1H.json',
  ],
  [
    'One Aggregate Method Aggregated By One Hour Duration Asking For One Attribute',
    'avg',
    'PT1H',
    'fuelLevel',
    'vehicle-temporal-representation-aggregated-avg-PT1H-fuelLevel.json',
  ],
  [
    'Multiple Aggregate Methods Aggregated By One Hour Duration',
    'avg,max',
    'PT1H',
    undefined,
    'vehicle-temporal-representation-aggregated-avg-max-PT1H.json',
  ],
  [
    'Multiple Aggregate Methods Aggregated By One Day Duration',
    'min,max',
    'P1D',
    undefined,
    'vehicle-temporal-representation-aggregated-min-max-P1D.json',
  ],
] as const;

AGGREGATED.forEach(([title, aggrMethods, aggrPeriodDuration, attrs, expectation], i) => {
  etsiCase(`020_11_0${i + 1} ${title}`, async (broker) => {
    const id = await created(broker, AUG);
    const res = await retrieveTemporal(broker, id, {
      attrs,
      options: 'aggregatedValues',
      aggrMethods,
      aggrPeriodDuration,
      context: SUITE_CONTEXT,
    });
    expectStatus(res, 200);
    expectTemporalEntity(expectation, id, json(res));
  });
});

for (const [name, options, expectation] of [
  [
    '020_12_01 Retrieve The Normalized Temporal Representation Of An Entity With A LanguageProperty Property',
    undefined,
    'vehicle-language-property-normalized-temporal-representation.jsonld',
  ],
  [
    '020_12_02 Retrieve The Simplified Temporal Representation Of An Entity With A LanguageProperty Property',
    'temporalValues',
    'vehicle-language-property-simplified-temporal-representation.jsonld',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const id = await created(broker, 'vehicle-language-property-temporal-representation.jsonld');
    const res = await retrieveTemporal(broker, id, { options, context: SUITE_CONTEXT });
    expectStatus(res, 200);
    expectTemporalEntity(expectation, id, json(res));
  });
}

// 021 Query Temporal Evolution of Entities (5.7.4) ---------------------------------------------

for (const [name, timerel, timeAt, endTimeAt, expectation] of [
  [
    '021_01_01 After',
    'after',
    '2020-08-01T12:04:00Z',
    undefined,
    'vehicles-temporal-representation-021-01-01.jsonld',
  ],
  [
    '021_01_02 Before',
    'before',
    '2020-09-01T13:06:00Z',
    undefined,
    'vehicles-temporal-representation-021-01-02.jsonld',
  ],
  [
    '021_01_03 Between',
    'between',
    '2020-08-01T12:04:00Z',
    '2020-09-01T13:06:00Z',
    'vehicles-temporal-representation-021-01-03.jsonld',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    await fleet(broker, '021-01', { a: AUG, b: SEP, bus: BUS });
    const res = await queryTemporal(broker, {
      type: 'Vehicle',
      timerel,
      timeAt,
      endTimeAt,
      context: SUITE_CONTEXT,
    });
    expectStatus(res, 200);
    expectTemporalList(expectation, json(res));
  });
}

const AFTER_JULY = { timerel: 'after', timeAt: '2020-07-01T12:05:00Z', context: SUITE_CONTEXT };

etsiCase('021_02_01 Query The Temporal Evolution Of Certain Attributes Of Entities', async (broker) => {
  await fleet(broker, '021-02', { a: AUG, b: SEP });
  const res = await queryTemporal(broker, { type: 'Vehicle', attrs: 'speed', ...AFTER_JULY });
  expectStatus(res, 200);
  expectTemporalList('vehicles-temporal-representation-021-02.jsonld', json(res));
});

etsiCase(
  '021_03_01 Query The Temporal Evolution Of The Last N Instances Of Entities Attributes',
  async (broker) => {
    await fleet(broker, '021-03', {
      a: '2020-08-vehicle-temporal-representation-multiple-instances.jsonld',
      b: SEP,
    });
    const res = await queryTemporal(broker, { type: 'Vehicle', lastN: '4', ...AFTER_JULY });
    expectStatus(res, 200);
    expectTemporalList('vehicles-temporal-representation-021-03.jsonld', json(res));
  },
);

etsiCase('021_04_01 Query The Temporal Evolution Of Entities Using A Context', async (broker) => {
  await fleet(broker, '021-04', { a: AUG, b: SEP });
  const res = await queryTemporal(broker, { type: 'Vehicle', ...AFTER_JULY });
  expectStatus(res, 200);
  expectTemporalList('vehicles-temporal-representation-021-04.jsonld', json(res));
});

etsiCase('021_05_01 Query The Temporal Evolution Of Entities Matching The Given Type(s)', async (broker) => {
  await created(broker, AUG, `${VEHICLE_ID_PREFIX}021-05-A`);
  await created(broker, BUS, busId('021-05-A'));
  const res = await queryTemporal(broker, { type: 'Bus', ...AFTER_JULY });
  expectStatus(res, 200);
  expectTemporalList('vehicles-temporal-representation-021-05.jsonld', json(res));
});

etsiCase(
  '021_06_01 Query The Temporal Evolution Of Entities Matching The Given Identifier(s)',
  async (broker) => {
    await fleet(broker, '021-06', { a: AUG, b: SEP });
    const res = await queryTemporal(broker, {
      type: 'Vehicle',
      id: `${VEHICLE_ID_PREFIX}021-06-A`,
      ...AFTER_JULY,
    });
    expectStatus(res, 200);
    expectTemporalList('vehicles-temporal-representation-021-06.jsonld', json(res));
  },
);

etsiCase(
  '021_07_01 Query The Temporal Evolution Of Entities Matching The Given Id Pattern',
  async (broker) => {
    await fleet(broker, '021-07', { a: AUG, b: SEP });
    const res = await queryTemporal(broker, {
      type: 'Vehicle',
      idPattern: 'urn:ngsi-ld:Vehicle:.*',
      ...AFTER_JULY,
    });
    expectStatus(res, 200);
    expectTemporalList('vehicles-temporal-representation-021-07.jsonld', json(res));
  },
);

etsiCase(
  '021_08_01 Query The Temporal Evolution Of Entities Matching The Given NGSI-LD Query',
  async (broker) => {
    await fleet(broker, '021-08', { a: AUG, b: SEP });
    const res = await queryTemporal(broker, { type: 'Vehicle', q: 'speed>90', ...AFTER_JULY });
    expectStatus(res, 200);
    expectTemporalList('vehicles-temporal-representation-021-08.jsonld', json(res));
  },
);

for (const [name, georel, geometry, coordinates, geoproperty, expectation] of [
  [
    '021_09_01 Near Point',
    'near;maxDistance==2000',
    'Point',
    '[-8.503,41.202]',
    undefined,
    'vehicles-temporal-representation-021-09-01.jsonld',
  ],
  [
    '021_09_02 Within Polygon',
    'within',
    'Polygon',
    '[[[-13.503,47.202],[6.541, 52.961],[20.37,44.653],[9.46,32.57],[-13.503,32.57],[-13.503,47.202]]]',
    'location',
    'vehicles-temporal-representation-021-09-02.jsonld',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    await fleet(broker, '021-09', {
      a: AUG,
      b: '2020-10-vehicle-temporal-representation-with-location.jsonld',
    });
    const res = await queryTemporal(broker, {
      type: 'Vehicle',
      georel,
      geometry,
      coordinates,
      geoproperty,
      ...AFTER_JULY,
    });
    expectStatus(res, 200);
    expectTemporalList(expectation, json(res));
  });
}

for (const [name, limit] of [
  ['021_11_01 Query Some Entities', 2],
  ['021_11_02 Query All Entities', 3],
] as const) {
  etsiCase(name, async (broker) => {
    await created(broker, AUG);
    await created(broker, SEP);
    await created(broker, SEP);
    const res = await queryTemporal(broker, { type: 'Bus,Vehicle', limit: String(limit), ...AFTER_JULY });
    expectStatus(res, 200);
    const body = json(res);
    assert.ok(Array.isArray(body), `expected an array, got ${res.text}`);
    assert.equal(body.length, limit);
    for (const entity of body) assert.equal((entity as { type?: Json }).type, 'Vehicle');
  });
}

etsiCase('021_12_01 Query The Temporal Evolution Of Entities With An Invalid Request', async (broker) => {
  await created(broker, AUG);
  expectProblem(await queryTemporal(broker, { ...AFTER_JULY }), 400, 'BadRequestData');
});

for (const [name, file, expectation] of [
  [
    '021_13_01 After One Entity',
    'entity-operations-after-query.jsonld',
    'vehicles-temporal-representation-021-13-01.jsonld',
  ],
  [
    '021_13_02 Before One Entity',
    'entity-operations-before-query.jsonld',
    'vehicles-temporal-representation-021-13-02.jsonld',
  ],
  [
    '021_13_03 Between One Entity',
    'entity-operations-between-query.jsonld',
    'vehicles-temporal-representation-021-13-03.jsonld',
  ],
  [
    '021_13_04 After Two Entities',
    'entity-operations-after-query-two-entities.jsonld',
    'vehicles-bus-temporal-representation-021-13-04.jsonld',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    await fleet(broker, '021-13', { a: AUG, b: SEP, bus: BUS });
    const res = await queryTemporalViaPost(broker, file, SUITE_CONTEXT);
    expectStatus(res, 200);
    expectTemporalList(expectation, json(res));
  });
}

// the suite names two cases 021_14_02; the second one is told apart by its title
for (const [name, timerel, timeAt, endTimeAt, expectation] of [
  [
    '021_14_01 After',
    'after',
    '2020-08-01T12:04:00Z',
    undefined,
    'vehicles-temporal-representation-021-14-01.json',
  ],
  [
    '021_14_02 Before',
    'before',
    '2020-09-01T13:06:00Z',
    undefined,
    'vehicles-temporal-representation-021-14-02.json',
  ],
  [
    '021_14_02 Between',
    'between',
    '2020-08-01T12:04:00Z',
    '2020-09-01T13:06:00Z',
    'vehicles-temporal-representation-021-14-03.json',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    await fleet(broker, '021-14', { a: AUG, b: SEP, bus: BUS });
    const res = await queryTemporal(broker, {
      type: 'Vehicle',
      timerel,
      timeAt,
      endTimeAt,
      options: 'temporalValues',
      context: SUITE_CONTEXT,
    });
    expectStatus(res, 200);
    expectTemporalList(expectation, json(res));
  });
}

AGGREGATED.forEach(([title, aggrMethods, aggrPeriodDuration, attrs, expectation], i) => {
  etsiCase(`021_17_0${i + 1} ${title}`, async (broker) => {
    const id = await created(broker, AUG);
    const res = await queryTemporal(broker, {
      type: 'Vehicle',
      attrs,
      options: 'aggregatedValues',
      aggrMethods,
      aggrPeriodDuration,
      timerel: 'after',
      timeAt: '2020-01-01T12:03:00Z',
      context: SUITE_CONTEXT,
    });
    expectStatus(res, 200);
    const body = json(res);
    assert.ok(Array.isArray(body), `expected an array, got ${res.text}`);
    expectTemporalEntity(expectation, id, body[0]);
  });
});

for (const [name, attrs, datasetId, expectation] of [
  [
    '021_18_01 Filter Based On Attrs Only',
    'speed',
    undefined,
    'vehicle-temporal-representation-speed-attribute.json',
  ],
  [
    '021_18_02 Filter Based On datasetId Only',
    undefined,
    'urn:ngsi-ld:Dataset:Common',
    'vehicle-temporal-representation-common-datasetid.json',
  ],
  [
    '021_18_03 Filter Based On Two datasetIds',
    undefined,
    'urn:ngsi-ld:Dataset:Common,urn:ngsi-ld:Dataset:Speed',
    'vehicle-temporal-representation-two-datasetids.json',
  ],
  [
    '021_18_04 Filter Based On Default Instance',
    undefined,
    '@none',
    'vehicle-temporal-representation-default-instances.json',
  ],
  [
    '021_18_05 Filter Based On Attrs And Default Instance',
    'speed',
    '@none',
    'vehicle-temporal-representation-speed-default-instance.json',
  ],
  [
    '021_18_06 Filter Based On Attrs And datasetId',
    'fuelLevel',
    'urn:ngsi-ld:Dataset:fuel',
    'vehicle-temporal-representation-fuellevel-attribute-fuel-datasetid.json',
  ],
  [
    '021_18_07 Filter Based On Attrs And datasetId With No Match',
    'speed',
    'urn:ngsi-ld:Dataset:fuel',
    'empty.json',
  ],
] as const) {
  etsiCase(name, async (broker) => {
    const id = `${VEHICLE_ID_PREFIX}021-18-A`;
    await created(broker, 'vehicle-temporal-representation-with-multi-attributes-instances.jsonld', id);
    const res = await queryTemporal(broker, {
      type: 'Vehicle',
      attrs,
      datasetId,
      timerel: 'after',
      timeAt: '2020-08-01T12:04:00Z',
      options: 'temporalValues',
      context: SUITE_CONTEXT,
    });
    expectStatus(res, 200);
    expectTemporalEntity(expectation, id, json(res));
  });
}

etsiCase('021_24 Query Temporal Evolution Of Entities Without Minimal Parameters', async (broker) => {
  const res = await queryTemporal(broker, {
    id: 'urn:ngsi-ld:Entity:01,urn:ngsi-ld:Entity:02',
    ...AFTER_JULY,
  });
  expectProblem(res, 400, 'BadRequestData');
});

etsiCase('021_25 Query All Temporal Entities With Local Flag', async (broker) => {
  await fleet(broker, '021-06', { a: AUG, b: SEP });
  const res = await queryTemporal(broker, { local: 'true', ...AFTER_JULY });
  expectStatus(res, 200);
  expectTemporalList('vehicles-temporal-representation-021-06.jsonld', json(res));
});
