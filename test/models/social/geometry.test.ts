import assert from 'node:assert/strict';
import { test } from 'node:test';
import { area as turfArea, polygon as turfPolygon } from '@turf/turf';
import { containsPoint, polygonAreaKm2, preparePolygon } from '../../../src/models/social/index.ts';
import { square } from './social.fixtures.ts';

test('spherical polygon area agrees with turf (same method) and subtracts holes', () => {
  const ring = [
    [12.3, 51.3],
    [12.42, 51.31],
    [12.4, 51.38],
    [12.33, 51.36],
    [12.3, 51.3],
  ];
  const ours = polygonAreaKm2([[ring]]);
  const theirs = turfArea(turfPolygon([ring])) / 1e6;
  assert.ok(Math.abs(ours - theirs) / theirs < 1e-9, `${ours} vs ${theirs}`);
  const hole = square(12.35, 51.32, 0.01)[0];
  const withHole = polygonAreaKm2([[ring, hole]]);
  assert.ok(Math.abs(withHole - (ours - polygonAreaKm2([[hole]]))) < 1e-9);
  // 0.01° × 0.01° at 51.3° N: 1111.95 m × 1111.95 m × cos(51.305°) ≈ 0.7727 km²
  assert.ok(Math.abs(polygonAreaKm2([square(12.3, 51.3, 0.01)]) - 0.7727) < 0.0005);
});

test('points in holes and in the second part of a multipolygon are classified right', () => {
  const outer = square(0, 0, 10)[0];
  const hole = square(2, 2, 2)[0];
  const p = preparePolygon([[outer, hole], square(20, 20, 1)]);
  assert.equal(containsPoint(p, 1, 1), true);
  assert.equal(containsPoint(p, 3, 3), false);
  assert.equal(containsPoint(p, 20.5, 20.5), true);
  assert.equal(containsPoint(p, 15, 15), false);
  assert.equal(containsPoint(p, -1, 5), false);
});
