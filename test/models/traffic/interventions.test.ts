import assert from 'node:assert/strict';
import { test } from 'node:test';
import { booleanPointInPolygon, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { applyInterventions } from '../../../src/models/traffic/apply-interventions.ts';
import { buildDemand, buildNetwork, findLink, nodeIndex } from '../../../src/models/traffic/index.ts';
import { type InterventionDocument, parseInterventions } from '../../../src/models/traffic/interventions.ts';
import { readJson, SIOUX_UNITS, siouxFalls } from '../../fixtures/scenario/load.ts';

function parsed(doc: unknown): InterventionDocument {
  const r = parseInterventions(doc);
  if (!r.ok) assert.fail(r.errors.join('\n'));
  return r.value;
}

const link = (net: ReturnType<typeof siouxFalls>['net'], f: number, t: number) =>
  findLink(net, nodeIndex(net, f), nodeIndex(net, t));

test('a document with one of every intervention parses, and applies to a copy of the network', () => {
  const { net, demand } = siouxFalls();
  const before = {
    capacity: net.capacity.slice(),
    fft: net.freeFlowTime.slice(),
    trips: demand.trips.slice(),
  };
  const doc = parsed(readJson('mixed-package.json'));
  assert.equal(doc.interventions.length, 7);
  const r = applyInterventions(net, demand, doc, SIOUX_UNITS);
  if (!r.ok) assert.fail(r.errors.join('\n'));
  const s = r.value;
  // closure of 10-16 both ways, two added links 12-14 both ways
  assert.equal(s.closedLinks.length, 2);
  assert.deepEqual(
    s.closedLinks,
    [link(net, 10, 16), link(net, 16, 10)].sort((a, b) => a - b),
  );
  assert.equal(s.network.linkCount, 76 - 2 + 2);
  assert.equal([...s.linkOrigin].filter((o) => o < 0).length, 2);
  const sLink = (f: number, t: number) => link(s.network, f, t);
  assert.ok(Math.abs(s.network.capacity[sLink(3, 4)] - net.capacity[link(net, 3, 4)] / 2) < 1e-9);
  // 6 miles at 50 km/h: 9.656 km / 50 km/h = 11.59 min (was 6 min at 60 mph)
  assert.ok(Math.abs(s.network.freeFlowTime[sLink(1, 2)] - (6 * 1.609344 * 60) / 50) < 1e-9);
  // toll 1.5 at 12/h = 7.5 min of generalized cost, carried with factor 1
  assert.equal(s.network.tollFactor, 1);
  assert.ok(Math.abs(s.network.toll[sLink(12, 13)] - 7.5) < 1e-12);
  assert.equal(s.tollMoney[sLink(12, 13)], 1.5);
  // the new link has the great-circle length of 12 → 14 and BPR defaults
  const added = sLink(12, 14);
  assert.ok(added >= 0);
  assert.equal(s.linkOrigin[added], -1);
  const [x1, y1, x2, y2] = [net.lon![11], net.lat![11], net.lon![13], net.lat![13]];
  const flatKm = Math.hypot((x2 - x1) * Math.cos((((y1 + y2) / 2) * Math.PI) / 180), y2 - y1) * 111.195;
  const km = s.network.length[added] * 1.609344;
  assert.ok(Math.abs(km - flatKm) / flatKm < 1e-3, `${km} km vs ${flatKm} km`);
  assert.equal(s.network.b[added], 0.15);
  // demand from and to zone 20 × 1.25 (the 20 → 20 entry does not exist)
  let z20 = 0;
  let z20s = 0;
  for (let o = 0; o < 24; o++) {
    for (let e = demand.start[o]; e < demand.start[o + 1]; e++)
      if (o === 19 || demand.dest[e] === 19) z20 += demand.trips[e];
    for (let e = s.demand.start[o]; e < s.demand.start[o + 1]; e++)
      if (o === 19 || s.demand.dest[e] === 19) z20s += s.demand.trips[e];
  }
  assert.ok(Math.abs(z20s - 1.25 * z20) < 1e-6);
  assert.ok(Math.abs(s.demand.total - demand.total - 0.25 * z20) < 1e-6);
  assert.equal(s.evShare, 0.3);
  assert.equal(s.changes.length, 7);
  // the baseline is untouched
  assert.deepEqual(net.capacity, before.capacity);
  assert.deepEqual(net.freeFlowTime, before.fft);
  assert.deepEqual(demand.trips, before.trips);
  assert.equal(net.linkCount, 76);
});

test('a cordon charges entries only and a limited traffic zone keeps the allowed share of crossing trips', () => {
  const { net, demand } = siouxFalls();
  const r = applyInterventions(net, demand, parsed(readJson('cordon-toll.json')), SIOUX_UNITS);
  if (!r.ok) assert.fail(r.errors.join('\n'));
  const inside = new Set([9, 10, 11]);
  for (let a = 0; a < r.value.network.linkCount; a++) {
    const f: number = net.nodeId[r.value.network.from[a]];
    const t: number = net.nodeId[r.value.network.to[a]];
    const entry: boolean = !inside.has(f) && inside.has(t);
    assert.equal(r.value.tollMoney[a], entry ? 2 : 0, `${f} → ${t}`);
  }
  assert.deepEqual(
    [...r.value.insideCordon].flatMap((x, i) => (x ? [net.nodeId[i]] : [])),
    [9, 10, 11],
  );
  const z = applyInterventions(net, demand, parsed(readJson('ztl.json')), SIOUX_UNITS);
  if (!z.ok) assert.fail(z.errors.join('\n'));
  let crossing = 0;
  let internal = 0;
  for (let o = 0; o < 24; o++) {
    for (let e = demand.start[o]; e < demand.start[o + 1]; e++) {
      const d = demand.dest[e];
      if (inside.has(o + 1) !== inside.has(d + 1)) crossing += demand.trips[e];
      else internal += demand.trips[e];
    }
  }
  assert.ok(Math.abs(z.value.demand.total - (internal + 0.3 * crossing)) < 1e-6);
  assert.ok(z.value.banPenalty.some((p) => p > 0));
  assert.equal(z.value.network.tollFactor, 1);
});

test('errors name the intervention and the field, and nothing is applied', () => {
  const bad = parseInterventions({
    name: '',
    extra: 1,
    interventions: [
      { type: 'closeRoad', links: [[1, 2]] },
      { type: 'capacity', links: [[1, 2]] },
      { type: 'speedLimit', links: [[1]], speedKmh: -30 },
      {
        type: 'cordon',
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
            ],
          ],
        },
        toll: 1,
      },
      { type: 'fleet', evShare: 1.5, note: 'x' },
      { type: 'demand', factor: 2 },
    ],
  });
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  assert.deepEqual(bad.errors, [
    'extra: unknown field',
    'name: expected a non-empty string',
    'interventions[0].type: expected one of closeLinks, capacity, speedLimit, addLink, toll, cordon, demand, fleet, got "closeRoad"',
    'interventions[1]: give exactly one of factor, capacityVehPerH, lanes (+ currentLanes)',
    'interventions[2].links[0]: expected [from, to] node ids, got [1]',
    'interventions[2].speedKmh: expected a speed in km/h > 0, got -30',
    'interventions[3].area: not a valid GeoJSON Polygon or MultiPolygon (rings of ≥ 4 [lon, lat] positions)',
    'interventions[4].note: unknown field for fleet',
    'interventions[4].evShare: expected a share in [0, 1], got 1.5',
    'interventions[5]: select zones with "zones" or "area"',
  ]);
  const { net, demand } = siouxFalls();
  const doc = parsed({
    name: 'unknown things',
    interventions: [
      {
        type: 'closeLinks',
        links: [
          [1, 99],
          [1, 24],
        ],
      },
      { type: 'toll', links: [[1, 2]], toll: 3 },
      { type: 'demand', zones: [25], factor: 2 },
    ],
  });
  const r = applyInterventions(net, demand, doc, SIOUX_UNITS);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.errors, [
    'valueOfTimePerHour: tolls need a value of time; the network has no toll factor',
    'interventions[0].links[0]: no node 99 in the network',
    'interventions[0].links[1]: no open link from 1 to 24',
    'interventions[2].zones[0]: no node 25 in the network',
  ]);
});

