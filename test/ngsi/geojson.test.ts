import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ErrorType } from '../../src/ngsi/errors.ts';
import { bboxOf, validateGeometry } from '../../src/ngsi/geojson.ts';

function detail(g: unknown): string {
  const r = validateGeometry(g);
  assert.ok(!r.ok, 'expected a problem');
  assert.equal(r.problem.type, ErrorType.BadRequestData);
  return r.problem.detail;
}

/** Reference polygon of the ETSI suite (building-location-polygon.jsonld). */
const etsiPolygon = {
  type: 'Polygon',
  coordinates: [
    [
      [13.2865906, 52.5648645],
      [13.2879639, 52.5648645],
      [13.2797241, 52.4988679],
      [13.477478, 52.4712703],
      [13.5049438, 52.5373084],
      [13.2865906, 52.5648645],
    ],
  ],
};

describe('validateGeometry', () => {
  test('accepts every supported type, altitude included', () => {
    const valid = [
      { type: 'Point', coordinates: [13.3986, 52.5547] },
      { type: 'Point', coordinates: [-180, -90, 120.5] },
      {
        type: 'MultiPoint',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [0, 0],
            [1, 1],
          ],
          [
            [2, 2],
            [3, 3],
          ],
        ],
      },
      etsiPolygon,
      {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
          [
            [
              [5, 5],
              [6, 5],
              [6, 6],
              [5, 5],
            ],
          ],
        ],
      },
    ];
    for (const g of valid) {
      const r = validateGeometry(g);
      assert.ok(r.ok, r.ok ? '' : r.problem.detail);
      assert.deepEqual(r.value, { type: g.type, coordinates: g.coordinates });
    }
  });

  test('a ring may repeat a vertex (ETSI 019_11_03 sends one)', () => {
    const g = {
      type: 'Polygon',
      coordinates: [
        [
          [13.38, 52.53],
          [13.38, 52.53],
          [13.38, 52.51],
          [13.42, 52.51],
          [13.38, 52.53],
        ],
      ],
    };
    assert.ok(validateGeometry(g).ok);
  });

  const cases: [unknown, string][] = [
    [null, 'geometry: must be a GeoJSON geometry object'],
    [[1, 2], 'geometry: must be a GeoJSON geometry object'],
    [{ coordinates: [0, 0] }, 'geometry: member "type" must be a string'],
    [
      { type: 'Circle', coordinates: [0, 0] },
      'geometry: unknown geometry type "Circle" (expected Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon)',
    ],
    [
      { type: 'GeometryCollection', geometries: [] },
      'geometry: GeometryCollection is not supported, use a Multi* geometry',
    ],
    [{ type: 'Point' }, 'geometry: Point needs a "coordinates" member'],
    [{ type: 'Point', coordinates: [1] }, 'geometry.coordinates: a position has 2 or 3 numbers, found 1'],
    [{ type: 'Point', coordinates: ['1', 2] }, 'geometry.coordinates[0]: must be a finite number, found "1"'],
    [{ type: 'Point', coordinates: [181, 0] }, 'geometry.coordinates: longitude 181 is outside [-180, 180]'],
    [{ type: 'Point', coordinates: [0, -90.5] }, 'geometry.coordinates: latitude -90.5 is outside [-90, 90]'],
    [
      { type: 'Point', coordinates: [[0, 0], 1] },
      'geometry.coordinates[0]: must be a finite number, found [0,0]',
    ],
    [{ type: 'MultiPoint', coordinates: [] }, 'geometry.coordinates: needs at least 1 element'],
    [
      { type: 'LineString', coordinates: [[0, 0]] },
      'geometry.coordinates: a LineString needs at least 2 positions',
    ],
    [
      { type: 'LineString', coordinates: [0, 0] },
      'geometry.coordinates[0]: a position must be an array [longitude, latitude]',
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      },
      'geometry.coordinates[0]: linear ring is not closed (first position [0,0] differs from last [0,1])',
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ],
      },
      'geometry.coordinates[0]: a linear ring needs at least 4 positions, found 3',
    ],
    [{ type: 'Polygon', coordinates: [] }, 'geometry.coordinates: needs at least 1 element'],
    [
      {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
          [
            [
              [0, 0],
              [0, 91],
              [1, 1],
              [0, 0],
            ],
          ],
        ],
      },
      'geometry.coordinates[1][0][1]: latitude 91 is outside [-90, 90]',
    ],
  ];
  for (const [g, expected] of cases) {
    test(`rejects ${JSON.stringify(g)}`, () => assert.equal(detail(g), expected));
  }

  test('the label names the value in the detail', () => {
    const r = validateGeometry({ type: 'Point', coordinates: [0, 99] }, 'location.value');
    assert.ok(!r.ok);
    assert.equal(r.problem.detail, 'location.value.coordinates: latitude 99 is outside [-90, 90]');
  });

  test('arbitrary JSON is accepted or refused with BadRequestData, never throws', () => {
    const coords = fc.letrec<{ c: unknown }>((tie) => ({
      c: fc.oneof(
        { depthSize: 'small' },
        fc.double(),
        fc.integer({ min: -200, max: 200 }),
        fc.array(tie('c'), { maxLength: 5 }),
      ),
    })).c;
    const geometry = fc.oneof(
      fc.record({
        type: fc.constantFrom(
          'Point',
          'MultiPoint',
          'LineString',
          'MultiLineString',
          'Polygon',
          'MultiPolygon',
          'X',
        ),
        coordinates: coords,
      }),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(geometry, (g) => {
        const r = validateGeometry(g);
        if (r.ok) assert.ok(bboxOf(r.value).every(Number.isFinite));
        else assert.equal(r.problem.type, ErrorType.BadRequestData);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('bboxOf', () => {
  test('of a point, a polygon and a multipolygon', () => {
    assert.deepEqual(
      bboxOf({ type: 'Point', coordinates: [13.3986, 52.5547] }),
      [13.3986, 52.5547, 13.3986, 52.5547],
    );
    assert.deepEqual(
      bboxOf({ type: 'Polygon', coordinates: etsiPolygon.coordinates }),
      [13.2797241, 52.4712703, 13.5049438, 52.5648645],
    );
    assert.deepEqual(
      bboxOf({
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
          [
            [
              [5, -5],
              [6, 5],
              [6, 6],
              [5, -5],
            ],
          ],
        ],
      }),
      [0, -5, 6, 6],
    );
  });

  test('contains every position of generated line strings', () => {
    const position = fc.tuple(
      fc.double({ min: -180, max: 180, noNaN: true }),
      fc.double({ min: -90, max: 90, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(position, { minLength: 2, maxLength: 20 }), (coordinates) => {
        const [w, s, e, n] = bboxOf({ type: 'LineString', coordinates });
        assert.ok(coordinates.every(([x, y]) => w <= x && x <= e && s <= y && y <= n));
        assert.ok(coordinates.some(([x]) => x === w) && coordinates.some(([, y]) => y === n));
      }),
    );
  });
});
