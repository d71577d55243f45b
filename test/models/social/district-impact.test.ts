import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  attributeLinks,
  LEIPZIG_INDICATORS,
  type LinkMeasures,
  socialImpact,
  straightLinkShapes,
  vulnerabilityIndex,
} from '../../../src/models/social/index.ts';
import { threeDistricts } from './social.fixtures.ts';

// Nodes on the line lat 51.305 across the three districts (12.30..12.33) and one outside.
const lon = [12.3005, 12.3095, 12.3195, 12.3295, 12.3095, 12.36];
const lat = [51.305, 51.305, 51.305, 51.305, 51.305, 51.305];

function measures(vkm: number[]): LinkMeasures {
  return {
    vehicleKm: vkm,
    vehicleHours: vkm.map((x) => x / 50),
    co2G: vkm.map((x) => 150 * x),
    noxG: vkm.map((x) => 0.2 * x),
    pmG: vkm.map((x) => 0.005 * x),
  };
}

test('links are attributed to districts by the length inside each', () => {
  const districts = threeDistricts();
  // link 0 in A only; link 1 from A (0.0005°) into B (0.0095°); link 2 from B to outside C.
  const shapes = straightLinkShapes([0, 1, 2], [1, 2, 5], lon, lat);
  const attr = attributeLinks(districts, shapes, 10);
  assert.deepEqual([...attr.start], [0, 1, 3, 5]);
  assert.deepEqual([...attr.district], [0, 0, 1, 1, 2]);
  assert.ok(Math.abs(attr.fraction[0] - 1) < 1e-12);
  assert.ok(Math.abs(attr.fraction[1] - 0.05) < 0.01, `A share ${attr.fraction[1]}`);
  assert.ok(Math.abs(attr.fraction[2] - 0.95) < 0.01);
  // link 2 runs 0.0005° in B, 0.01° in C, 0.03° outside
  assert.ok(Math.abs(attr.fraction[3] - 0.0005 / 0.0405) < 0.01);
  assert.ok(Math.abs(attr.fraction[4] - 0.01 / 0.0405) < 0.01);
});

test('traffic moved from a car-owning to a car-free district is a regressive shift: who gains, who loses', () => {
  const districts = threeDistricts();
  const vuln = vulnerabilityIndex(districts, LEIPZIG_INDICATORS);
  // one link inside each district: A (0), B (1), C (2)
  const shapes = [
    [
      [12.301, 51.305],
      [12.309, 51.305],
    ],
    [
      [12.311, 51.305],
      [12.319, 51.305],
    ],
    [
      [12.321, 51.305],
      [12.329, 51.305],
    ],
  ];
  const attr = attributeLinks(districts, shapes);
  const base = measures([1000, 1000, 1000]);
  const scen = measures([500, 1500, 1000]);
  const { districts: out, summary } = socialImpact(districts, vuln.index, attr, base, scen);
  assert.deepEqual(
    out.map((d) => d.verdict),
    ['gains', 'loses', 'unchanged'],
  );
  assert.ok(Math.abs(out[0].burdenRelativeChange + 0.5) < 1e-12);
  assert.ok(Math.abs(out[1].burdenDensityChange - (0.2 * 500) / districts[1].areaKm2) < 1e-9);
  assert.ok(Math.abs(out[0].trafficDensityScenario - 500 / districts[0].areaKm2) < 1e-9);
  assert.equal(summary.basis, 'population');
  assert.equal(summary.weightGaining, 1000);
  assert.equal(summary.weightLosing, 3000);
  // the residents-weighted mean rises (more people in B), the vulnerability-weighted one more so
  assert.ok(summary.meanChange > 0);
  assert.ok(summary.equityGap > 0, `gap ${summary.equityGap}`);
  assert.ok(summary.correlation > 0.5);
  // the mirror image is progressive
  const mirror = socialImpact(districts, vuln.index, attr, base, measures([1500, 500, 1000]));
  assert.ok(mirror.summary.equityGap < 0);
  assert.ok(Math.abs(mirror.summary.equityGap + summary.equityGap) < 1e-9, 'equal and opposite');
});

test('without populations the weights are areas, and unchanged traffic changes nobody', () => {
  const districts = threeDistricts().map((d) => ({ ...d, population: null }));
  const attr = attributeLinks(districts, straightLinkShapes([0, 1, 2], [1, 2, 3], lon, lat));
  const m = measures([100, 200, 300]);
  const { districts: out, summary } = socialImpact(districts, [1, 1, 1], attr, m, m);
  assert.equal(summary.basis, 'area');
  assert.deepEqual(
    out.map((d) => d.verdict),
    ['unchanged', 'unchanged', 'unchanged'],
  );
  assert.equal(summary.meanChange, 0);
});
