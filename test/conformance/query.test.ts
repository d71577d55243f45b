/**
 * ETSI NGSI-LD conformance, Consumption/QueryEntities (019 in the P0 tier): by ids, types, id
 * pattern, attrs, geoQ, scopeQ, via POST, errors, keyValues, GeoJSON, limit, count, type
 * expressions, q, datasetId, pick and omit, orderBy, local. Each ETSI test procedure sets up its
 * entities once on a fresh broker, as the suite's "Suite Setup" does on a clean one.
 */
import { setTimeout } from 'node:timers/promises';
import {
  type Broker,
  body,
  bodyArray,
  etsiProcedure,
  expectContent,
  expectEntitiesInList,
  expectEntity,
  expectEntityCount,
  expectEntityIds,
  expectEntityList,
  expectHeader,
  expectProblem,
  expectStatus,
  ID_PREFIX,
  newId,
  TEST_SUITE_CONTEXT,
} from './etsi.ts';
import { GEO_JSON, LD_JSON } from './etsi-client.ts';

const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';
const BUILDING = 'https://ngsi-ld-test-suite/context#Building';
const VEHICLE = 'https://ngsi-ld-test-suite/context#Vehicle';
const PARKING = 'https://ngsi-ld-test-suite/context#OffStreetParking';

/** Creates each `[file, id]` as application/ld+json (the suite's `Create Entity Selecting Content Type`). */
async function create(broker: Broker, ...entities: [file: string, id: string][]): Promise<string[]> {
  for (const [file, id] of entities) expectStatus(await broker.createEntity(file, id, LD_JSON), 201);
  return entities.map(([, id]) => id);
}

function buildingIds(count: number): string[] {
  return Array.from({ length: count }, () => newId(ID_PREFIX.Building));
}

const minimalBuildings = (count: number) => (broker: Broker) =>
  create(broker, ...buildingIds(count).map((id): [string, string] => ['building-minimal.jsonld', id]));

// 019_01 GET queries

etsiProcedure(minimalBuildings(3))('019_01_01 Query Several Entities Based On Ids', async (broker, ids) => {
  const res = await broker.queryEntities({ id: `${ids[0]},${ids[1]}`, type: BUILDING });
  expectStatus(res, 200);
  expectEntitiesInList('building-minimal.json', ids.slice(0, 2), body(res));
});

etsiProcedure((broker) =>
  create(
    broker,
    ['building-minimal.jsonld', newId(ID_PREFIX.Building)],
    ['vehicle-simple-attributes.jsonld', newId(ID_PREFIX.Vehicle)],
    ['parking-simple-attributes.jsonld', newId(ID_PREFIX.OffStreetParking)],
  ),
)('019_01_02 Query Several Entities Based On The Entities Types', async (broker, ids) => {
  const res = await broker.queryEntities({ type: `${VEHICLE},${PARKING}`, accept: LD_JSON });
  expectStatus(res, 200);
  expectEntityList('two-types-vehicle-offstreetparking.jsonld', ids.slice(1), body(res), {
    ignoreCoreContextVersion: true,
  });
});

etsiProcedure(minimalBuildings(2))(
  '019_01_03 Query Several Entities Based On The Given Id Pattern',
  async (broker, ids) => {
    const res = await broker.queryEntities({ idPattern: 'urn:ngsi-ld:Building:.*', type: BUILDING });
    expectStatus(res, 200);
    expectEntitiesInList('building-minimal.json', [ids[1], ids[0]], body(res));
  },
);

etsiProcedure((broker) =>
  create(
    broker,
    ['building-simple-attributes.jsonld', newId(ID_PREFIX.Building)],
    ['building-minimal.jsonld', newId(ID_PREFIX.Building)],
  ),
)('019_01_04 Query Several Entities Based On Attribute Names', async (broker, ids) => {
  const attrs =
    'https://ngsi-ld-test-suite/context#airQualityLevel,https://ngsi-ld-test-suite/context#subCategory';
  const res = await broker.queryEntities({ attrs });
  expectStatus(res, 200);
  expectEntitiesInList('building-attributes-query.json', [ids[0]], body(res));
});