test('an area selects the links with both ends inside it', () => {
  const { net, demand } = siouxFalls();
  const area = {
    type: 'Polygon',
    coordinates: [
      [
        [-96.75, 43.535],
        [-96.72, 43.535],
        [-96.72, 43.55],
        [-96.75, 43.55],
        [-96.75, 43.535],
      ],
    ],
  };
  const r = applyInterventions(
    net,
    demand,
    parsed({ name: '30 zone', interventions: [{ type: 'speedLimit', area, speedKmh: 30 }] }),
    SIOUX_UNITS,
  );
  if (!r.ok) assert.fail(r.errors.join('\n'));
  const changed: string[] = [];
  for (let a = 0; a < net.linkCount; a++) {
    if (r.value.network.freeFlowTime[a] !== net.freeFlowTime[a])
      changed.push(`${net.nodeId[net.from[a]]}-${net.nodeId[net.to[a]]}`);
  }
  assert.deepEqual(changed, ['9-10', '10-9', '10-11', '11-10']);
});

test("a cordon can be Bologna's limited traffic zone: its 14 polygons as a FeatureCollection", () => {
  const ztl = readJson('bologna_ztl_zones.geojson') as { features: Feature<Polygon | MultiPolygon>[] };
  // A 12 × 10 grid of two-way streets over the historic centre, 4 zones in its corners.
  const nx = 12;
  const ny = 10;
  const lon: number[] = [];
  const lat: number[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      lon.push(11.322 + (i * 0.042) / (nx - 1));
      lat.push(44.481 + (j * 0.026) / (ny - 1));
    }
  const corners = [0, nx - 1, nx * (ny - 1), nx * ny - 1];
  const order = [...corners, ...lon.map((_, k) => k).filter((k) => !corners.includes(k))];
  const pos = new Map(order.map((k, idx) => [k, idx]));
  const from: number[] = [];
  const to: number[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const twoWay = (l: number) => {
        from.push(pos.get(k)!, pos.get(l)!);
        to.push(pos.get(l)!, pos.get(k)!);
      };
      if (i + 1 < nx) twoWay(k + 1);
      if (j + 1 < ny) twoWay(k + nx);
    }
  const m = from.length;
  const n = nx * ny;
  const f = (v: number) => new Float64Array(m).fill(v);
  const net = buildNetwork({
    nodeCount: n,
    zoneCount: 4,
    firstThruNode: 0,
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    capacity: f(900),
    length: f(300),
    freeFlowTime: f(0.6),
    b: f(0.15),
    power: f(4),
    speedLimit: f(30),
    toll: f(0),
    linkType: new Int32Array(m),
    tollFactor: 0,
    distanceFactor: 0,
    nodeId: Float64Array.from(order, (k) => k + 1),
    lon: Float64Array.from(order, (k) => lon[k]),
    lat: Float64Array.from(order, (k) => lat[k]),
  });
  const demand = buildDemand(4, [0, 3], [3, 0], [500, 500]);
  const doc = parsed({
    name: 'ZTL charge',
    valueOfTimePerHour: 10,
    interventions: [{ type: 'cordon', area: ztl, toll: 5 }],
  });
  const r = applyInterventions(net, demand, doc, { lengthKm: 0.001, timeH: 1 / 60 });
  if (!r.ok) assert.fail(r.errors.join('\n'));
  const inside = (i: number) =>
    ztl.features.some((z) => booleanPointInPolygon(point([net.lon![i], net.lat![i]]), z));
  let expected = 0;
  for (let a = 0; a < m; a++) {
    const entry = !inside(net.from[a]) && inside(net.to[a]);
    if (entry) expected++;
    assert.equal(r.value.tollMoney[a], entry ? 5 : 0);
    // 5 at 10 per hour is 30 minutes of generalized cost
    assert.equal(r.value.network.toll[a], entry ? 30 : 0);
  }
  assert.ok(expected > 5, `${expected} entries`);
  assert.equal([...r.value.insideCordon].filter((x, i) => x !== (inside(i) ? 1 : 0)).length, 0);
});
