import assert from 'node:assert/strict';
import { test } from 'node:test';
import { districtsFromGeoJson, LEIPZIG_INDICATORS } from '../../../src/models/social/index.ts';
import { parseInterventions } from '../../../src/models/traffic/interventions.ts';
import {
  runScenario,
  type ScenarioComparison,
  type ScenarioOptions,
} from '../../../src/models/traffic/scenario.ts';
import { leipzigEmissions, readJson, SIOUX_UNITS, siouxFalls } from '../../fixtures/scenario/load.ts';

const GAP = 1e-7;

function run(doc: unknown, extra: Partial<ScenarioOptions> = {}): ScenarioComparison {
  const parsed = parseInterventions(doc);
  if (!parsed.ok) assert.fail(parsed.errors.join('\n'));
  const { net, demand } = siouxFalls();
  const r = runScenario(net, demand, parsed.value, {
    units: SIOUX_UNITS,
    emissions: leipzigEmissions(),
    assignment: { gap: GAP },
    ...extra,
  });
  if (!r.ok) assert.fail(r.errors.join('\n'));
  assert.ok(r.value.baseline.relativeGap <= GAP && r.value.scenario.relativeGap <= GAP);
  return r.value;
}

const INSIDE = new Set([9, 10, 11]);
/** Flow on the links that end inside the cordon: the traffic entering it and moving within it. */
function flowInto(r: ScenarioComparison, which: 'baseline' | 'scenario', entriesOnly = false): number {
  let s = 0;
  for (let i = 0; i < r.links.count; i++) {
    if (!INSIDE.has(r.links.toId[i])) continue;
    if (entriesOnly && INSIDE.has(r.links.fromId[i])) continue;
    s += r.links[which].flow[i];
  }
  return s;
}

test('a closure that cuts a zone off reports its OD pairs as unreachable', () => {
  // Zone 13 is joined to the network by 12-13 and 13-24 only.
  const r = run({
    name: 'cut 13',
    interventions: [
      {
        type: 'closeLinks',
        links: [
          [12, 13],
          [13, 24],
        ],
        bothDirections: true,
      },
    ],
  });
  const { demand } = siouxFalls();
  let zone13 = 0;
  for (let o = 0; o < 24; o++) {
    for (let e = demand.start[o]; e < demand.start[o + 1]; e++)
      if (o === 12 || demand.dest[e] === 12) zone13 += demand.trips[e];
  }
  assert.ok(zone13 > 0);
  assert.equal(r.unreachableBaseline.length, 0);
  assert.equal(r.unreachable.length, 46, 'every other zone to and from 13');
  assert.ok(r.unreachable.every((u) => u.origin === 13 || u.destination === 13));
  assert.deepEqual(r.cutOffZones, [13]);
  const lost = r.unreachable.reduce((s, u) => s + u.trips, 0);
  assert.ok(Math.abs(lost - zone13) < 1e-6);
  assert.ok(Math.abs(r.scenario.unservedTrips - zone13) < 1e-6);
  assert.ok(Math.abs(r.scenario.tripsMade - (demand.total - zone13)) < 1e-6);
  assert.deepEqual(
    r.links.status.flatMap((s, i) => (s === 'closed' ? [`${r.links.fromId[i]}-${r.links.toId[i]}`] : [])),
    ['12-13', '13-12', '13-24', '24-13'],
  );
  for (let i = 0; i < r.links.count; i++)
    if (r.links.status[i] === 'closed') assert.equal(r.links.scenario.flow[i], 0);
});

test('an EV share cuts CO2, NOx and PM by (1 − s)/(1 − s0) at unchanged traffic', () => {
  const r = run({ name: 'EV 30 %', interventions: [{ type: 'fleet', evShare: 0.3 }] });
  const s0 = r.fleet.evShareBaseline;
  assert.ok(s0 > 0.002 && s0 < 0.003, 'Leipzig 2019: 0.27 % electric');
  const expected = (1 - 0.3) / (1 - s0);
  assert.ok(Math.abs(r.scenario.vehicleKm - r.baseline.vehicleKm) <= 1e-9 * r.baseline.vehicleKm);
  assert.ok(Math.abs(r.scenario.co2Tonnes / r.baseline.co2Tonnes - expected) < 1e-9);
  assert.ok(Math.abs(r.scenario.noxKg / r.baseline.noxKg - expected) < 1e-9);
  assert.ok(Math.abs(r.scenario.pmKg / r.baseline.pmKg - expected) < 1e-9);
  // 30 % EVs replacing 29.7 % of combustion cars: CO2 down by 29.8 %
  assert.ok(Math.abs(1 - expected - 0.2981) < 1e-3);
});

