import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { distance } from '@turf/turf';
import fc from 'fast-check';
import { ErrorType, type Result } from '../../src/ngsi/errors.ts';
import { candidateBBox, parseGeoQ, parseGeoQuery } from '../../src/ngsi/geo-query.ts';
import type { GeoQuery } from '../../src/ngsi/query-ast.ts';

const LOCATION = 'https://uri.etsi.org/ngsi-ld/location';
const expand = (t: string) => (t === 'location' ? LOCATION : `https://ngsi-ld-test-suite/context#${t}`);

function parsed(r: Result<GeoQuery>): GeoQuery {
  assert.ok(r.ok, r.ok ? '' : r.problem.detail);
  return r.value;
}

function detail(r: Result<unknown>): string {
  assert.ok(!r.ok, 'expected a problem');
  assert.equal(r.problem.type, ErrorType.BadRequestData);
  return r.problem.detail;
}

describe('parseGeoQuery: the ETSI 019_10 parameters', () => {
  test('near;maxDistance with a Point, default geoproperty, bbox enlarged', () => {
    const q = parsed(
      parseGeoQuery(
        { georel: 'near;maxDistance==15000', geometry: 'Point', coordinates: '[13.388930, 52.534473]' },
        expand,
      ),
    );
    assert.deepEqual(q.georel, { kind: 'near', maxDistanceM: 15000 });
    assert.deepEqual(q.geometry, { type: 'Point', coordinates: [13.38893, 52.534473] });
    assert.equal(q.geoproperty, LOCATION);
    const [w, s, e, n] = q.bbox;
    // each edge is at least 15 km from the point, and not absurdly further
    for (const corner of [
      [w, 52.534473],
      [e, 52.534473],
      [13.38893, s],
      [13.38893, n],
    ]) {
      const d = distance([13.38893, 52.534473], corner, { units: 'meters' });
      assert.ok(d >= 15000 && d < 15400, `edge at ${d} m`);
    }
  });

  test('near;minDistance, and both bounds together', () => {
    assert.deepEqual(
      parsed(
        parseGeoQuery(
          { georel: 'near;minDistance==15000', geometry: 'Point', coordinates: '[13.38893,52.534473]' },
          expand,
        ),
      ).georel,
      { kind: 'near', minDistanceM: 15000 },
    );
    assert.deepEqual(
      parsed(
        parseGeoQuery(
          { georel: 'near;minDistance==10;maxDistance==2000', geometry: 'Point', coordinates: '[0,0]' },
          expand,
        ),
      ).georel,
      { kind: 'near', minDistanceM: 10, maxDistanceM: 2000 },
    );
  });

  test('the other relations with a Polygon, and an explicit geoproperty', () => {
    for (const georel of ['within', 'contains', 'intersects', 'overlaps', 'disjoint', 'equals'] as const) {
      const q = parsed(
        parseGeoQuery(
          {
            georel,
            geometry: 'Polygon',
            coordinates:
              '[[[13.1616211,52.5438124],[13.597641,52.4840224],[13.5948944,52.3402782],[13.142395,52.386428],[13.1616211,52.5438124]]]',
            geoproperty: 'observationSpace',
          },
          expand,
        ),
      );
      assert.deepEqual(q.georel, { kind: georel });
      assert.deepEqual(q.bbox, [13.142395, 52.3402782, 13.597641, 52.5438124]);
      assert.equal(q.geoproperty, 'https://ngsi-ld-test-suite/context#observationSpace');
    }
  });

  test('geometry names are matched without regard to case', () => {
    assert.equal(
      parsed(parseGeoQuery({ georel: 'equals', geometry: 'point', coordinates: '[1,2]' }, expand)).geometry
        .type,
      'Point',
    );
  });
});

describe('parseGeoQ: the geoQ member', () => {
  test('coordinates as an array (ETSI subscription-geoQ)', () => {
    const q = parsed(
      parseGeoQ(
        {
          geometry: 'Point',
          coordinates: [-8.5, 41.2],
          georel: 'near;maxDistance==2000',
          geoproperty: 'location',
        },
        expand,
      ),
    );
    assert.deepEqual(q.georel, { kind: 'near', maxDistanceM: 2000 });
    assert.equal(q.geoproperty, LOCATION);
  });

  test('wrong member types', () => {
    assert.equal(detail(parseGeoQ('near', expand)), 'geoQ: must be a JSON object');
    assert.equal(
      detail(parseGeoQ({ georel: 1, geometry: 'Point', coordinates: [0, 0] }, expand)),
      'geoQ.georel: must be a string',
    );
    assert.equal(
      detail(parseGeoQ({ georel: 'within', geometry: 'Point', coordinates: { x: 1 } }, expand)),
      'geoQ.coordinates: must be an array (or its JSON text)',
    );
  });
});