etsiProcedure((broker) =>
  create(broker, ...buildingIds(2).map((id): [string, string] => ['building-location-attribute.jsonld', id])),
)('019_01_05 Query Several Entities Based On A Geoquery', async (broker, ids) => {
  const res = await broker.queryEntities({
    type: BUILDING,
    accept: LD_JSON,
    georel: 'equals',
    geometry: 'Point',
    coordinates: '[13.3986, 52.5547]',
  });
  expectStatus(res, 200);
  expectEntitiesInList('building-geoproperty-query.jsonld', ids, body(res), {
    ignoreCoreContextVersion: true,
  });
});

const scopes = etsiProcedure(async (broker) => {
  for (const file of ['building-minimal-with-one-scope.json', 'building-minimal-with-many-scopes.json']) {
    const res = await broker.createEntity(file, newId(ID_PREFIX.Building), 'application/json', {
      context: TEST_SUITE_CONTEXT,
    });
    expectStatus(res, 201);
  }
});

for (const [label, scopeQ, count] of [
  ['QueryWithFullScope', '/Madrid/Gardens/ParqueNorte', 2],
  ['QueryWithPlusMatching', '/Madrid/+/ParqueNorte', 2],
  ['QueryWithHashMatching', '/CompanyA/#', 1],
  ['QueryNonEmptyScope', '/#', 2],
  ['QueryWithAndScope', '/Madrid/Gardens/ParqueNorte;/CompanyA/OrganizationB/UnitC', 1],
  ['QueryWithOrScope', '/Madrid/Gardens/ParqueNorte,/CompanyA/OrganizationB/UnitC', 2],
] as const) {
  scopes(`019_01_06 ${label}`, async (broker) => {
    const res = await broker.queryEntities({ scopeQ, type: BUILDING });
    expectStatus(res, 200);
    expectEntityCount(body(res), BUILDING, count);
  });
}

// 019_02 POST queries (entityOperations/query)

etsiProcedure(minimalBuildings(3))(
  '019_02_01 Query One Entity Via POST Interaction Based On Id',
  async (broker, ids) => {
    const res = await broker.queryEntitiesViaPost({ entities: [{ id: ids[0], type: BUILDING }] });
    expectStatus(res, 200);
    expectEntitiesInList('building-minimal.json', [ids[0]], body(res));
  },
);

etsiProcedure((broker) =>
  create(
    broker,
    ['building-minimal.jsonld', newId(ID_PREFIX.Building)],
    ['vehicle-simple-attributes.jsonld', newId(ID_PREFIX.Vehicle)],
    ['vehicle-simple-attributes.jsonld', newId(ID_PREFIX.Vehicle)],
  ),
)(
  '019_02_02 Query Several Entities Via POST Interaction Based On The Entities Types',
  async (broker, ids) => {
    const res = await broker.queryEntitiesViaPost({ entities: [{ type: VEHICLE }], accept: LD_JSON });
    expectStatus(res, 200);
    expectEntityList('two-vehicles.jsonld', ids.slice(1), body(res), { ignoreCoreContextVersion: true });
  },
);

etsiProcedure(minimalBuildings(2))(
  '019_02_03 Query Several Entities Via POST Interaction Based On The Given Id Pattern',
  async (broker, ids) => {
    const res = await broker.queryEntitiesViaPost({
      entities: [{ idPattern: 'urn:ngsi-ld:Building:.*', type: BUILDING }],
    });
    expectStatus(res, 200);
    expectEntitiesInList('building-minimal.json', ids, body(res));
  },
);

etsiProcedure((broker) =>
  create(
    broker,
    ['building-minimal.jsonld', newId(ID_PREFIX.Building)],
    ['vehicle-simple-attributes.jsonld', newId(ID_PREFIX.Vehicle)],
  ),
)('019_02_04 Query Several Entities Via POST Interaction Based On Attribute Names', async (broker, ids) => {
  const res = await broker.queryEntitiesViaPost({
    attrs: [
      'https://ngsi-ld-test-suite/context#brandName',
      'https://uri.etsi.org/ngsi-ld/default-context/isParked',
    ],
  });
  expectStatus(res, 200);
  expectEntitiesInList('vehicle-simple-attributes-core-context.json', [ids[1]], body(res));
});

