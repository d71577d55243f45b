import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coverage, mase, msis, owa, seasonalNaiveScale, smape } from '../../../src/models/forecast/index.ts';

test('sMAPE follows the M4 definition', () => {
  // 200·10/210 and 200·10/190, averaged.
  assert.ok(Math.abs(smape([100, 100], [110, 90]) - (2000 / 210 + 2000 / 190) / 2) < 1e-12);
  assert.equal(smape([0], [0]), 0);
});

test('MASE divides by the in-sample seasonal naive error', () => {
  const insample = [1, 2, 3, 5, 4, 6];
  // Lag-2 differences: 2, 3, 1, 1 → scale 7/4.
  assert.ok(Math.abs(seasonalNaiveScale(insample, 2) - 7 / 4) < 1e-12);
  assert.ok(Math.abs(mase(insample, [10, 10], [9, 12], 2) - 1.5 / (7 / 4)) < 1e-12);
  assert.ok(Math.abs(seasonalNaiveScale([1, Number.NaN, 3, 5], 1) - 2) < 1e-12);
});

test('MSIS adds 2/a times the exceedances to the width', () => {
  const insample = [1, 2, 3, 4];
  // Scale 1. Step 1: inside, width 2. Step 2: above by 1 → 2 + 40·1.
  const v = msis(insample, [5, 8], [4, 5], [6, 7], 1, 0.05);
  assert.ok(Math.abs(v - (2 + 42) / 2) < 1e-12);
  assert.equal(coverage([5, 8], [4, 5], [6, 7]), 0.5);
});

test('OWA of the published sNaive Hourly figures is 0.627', () => {
  assert.equal(owa(13.912, 1.193, 18.383, 2.395).toFixed(3), '0.627');
});