describe('parseGeoQuery: errors', () => {
  const cases: [Parameters<typeof parseGeoQuery>[0], string][] = [
    [
      { georel: 'within' },
      'geo-query: geometry, coordinates missing (georel, geometry and coordinates go together)',
    ],
    [
      { geometry: 'Point', coordinates: '[0,0]' },
      'geo-query: georel missing (georel, geometry and coordinates go together)',
    ],
    [
      { georel: 'inside', geometry: 'Point', coordinates: '[0,0]' },
      'georel: unknown relation "inside" (expected near, within, contains, intersects, overlaps, disjoint or equals)',
    ],
    [
      { georel: 'near', geometry: 'Point', coordinates: '[0,0]' },
      'georel: near needs ;maxDistance==<metres> or ;minDistance==<metres>',
    ],
    [
      { georel: 'near;maxDistance=100', geometry: 'Point', coordinates: '[0,0]' },
      'georel: expected maxDistance==<metres> or minDistance==<metres>, found "maxDistance=100"',
    ],
    [
      { georel: 'near;maxDistance==-5', geometry: 'Point', coordinates: '[0,0]' },
      'georel: maxDistance must be a non-negative number of metres, found "-5"',
    ],
    [
      { georel: 'near;maxDistance==5;maxDistance==6', geometry: 'Point', coordinates: '[0,0]' },
      'georel: maxDistance given twice',
    ],
    [
      { georel: 'near;minDistance==50;maxDistance==10', geometry: 'Point', coordinates: '[0,0]' },
      'georel: minDistance 50 exceeds maxDistance 10',
    ],
    [
      { georel: 'near;maxDistance==10', geometry: 'Polygon', coordinates: '[[[0,0],[1,0],[1,1],[0,0]]]' },
      'georel: near needs a Point geometry, found Polygon (clause 4.10)',
    ],
    [
      { georel: 'within', geometry: 'Circle', coordinates: '[0,0]' },
      'geometry: unknown geometry type "Circle" (expected Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon)',
    ],
    [{ georel: 'within', geometry: 'Point', coordinates: '[0,0' }, 'coordinates: not a JSON array: "[0,0"'],
    [{ georel: 'within', geometry: 'Point', coordinates: '"0,0"' }, 'coordinates: must be a JSON array'],
    [
      { georel: 'within', geometry: 'Point', coordinates: '[200,0]' },
      'coordinates: longitude 200 is outside [-180, 180]',
    ],
    [
      { georel: 'within', geometry: 'Polygon', coordinates: '[[[0,0],[1,0],[1,1],[0,1]]]' },
      'coordinates[0]: linear ring is not closed (first position [0,0] differs from last [0,1])',
    ],
    [
      { georel: 'within', geometry: 'Point', coordinates: '[0,0]', geoproperty: 'loc ation' },
      'geoproperty: not a valid attribute name: "loc ation"',
    ],
  ];
  for (const [params, expected] of cases) {
    test(JSON.stringify(params), () => assert.equal(detail(parseGeoQuery(params, expand)), expected));
  }

  test('arbitrary parameters parse or give BadRequestData, never throw', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        'near;maxDistance==10',
        'near;minDistance==1e3',
        'within',
        'Point',
        'Polygon',
        '[0,0]',
        '[[[0,0],[1,0],[1,1],[0,0]]]',
      ),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(
        fc.record(
          { georel: text, geometry: text, coordinates: text, geoproperty: text },
          { requiredKeys: [] },
        ),
        (params) => {
          const r = parseGeoQuery(params, expand);
          if (!r.ok) assert.equal(r.problem.type, ErrorType.BadRequestData);
          else assert.ok(r.value.bbox.every(Number.isFinite));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('near bbox', () => {
  test('covers every point within maxDistance, near the poles and the antimeridian too', () => {
    const lon = fc.double({ min: -180, max: 180, noNaN: true });
    const lat = fc.double({ min: -89.9, max: 89.9, noNaN: true });
    fc.assert(
      fc.property(
        lon,
        lat,
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.double({ min: 0, max: 360, noNaN: true }),
        (x, y, d, bearing) => {
          const q = parsed(
            parseGeoQuery(
              { georel: `near;maxDistance==${d}`, geometry: 'Point', coordinates: JSON.stringify([x, y]) },
              expand,
            ),
          );
          // the point at distance d along a bearing (spherical destination formula)
          const R = 6371008.8;
          const φ1 = (y * Math.PI) / 180;
          const λ1 = (x * Math.PI) / 180;
          const δ = d / R;
          const θ = (bearing * Math.PI) / 180;
          const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ));
          const λ2 =
            λ1 +
            Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * Math.sin(φ2));
          const lat2 = (φ2 * 180) / Math.PI;
          const lon2 = (((λ2 * 180) / Math.PI + 540) % 360) - 180;
          const [w, s, e, n] = q.bbox;
          assert.ok(s <= lat2 && lat2 <= n && w <= lon2 && lon2 <= e, `${[lon2, lat2]} outside ${q.bbox}`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('candidateBBox is undefined where no prefilter is possible', () => {
    const q = (georel: string) =>
      parsed(parseGeoQuery({ georel, geometry: 'Point', coordinates: '[1,2]' }, expand));
    assert.equal(candidateBBox(q('disjoint')), undefined);
    assert.equal(candidateBBox(q('near;minDistance==5')), undefined);
    assert.deepEqual(candidateBBox(q('within')), [1, 2, 1, 2]);
  });
});