/** `Check Body With Alternatives`: the body matches one of the expectation files. */
function expectOneOf(expectations: readonly string[], actual: ReturnType<typeof body>) {
  const failures: string[] = [];
  for (const expectation of expectations) {
    try {
      expectContent(expectation, actual);
      return;
    } catch (error) {
      failures.push(`${expectation}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no expectation matches:\n${failures.join('\n')}`);
}

etsiProcedure((broker) =>
  create(
    broker,
    ['vehicle-simple-attributes.jsonld', `${ID_PREFIX.Vehicle}019-02-05`],
    ['parking-simple-attributes.jsonld', `${ID_PREFIX.OffStreetParking}019-02-05`],
  ),
)(
  '019_02_05 Query Several Entities Via POST Interaction Asking For A GeoJSON Representation',
  async (broker) => {
    const res = await broker.queryEntitiesViaPost({
      entities: [{ type: `${VEHICLE},${PARKING}` }],
      accept: GEO_JSON,
      context: TEST_SUITE_CONTEXT,
    });
    expectStatus(res, 200);
    expectOneOf(
      [
        'vehicle-parking-019-02-05.geojson',
        'vehicle-parking-019-02-05.alternative.geojson',
        'vehicle-parking-019-02-05.alternative2.geojson',
      ],
      body(res),
    );
  },
);

etsiProcedure(minimalBuildings(3))(
  '019_02_06 Query Two Entities Via POST Interaction Based On Ids',
  async (broker, ids) => {
    const res = await broker.queryEntitiesViaPost({
      entities: [
        { id: ids[0], type: BUILDING },
        { id: ids[1], type: BUILDING },
      ],
    });
    expectStatus(res, 200);
    expectEntitiesInList('building-minimal.json', ids.slice(0, 2), body(res));
  },
);

// 019_03 Invalid queries

etsiProcedure(minimalBuildings(2))('019_03_01 Query Entities Based On Incorrect Ids', async (broker) => {
  const res = await broker.queryEntities({ id: 'thisisaninvaliduri1,thisisaninvaliduri2', type: BUILDING });
  expectProblem(res, 400, `${ERR}BadRequestData`);
});

etsiProcedure(minimalBuildings(2))(
  '019_03_02 Query Several Entities Based On Incorrect Id Pattern',
  async (broker) => {
    const res = await broker.queryEntities({ idPattern: 'invalid_entity_id_pattern**', type: BUILDING });
    expectProblem(res, 400, `${ERR}BadRequestData`);
  },
);

etsiProcedure(minimalBuildings(2))(
  '019_03_03 Query Several Entities Based On Incorrect Attribute Names',
  async (broker) => {
    expectProblem(await broker.queryEntities({ attrs: 'id,type' }), 400, `${ERR}BadRequestData`);
  },
);

etsiProcedure((broker) =>
  create(broker, ...buildingIds(2).map((id): [string, string] => ['building-location-attribute.jsonld', id])),
)('019_03_04 Query Entities When The Request Has A Wrong geometryProperty', async (broker) => {
  const res = await broker.queryEntities({
    type: 'Building',
    geoproperty: 'location',
    georel: 'invalid',
    geometry: 'Point',
    coordinates: '[-8.503,41.202]',
    context: TEST_SUITE_CONTEXT,
  });
  expectProblem(res, 400, `${ERR}BadRequestData`);
});

etsiProcedure(async () => undefined)(
  '019_03_05 Query Entities Without Minimal Parameters',
  async (broker) => {
    const res = await broker.queryEntities({ id: 'urn:ngsi-ld:Entity:01,urn:ngsi-ld:Entity:02' });
    expectProblem(res, 400, `${ERR}BadRequestData`);
  },
);

// 019_04 .. 019_07 Representation, GeoJSON, limit, count

etsiProcedure((broker) =>
  create(broker, ...buildingIds(3).map((id): [string, string] => ['building-simple-attributes.jsonld', id])),
)('019_04_01 Query Entities In A Simplified Representation', async (broker, ids) => {
  const res = await broker.queryEntities({ id: `${ids[0]},${ids[1]}`, type: BUILDING, options: 'keyValues' });
  expectStatus(res, 200);
  expectEntitiesInList('building-simple-attributes-simplified.json', ids.slice(0, 2), body(res));
});

etsiProcedure((broker) =>
  create(
    broker,
    ['building-location-attribute.jsonld', `${ID_PREFIX.Building}019-05-01`],
    ['building-location-attribute.jsonld', `${ID_PREFIX.Building}019-05-02`],
  ),
)('019_05_01 Get An Entity By Id That Can Be Returned In GeoJSON Format', async (broker, ids) => {
  const res = await broker.queryEntities({
    id: ids.join(','),
    type: BUILDING,
    accept: GEO_JSON,
    context: TEST_SUITE_CONTEXT,
  });
  expectStatus(res, 200);
  expectOneOf(
    [
      'two-buildings-location-attribute-normalized-019-05.geojson',
      'two-buildings-location-attribute-normalized-019-05.alternative.geojson',
      'two-buildings-location-attribute-normalized-019-05.alternative2.geojson',
    ],
    body(res),
  );
});

etsiProcedure(minimalBuildings(3))(
  '019_06_01 Query Entities Specifying A Maximum Number Of Results',
  async (broker, ids) => {
    const res = await broker.queryEntities({ id: ids.join(','), type: BUILDING, limit: '2' });
    expectStatus(res, 200);
    expectEntityCount(body(res), BUILDING, 2);
  },
);

const counted = etsiProcedure((broker) =>
  create(
    broker,
    ['building-simple-attributes.jsonld', newId(ID_PREFIX.Building)],
    ['building-simple-attributes-second.jsonld', newId(ID_PREFIX.Building)],
  ),
);

for (const [name, q, count] of [
  [
    '019_07_01 Check That The Total Number Of Matching Results Is Returned If The Count Parameter Is Set To True And Only The Entity Type Is Provided',
    undefined,
    '2',
  ],
  [
    '019_07_02 Check That The Total Number Of Matching Results Is Returned If The Count Parameter Is Set To True And A Q Parameter Is Provided',
    'airQualityLevel==6',
    '1',
  ],
] as const) {
  counted(name, async (broker) => {
    const res = await broker.queryEntities({
      type: 'Building',
      q,
      count: 'true',
      context: TEST_SUITE_CONTEXT,
    });
    expectStatus(res, 200);
    expectHeader(res, 'NGSILD-Results-Count', count);
  });
}

// 019_08 Entity type selection language

const MULTI_TYPES = 'urn:ngsi-ld:MultiTypes:';

const typed = etsiProcedure((broker) =>
  create(
    broker,
    ['building-simple-attributes.jsonld', newId(MULTI_TYPES)],
    ['building-with-different-type.jsonld', newId(MULTI_TYPES)],
    ['building-with-two-types.jsonld', newId(MULTI_TYPES)],
  ),
);

for (const [name, type, expected] of [
  ['019_08_01 Query With One Type', 'Building', [0, 2]],
  ['019_08_02 Query With The AND Operator', '(Building;TouristDestination)', [2]],
  ['019_08_03 Query With The OR Operator', 'Building,Parking', [0, 1, 2]],
  ['019_08_04 Different Query With The OR Operator', 'Parking,TouristDestination', [1, 2]],
  ['019_08_05 Query With Two Operators', '(Building;Parking),TouristDestination', [2]],
] as const) {
  typed(name, async (broker, ids) => {
    const res = await broker.queryEntities({ type, context: TEST_SUITE_CONTEXT });
    expectStatus(res, 200);
    expectEntityIds(
      body(res),
      expected.map((i) => ids[i]),
    );
  });
}

// 019_09 q

const withQ = etsiProcedure((broker) =>
  create(
    broker,
    ['building-simple-attributes.jsonld', newId(ID_PREFIX.Building)],
    ['building-simple-attributes-second.jsonld', newId(ID_PREFIX.Building)],
    ['building-simple-attributes-third.jsonld', newId(ID_PREFIX.Building)],
  ),
);

for (const [name, q, count] of [
  ['019_09_01 QueryOnName', 'name=="Eiffel Tower"', '1'],
  ['019_09_02 QueryOnNameAndAlmostFullFalse', 'name=="Pisa Tower";almostFull==false', '1'],
  ['019_09_03 QueryOnNameAndAlmostFullFalse', 'name=="Pisa Tower";almostFull==false', '1'],
  ['019_09_04 QueryOnNameOrAlmostFullFalse', 'name=="Pisa Tower"|almostFull==false', '3'],
  [
    '019_09_05 QueryOnNamesAndAlmostFullFalse',
    '(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false',
    '2',
  ],
  ['019_09_06 QueryOnAirQualityLevel', 'airQualityLevel==4', '1'],
  ['019_09_07 QueryOnAirQualityLevelRange', 'airQualityLevel>=4;airQualityLevel<7', '2'],
  ['019_09_08 QueryOnLocatedInExisting', 'locatedIn==urn:ngsi-ld:City:Pisa', '1'],
  ['019_09_09 QueryOnLocatedInNonExisting', 'locatedIn==urn:ngsi-ld:City:Paris', '0'],
  [
    '019_09_10 QueryOnLocatedInTwoCities',
    'locatedIn==urn:ngsi-ld:City:Pisa|locatedIn==urn:ngsi-ld:City:Paris',
    '1',
  ],
] as const) {
  withQ(name, async (broker) => {
    const res = await broker.queryEntities({ q, count: 'true', context: TEST_SUITE_CONTEXT });
    expectStatus(res, 200);
    expectHeader(res, 'NGSILD-Results-Count', count);
  });
}

// 019_10, 019_11 geoQ with Point and Polygon targets

async function geoQuery(
  broker: Broker,
  georel: string,
  geometry: string,
  coordinates: string,
  count: string,
) {
  const res = await broker.queryEntities({
    type: 'Building',
    context: TEST_SUITE_CONTEXT,
    georel,
    geometry,
    coordinates,
    count: 'true',
  });
  expectStatus(res, 200);
  expectHeader(res, 'NGSILD-Results-Count', count);
}

const points = etsiProcedure((broker) =>
  create(
    broker,
    ['building-location-attribute.jsonld', newId(ID_PREFIX.Building)],
    ['building-location-attribute-second.jsonld', newId(ID_PREFIX.Building)],
    ['building-location-attribute-third.jsonld', newId(ID_PREFIX.Building)],
  ),
);

const BERLIN =
  '[[[13.1616211,52.5438124],[13.597641,52.4840224],[13.5948944,52.3402782],[13.142395,52.386428],[13.1616211,52.5438124]]]';

for (const [name, georel, geometry, coordinates, count] of [
  ['019_10_01 QueryOnEqualsPoint', 'equals', 'Point', '[13.3986, 52.5547]', '1'],
  ['019_10_02 QueryOnMaxDistancePoint', 'near;maxDistance==15000', 'Point', '[13.388930, 52.534473]', '2'],
  ['019_10_03 QueryOnMinDistancePoint', 'near;minDistance==15000', 'Point', '[13.388930, 52.534473]', '1'],
  ['019_10_04 QueryOnWithinPolygon', 'within', 'Polygon', BERLIN, '2'],
  ['019_10_05 QueryOnDisjointPolygon', 'disjoint', 'Polygon', BERLIN, '1'],
  ['019_10_06 QueryOnDisjointPoint', 'disjoint', 'Point', '[13.3986, 52.5547]', '2'],
  ['019_10_07 QueryOnContainsPoint', 'contains', 'Point', '[13.3986, 52.5547]', '1'],
  ['019_10_08 QueryOnIntersectsPoint', 'intersects', 'Point', '[13.3986, 52.5547]', '1'],
] as const) {
  points(name, (broker) => geoQuery(broker, georel, geometry, coordinates, count));
}

const polygons = etsiProcedure((broker) =>
  create(
    broker,
    ['building-location-polygon.jsonld', newId(ID_PREFIX.Building)],
    ['building-location-polygon-second.jsonld', newId(ID_PREFIX.Building)],
  ),
);

const SPANDAU =
  '[[[13.1369019,52.5198225],[13.1365585,52.5200314],[13.131752,52.4980907],[13.1832504,52.5026887],[13.1369019,52.5198225]]]';
const SCHOENEBERG =
  '[[[13.3456421,52.4794848],[13.3641815,52.4428773],[13.4177399,52.4730023],[13.3459854,52.479903],[13.3456421,52.4794848]]]';

for (const [name, georel, geometry, coordinates, count] of [
  [
    '019_11_01 QueryOnEqualsPolygon',
    'equals',
    'Polygon',
    '[[[13.2865906,52.5648645],[13.2879639,52.5648645],[13.2797241,52.4988679],[13.477478,52.4712703],[13.5049438,52.5373084],[13.2865906,52.5648645]]]',
    '1',
  ],
  ['019_11_02 QueryOnIntersectsPolygon', 'intersects', 'Polygon', SCHOENEBERG, '1'],
  [
    '019_11_03 QueryOnContainsPolygonMatching',
    'contains',
    'Polygon',
    '[[[13.3844376,52.5356966],[13.3844376,52.5356966],[13.381691,52.5123012],[13.4235764,52.5100027],[13.4331894,52.5273425],[13.3844376,52.5356966]]]',
    '1',
  ],
  ['019_11_04 QueryOnContainsPolygonNotMatching', 'contains', 'Polygon', SPANDAU, '0'],
  ['019_11_05 QueryOnDisjointPolygon', 'disjoint', 'Polygon', SPANDAU, '2'],
  [
    '019_11_06 QueryOnWithinPolygon',
    'within',
    'Polygon',
    '[[[13.3023834,52.4903066],[13.3027267,52.4905156],[13.2745743,52.465632],[13.3343124,52.4185447],[13.4311295,52.47107],[13.3023834,52.4903066]]]',
    '1',
  ],
  ['019_11_07 QueryOnOverlapsPolygon', 'overlaps', 'Polygon', SCHOENEBERG, '1'],
  ['019_11_08 QueryOnContainsPoint', 'contains', 'Point', '[13.3442688,52.4650045]', '1'],
] as const) {
  polygons(name, (broker) => geoQuery(broker, georel, geometry, coordinates, count));
}

// 019_12 datasetId filter

const datasets = etsiProcedure(async (broker) => {
  const [id] = await create(broker, [
    'building-multi-instances-attributes.jsonld',
    newId(ID_PREFIX.Building),
  ]);
  return id;
});

for (const [name, attrs, datasetId, expectation] of [
  ['019_12_01 Filter Based On Attrs Only', 'name', undefined, 'building-name-attribute.jsonld'],
  [
    '019_12_02 Filter Based On datasetId Only',
    undefined,
    'urn:ngsi-ld:Dataset:french-name',
    'building-french-datasetid-only.jsonld',
  ],
  [
    '019_12_03 Filter Based On Two datasetIds',
    undefined,
    'urn:ngsi-ld:Dataset:french-name,urn:ngsi-ld:Dataset:spanish-name',
    'building-two-datasetids.jsonld',
  ],
  ['019_12_04 Filter Based On Default Instance', undefined, '@none', 'building-default-instances.jsonld'],
  [
    '019_12_05 Filter Based On Attrs And Default Instance',
    'name',
    '@none',
    'building-name-attribute-default-instance.jsonld',
  ],
  [
    '019_12_06 Filter Based On Attrs And datasetId',
    'name',
    'urn:ngsi-ld:Dataset:german-name',
    'building-name-attribute-german-instance.jsonld',
  ],
  [
    '019_12_07 Filter Based On Attrs And datasetId With No Match',
    'name',
    'urn:ngsi-ld:Dataset:spanish-name',
    'building-no-attributes.jsonld',
  ],
] as const) {
  datasets(name, async (broker, id) => {
    const res = await broker.queryEntities({
      attrs,
      datasetId,
      type: 'Building',
      context: TEST_SUITE_CONTEXT,
      accept: LD_JSON,
    });
    expectStatus(res, 200);
    expectEntity(expectation, id, bodyArray(res)[0]);
  });
}

// 019_17, 019_18 pick and omit

const picked = (tp: string) =>
  etsiProcedure((broker) =>
    create(
      broker,
      ['building-simple-attributes.jsonld', `${ID_PREFIX.Building}${tp}-1`],
      ['vehicle-simple-attributes.jsonld', `${ID_PREFIX.Vehicle}${tp}-2`],
      ['building-simple-attributes-third.jsonld', `${ID_PREFIX.Building}${tp}-3`],
    ),
  );

const pickOmit = picked('019-17');

for (const [name, pick, omit, expectation] of [
  ['019_17_01 QueryWithPickOnAttributes', 'name', undefined, 'entities-pick-name.json'],
  ['019_17_02 QueryWithOmitOnAttributes', undefined, 'name', 'entities-omit-name.json'],
  ['019_17_03 QueryWithPickOnNonCoreMembers', 'id', undefined, 'entities-pick-id.json'],
  ['019_17_04 QueryWithOmitOnNonCoreMembers', undefined, 'id', 'entities-omit-id.json'],
  ['019_17_05 QueryWithPickOnAttributesAndCoreMembers', 'id,name', undefined, 'entities-pick-id-name.json'],
  [
    '019_17_06 QueryWithOmitOnAttributesAndCoreMembers',
    undefined,
    'type,name',
    'entities-omit-type-name.json',
  ],
] as const) {
  pickOmit(name, async (broker) => {
    const res = await broker.queryEntities({
      type: 'Building,Vehicle',
      pick,
      omit,
      context: TEST_SUITE_CONTEXT,
    });
    expectStatus(res, 200);
    expectContent(`pick-omit/${expectation}`, body(res));
  });
}

const invalidPickOmit = picked('019-18');

for (const [name, pick, omit, attrs] of [
  ['019_18_01 RetrieveWithSameEntityMemberInPickAndOmit', 'name', 'name', undefined],
  ['019_18_02 RetrieveWithPickAndAttrs', 'name', undefined, 'category'],
  ['019_18_03 RetrieveWithOmitAndAttrs', undefined, 'name', 'category'],
  ['019_18_04 RetrieveWithInvalidCharacter', 'id;name', undefined, undefined],
  ['019_18_05 RetrieveWithUnclosedBrace', 'id,locatedAt{name', undefined, undefined],
  ['019_18_06 RetrieveWithDoubleBraces', 'id,locatedAt{{name}', undefined, undefined],
  ['019_18_07 RetrieveWithConsecutiveSeparators', 'id,,name', undefined, undefined],
  [
    '019_18_08 RetrieveWithExpressionStartingWithSpecialCharacter',
    'id,locatedAt{,name}',
    undefined,
    undefined,
  ],
  ['019_18_09 RetrieveWithExpressionContainingNoAttribute', 'id,locatedAt{}', undefined, undefined],
] as const) {
  invalidPickOmit(name, async (broker) => {
    const res = await broker.queryEntities({
      type: 'Building,Vehicle',
      pick,
      omit,
      attrs,
      context: TEST_SUITE_CONTEXT,
    });
    expectProblem(res, 400, `${ERR}BadRequestData`);
  });
}

// 019_19 orderBy

const ordered = etsiProcedure(async (broker) => {
  // Created in the order 2, 1, 3, so that creation order differs from id and name order; a few
  // milliseconds apart, as over a network, so that createdAt tells them apart.
  for (const n of [2, 1, 3]) {
    await create(broker, [`orderBy/building_${n}.jsonld`, `${ID_PREFIX.Building}${n}`]);
    await setTimeout(5);
  }
});

const [B1, B2, B3] = [1, 2, 3].map((n) => `${ID_PREFIX.Building}${n}`);
const ASC = [B1, B2, B3];
const DESC = [B3, B2, B1];
const CREATED = [B2, B1, B3];

for (const [name, orderBy, expected] of [
  ['019_19_01 QueryWithOrderByAttribute', 'name', ASC],
  ['019_19_02 QueryWithOrderById', 'id', ASC],
  ['019_19_03 QueryWithOrderByCreatedAt', 'createdAt', CREATED],
  ['019_19_04 QueryWithOrderByNameCreatedAt', 'name.createdAt', CREATED],
  ['019_19_05 QueryWithOrderBySubAttribute', 'name.subProperty', ASC],
  ['019_19_06 QueryWithOrderByAscending', 'name;asc', ASC],
  ['019_19_07 QueryWithOrderByDescending', 'name;desc', DESC],
  ['019_19_08 QueryWithMultipleOrderBy', 'type,name', ASC],
  ['019_19_09 QueryWithComplexOrderBy', 'type;asc,name.subProperty;desc,name;asc', DESC],
] as const) {
  ordered(name, async (broker) => {
    const res = await broker.queryEntities({ type: 'Building', orderBy, context: TEST_SUITE_CONTEXT });
    expectStatus(res, 200);
    expectEntityIds(body(res), expected, true);
  });
}

// 019_25 local=true without any other parameter

etsiProcedure(minimalBuildings(2))('019_25 Query All Entities With Local Flag', async (broker, ids) => {
  const res = await broker.queryEntities({ local: 'true' });
  expectStatus(res, 200);
  expectEntitiesInList('building-minimal.json', ids, body(res));
});