test('cordon pricing reduces the flow inside the cordon and collects its charge', () => {
  const r = run(readJson('cordon-toll.json'));
  const before = flowInto(r, 'baseline');
  const after = flowInto(r, 'scenario');
  assert.ok(after < 0.99 * before, `flow into and inside the cordon ${before} → ${after}`);
  // fixed demand: trips to the centre pay anyway, through traffic goes round
  assert.ok(flowInto(r, 'scenario', true) < 0.97 * flowInto(r, 'baseline', true));
  assert.equal(r.baseline.tollRevenue, 0);
  const entries = flowInto(r, 'scenario', true);
  assert.ok(Math.abs(r.scenario.tollRevenue - 2 * entries) < 1e-6 * r.scenario.tollRevenue);
  assert.ok(Math.abs(r.scenario.tripsMade - r.baseline.tripsMade) < 1e-6);
  assert.ok(r.scenario.vehicleKm > r.baseline.vehicleKm, 'detours');
});

test('with elastic demand (rigidity 0.5) the charge also removes trips, and cuts the flow further', () => {
  const rigid = run(readJson('cordon-toll.json'));
  const elastic = run(readJson('cordon-toll.json'), { assignment: { gap: GAP, rigidity: 0.5 } });
  assert.equal(
    elastic.baseline.tripsMade,
    elastic.baseline.demandTrips,
    'the baseline keeps its observed demand',
  );
  assert.ok(elastic.scenario.tripsMade < elastic.baseline.tripsMade - 1000);
  assert.ok(flowInto(elastic, 'scenario') < 0.9 * flowInto(elastic, 'baseline'));
  assert.ok(flowInto(elastic, 'scenario') < flowInto(rigid, 'scenario'));
});

test('a limited traffic zone keeps the allowed share, bans through traffic and loses no allowed trip', () => {
  const ztl = run(readJson('ztl.json'));
  assert.ok(flowInto(ztl, 'scenario') < 0.5 * flowInto(ztl, 'baseline'));
  assert.ok(Math.abs(ztl.scenario.tripsMade - ztl.scenario.demandTrips) < 1e-6);
  // the ban is a penalty on entries, never money
  assert.equal(ztl.scenario.tollRevenue, 0);
});

test('per-district results add up to the city totals and name who gains and who loses', () => {
  const districts = districtsFromGeoJson(readJson('siouxfalls_districts.geojson'), {
    source: 'siouxfalls_districts.geojson',
  });
  const r = run(readJson('cordon-toll.json'), { districts: { districts, indicators: LEIPZIG_INDICATORS } });
  assert.ok(r.districts);
  const d = r.districts;
  assert.equal(d.impacts.length, 4);
  // every Sioux Falls link lies inside the four boxes
  for (const which of ['baseline', 'scenario'] as const) {
    const vkm = d.impacts.reduce((s, x) => s + x[which].vehicleKm, 0);
    const co2 = d.impacts.reduce((s, x) => s + x[which].co2G, 0);
    assert.ok(Math.abs(vkm - r[which].vehicleKm) < 1e-6 * vkm);
    assert.ok(Math.abs(co2 / 1e6 - r[which].co2Tonnes) < 1e-6 * r[which].co2Tonnes);
  }
  assert.equal(d.summary.basis, 'population');
  assert.equal(
    d.summary.districtsGaining +
      d.summary.districtsLosing +
      d.impacts.filter((x) => x.verdict === 'unchanged').length,
    4,
  );
  for (const x of d.impacts) {
    const rel = (x.scenario.noxG - x.baseline.noxG) / x.baseline.noxG;
    assert.equal(x.verdict, rel <= -0.01 ? 'gains' : rel >= 0.01 ? 'loses' : 'unchanged');
  }
});

test('a package of every intervention type runs end to end with consistent link rows', () => {
  const r = run(readJson('mixed-package.json'));
  assert.equal(r.links.count, 76 + 2);
  assert.deepEqual(r.links.status.slice(76), ['added', 'added']);
  for (let i = 76; i < 78; i++) {
    assert.equal(r.links.baseline.flow[i], 0);
    assert.ok(r.links.scenario.flow[i] > 0, 'the new link carries traffic');
  }
  assert.equal(r.changes.length, 7);
  assert.ok(r.scenario.demandTrips > r.baseline.demandTrips);
  assert.equal(r.unreachable.length, 0);
  assert.ok(r.scenario.co2Tonnes < r.baseline.co2Tonnes, 'the 30 % EV share outweighs the demand growth');
});
