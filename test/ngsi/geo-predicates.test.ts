import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { distance } from '@turf/turf';
import fc from 'fast-check';
import { evaluateGeoQuery } from '../../src/ngsi/geo-predicates.ts';
import { parseGeoQuery } from '../../src/ngsi/geo-query.ts';
import type { GeoJsonGeometry, GeoQuery } from '../../src/ngsi/query-ast.ts';

// the ETSI payloads copied into the repository with the conformance tests
const ETSI = 'test/conformance/etsi-data/data/entities';

function etsiLocation(file: string): GeoJsonGeometry {
  const entity = JSON.parse(readFileSync(`${ETSI}/${file}`, 'utf8')) as {
    location: { value: GeoJsonGeometry };
  };
  return entity.location.value;
}

function query(georel: string, geometry: string, coordinates: string): GeoQuery {
  const r = parseGeoQuery({ georel, geometry, coordinates }, (t) => t);
  assert.ok(r.ok, r.ok ? '' : r.problem.detail);
  return r.value;
}

const count = (q: GeoQuery, targets: GeoJsonGeometry[]) =>
  targets.filter((t) => evaluateGeoQuery(q, t)).length;

describe('evaluateGeoQuery: ETSI 019_10 (Point targets) expected counts', () => {
  const targets = () =>
    [
      'building-location-attribute.jsonld',
      'building-location-attribute-second.jsonld',
      'building-location-attribute-third.jsonld',
    ].map(etsiLocation);
  const berlin =
    '[[[13.1616211,52.5438124],[13.597641,52.4840224],[13.5948944,52.3402782],[13.142395,52.386428],[13.1616211,52.5438124]]]';
  const cases: [string, string, string, string, number][] = [
    ['019_10_01', 'equals', 'Point', '[13.3986, 52.5547]', 1],
    ['019_10_02', 'near;maxDistance==15000', 'Point', '[13.388930, 52.534473]', 2],
    ['019_10_03', 'near;minDistance==15000', 'Point', '[13.388930, 52.534473]', 1],
    ['019_10_04', 'within', 'Polygon', berlin, 2],
    ['019_10_05', 'disjoint', 'Polygon', berlin, 1],
    ['019_10_06', 'disjoint', 'Point', '[13.3986, 52.5547]', 2],
    ['019_10_07', 'contains', 'Point', '[13.3986, 52.5547]', 1],
    ['019_10_08', 'intersects', 'Point', '[13.3986, 52.5547]', 1],
  ];
  for (const [id, georel, geometry, coordinates, expected] of cases) {
    test(`${id} ${georel}`, () =>
      assert.equal(count(query(georel, geometry, coordinates), targets()), expected));
  }
});

describe('evaluateGeoQuery: ETSI 019_11 (Polygon targets) expected counts', () => {
  const targets = () =>
    ['building-location-polygon.jsonld', 'building-location-polygon-second.jsonld'].map(etsiLocation);
  const cases: [string, string, string, string, number][] = [
    [
      '019_11_01',
      'equals',
      'Polygon',
      '[[[13.2865906,52.5648645],[13.2879639,52.5648645],[13.2797241,52.4988679],[13.477478,52.4712703],[13.5049438,52.5373084],[13.2865906,52.5648645]]]',
      1,
    ],
    [
      '019_11_02',
      'intersects',
      'Polygon',
      '[[[13.3456421,52.4794848],[13.3641815,52.4428773],[13.4177399,52.4730023],[13.3459854,52.479903],[13.3456421,52.4794848]]]',
      1,
    ],
    [
      '019_11_03',
      'contains',
      'Polygon',
      '[[[13.3844376,52.5356966],[13.3844376,52.5356966],[13.381691,52.5123012],[13.4235764,52.5100027],[13.4331894,52.5273425],[13.3844376,52.5356966]]]',
      1,
    ],
    [
      '019_11_04',
      'contains',
      'Polygon',
      '[[[13.1369019,52.5198225],[13.1365585,52.5200314],[13.131752,52.4980907],[13.1832504,52.5026887],[13.1369019,52.5198225]]]',
      0,
    ],
    [
      '019_11_05',
      'disjoint',
      'Polygon',
      '[[[13.1369019,52.5198225],[13.1365585,52.5200314],[13.131752,52.4980907],[13.1832504,52.5026887],[13.1369019,52.5198225]]]',
      2,
    ],
    [
      '019_11_06',
      'within',
      'Polygon',
      '[[[13.3023834,52.4903066],[13.3027267,52.4905156],[13.2745743,52.465632],[13.3343124,52.4185447],[13.4311295,52.47107],[13.3023834,52.4903066]]]',
      1,
    ],
    [
      '019_11_07',
      'overlaps',
      'Polygon',
      '[[[13.3456421,52.4794848],[13.3641815,52.4428773],[13.4177399,52.4730023],[13.3459854,52.479903],[13.3456421,52.4794848]]]',
      1,
    ],
    ['019_11_08', 'contains', 'Point', '[13.3442688,52.4650045]', 1],
  ];
  for (const [id, georel, geometry, coordinates, expected] of cases) {
    test(`${id} ${georel}`, () =>
      assert.equal(count(query(georel, geometry, coordinates), targets()), expected));
  }
});

describe('evaluateGeoQuery: boundaries and Multi* geometries', () => {
  const square = '[[[0,0],[10,0],[10,10],[0,10],[0,0]]]';
  const pt = (x: number, y: number): GeoJsonGeometry => ({ type: 'Point', coordinates: [x, y] });

  test('a point on the boundary intersects but is not within', () => {
    assert.equal(evaluateGeoQuery(query('within', 'Polygon', square), pt(10, 5)), false);
    assert.equal(evaluateGeoQuery(query('intersects', 'Polygon', square), pt(10, 5)), true);
    assert.equal(evaluateGeoQuery(query('disjoint', 'Polygon', square), pt(10, 5)), false);
    assert.equal(evaluateGeoQuery(query('within', 'Polygon', square), pt(5, 5)), true);
  });

  test('a polygon target contains a point on its boundary? no; inside: yes', () => {
    const target: GeoJsonGeometry = { type: 'Polygon', coordinates: JSON.parse(square) };
    assert.equal(evaluateGeoQuery(query('contains', 'Point', '[0,5]'), target), false);
    assert.equal(evaluateGeoQuery(query('contains', 'Point', '[3,5]'), target), true);
  });

  test('Multi* targets and references', () => {
    const multi: GeoJsonGeometry = {
      type: 'MultiPoint',
      coordinates: [
        [1, 1],
        [9, 9],
      ],
    };
    assert.equal(evaluateGeoQuery(query('within', 'Polygon', square), multi), true);
    assert.equal(
      evaluateGeoQuery(query('within', 'Polygon', '[[[0,0],[5,0],[5,5],[0,5],[0,0]]]'), multi),
      false,
    );
    assert.equal(
      evaluateGeoQuery(query('intersects', 'Polygon', '[[[0,0],[5,0],[5,5],[0,5],[0,0]]]'), multi),
      true,
    );
    const twoSquares = '[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,6],[5,5]]]]';
    assert.equal(evaluateGeoQuery(query('within', 'MultiPolygon', twoSquares), pt(5.5, 5.5)), true);
    assert.equal(evaluateGeoQuery(query('within', 'MultiPolygon', twoSquares), pt(3, 3)), false);
    const lines: GeoJsonGeometry = {
      type: 'MultiLineString',
      coordinates: [
        [
          [0, 0],
          [2, 0],
        ],
        [
          [0, 1],
          [2, 1],
        ],
      ],
    };
    assert.equal(evaluateGeoQuery(query('contains', 'Point', '[1,1]'), lines), true);
    assert.equal(evaluateGeoQuery(query('contains', 'Point', '[1,0.5]'), lines), false);
    assert.equal(evaluateGeoQuery(query('contains', 'Polygon', square), lines), false);
  });

  test('overlaps needs one dimension; equals needs one type', () => {
    const line: GeoJsonGeometry = {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [5, 5],
      ],
    };
    assert.equal(evaluateGeoQuery(query('overlaps', 'Polygon', square), line), false);
    assert.equal(evaluateGeoQuery(query('overlaps', 'Point', '[1,1]'), pt(1, 1)), false);
    assert.equal(
      evaluateGeoQuery(query('equals', 'Point', '[1,1]'), { type: 'MultiPoint', coordinates: [[1, 1]] }),
      false,
    );
    assert.equal(evaluateGeoQuery(query('equals', 'LineString', '[[0,0],[5,5]]'), line), true);
  });

  test('near measures to the nearest point of lines and polygons', () => {
    const line: GeoJsonGeometry = {
      type: 'LineString',
      coordinates: [
        [0, -1],
        [0, 1],
      ],
    };
    // 0.01° of longitude at the equator is about 1112 m
    assert.equal(evaluateGeoQuery(query('near;maxDistance==1200', 'Point', '[0.01,0]'), line), true);
    assert.equal(evaluateGeoQuery(query('near;maxDistance==1000', 'Point', '[0.01,0]'), line), false);
    const polygon: GeoJsonGeometry = { type: 'Polygon', coordinates: JSON.parse(square) };
    assert.equal(evaluateGeoQuery(query('near;maxDistance==1', 'Point', '[5,5]'), polygon), true);
    assert.equal(evaluateGeoQuery(query('near;minDistance==1', 'Point', '[5,5]'), polygon), false);
  });

  test('near between points agrees with the haversine distance', () => {
    const pos = fc.tuple(
      fc.double({ min: -179, max: 179, noNaN: true }),
      fc.double({ min: -85, max: 85, noNaN: true }),
    );
    fc.assert(
      fc.property(pos, pos, fc.integer({ min: 0, max: 5_000_000 }), (a, b, d) => {
        const q = query(`near;maxDistance==${d}`, 'Point', JSON.stringify(a));
        const expected = distance(a, b, { units: 'meters' }) <= d;
        assert.equal(evaluateGeoQuery(q, { type: 'Point', coordinates: b }), expected);
      }),
      { numRuns: 500 },
    );
  });
});
