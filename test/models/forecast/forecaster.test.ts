import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { forecast, mase, parseM4Csv, seasonalNaive, smape } from '../../../src/models/forecast/index.ts';

const H = 48;
const train = parseM4Csv(readFileSync('test/fixtures/m4/Hourly-train-subset.csv', 'utf8'));
const actual = parseM4Csv(readFileSync('test/fixtures/m4/Hourly-test-subset.csv', 'utf8'));

/** Hourly series with daily and weekly cycles, a slow trend and deterministic noise. */
function synthetic(n: number): Float64Array {
  const y = new Float64Array(n);
  let seed = 12345;
  for (let t = 0; t < n; t++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const noise = (seed / 2147483648 - 0.5) * 4;
    const weekend = Math.floor(t / 24) % 7 >= 5 ? 0.6 : 1;
    y[t] = 100 + 0.01 * t + weekend * 40 * Math.max(0, Math.sin((2 * Math.PI * (t % 24)) / 24)) + noise;
  }
  return y;
}

test('on the M4 fixture series it beats seasonal naive on sMAPE and MASE', () => {
  let s = 0;
  let m = 0;
  let sNaiveS = 0;
  let sNaiveM = 0;
  for (let i = 0; i < train.length; i++) {
    const r = forecast(train[i].values, { horizon: H, seasonalPeriods: [24, 168] });
    assert.equal(r.method, 'direct-ar');
    const base = seasonalNaive(train[i].values, H, 24).mean;
    s += smape(actual[i].values, r.mean);
    m += mase(train[i].values, actual[i].values, r.mean, 24);
    sNaiveS += smape(actual[i].values, base);
    sNaiveM += mase(train[i].values, actual[i].values, base, 24);
  }
  assert.ok(s < 0.9 * sNaiveS, `sMAPE ${s / 6} vs sNaive ${sNaiveS / 6}`);
  assert.ok(m < 0.9 * sNaiveM, `MASE ${m / 6} vs sNaive ${sNaiveM / 6}`);
});

test('intervals are nested around the forecast and the result is deterministic', () => {
  const y = train[0].values;
  const a = forecast(y, { horizon: H, seasonalPeriods: [24, 168] });
  const b = forecast(y, { horizon: H, seasonalPeriods: [24, 168] });
  assert.deepEqual(a, b);
  const [i80, i95] = a.intervals;
  assert.equal(i80.level, 80);
  assert.equal(i95.level, 95);
  for (let h = 0; h < H; h++) {
    assert.ok(i95.lower[h] <= i80.lower[h] && i80.lower[h] <= a.mean[h], `lower at ${h}`);
    assert.ok(a.mean[h] <= i80.upper[h] && i80.upper[h] <= i95.upper[h], `upper at ${h}`);
  }
});

test('95 % intervals cover most of a synthetic future', () => {
  const y = synthetic(1200);
  const history = y.subarray(0, 1152);
  const r = forecast(history, { horizon: H, seasonalPeriods: [24, 168] });
  let inside = 0;
  for (let h = 0; h < H; h++)
    if (y[1152 + h] >= r.intervals[1].lower[h] && y[1152 + h] <= r.intervals[1].upper[h]) inside++;
  assert.ok(inside >= 0.85 * H, `${inside}/${H} inside`);
  assert.ok(smape(y.subarray(1152), r.mean) < 5);
});

test('gaps: a history with 10 % missing values and a missing day still forecasts close to the full one', () => {
  const y = synthetic(1200);
  const history = Float64Array.from(y.subarray(0, 1152));
  const full = forecast(history, { horizon: H, seasonalPeriods: [24, 168] });
  for (let t = 0; t < history.length; t += 10) history[t] = Number.NaN;
  for (let t = 600; t < 624; t++) history[t] = Number.NaN;
  const gappy = forecast(history, { horizon: H, seasonalPeriods: [24, 168] });
  for (const v of gappy.mean) assert.ok(Number.isFinite(v));
  assert.ok(smape(full.mean, gappy.mean) < 3, `differs by ${smape(full.mean, gappy.mean)}`);
  assert.ok(smape(y.subarray(1152), gappy.mean) < 5);
});

test('outliers: a spike of a faulty sensor barely moves the forecast', () => {
  const y = synthetic(1200);
  const history = Float64Array.from(y.subarray(0, 1152));
  const clean = forecast(history, { horizon: H, seasonalPeriods: [24, 168] });
  history[1140] = 100_000;
  history[1000] = 0.001;
  const spiked = forecast(history, { horizon: H, seasonalPeriods: [24, 168] });
  assert.ok(smape(clean.mean, spiked.mean) < 1, `differs by ${smape(clean.mean, spiked.mean)}`);
});

test('series with zeros and negatives are modelled without a log transform', () => {
  const y = synthetic(1200).map((v) => v - 120);
  const r = forecast(y.subarray(0, 1152), { horizon: H, seasonalPeriods: [24, 168] });
  const actualPart = y.subarray(1152);
  let mae = 0;
  for (let h = 0; h < H; h++) mae += Math.abs(actualPart[h] - r.mean[h]) / H;
  assert.ok(mae < 3, `MAE ${mae}`);
});

test('short histories fall back to simpler models, still with intervals', () => {
  const y = synthetic(100);
  assert.equal(forecast(y, { horizon: 5, seasonalPeriods: [24, 168] }).method, 'seasonal-naive');
  assert.equal(forecast(y.subarray(0, 30), { horizon: 5, seasonalPeriods: [24] }).method, 'damped-ets');
  const tiny = forecast([3, 4, 5], { horizon: 2 });
  assert.equal(tiny.method, 'constant');
  // Positive data are modelled on the log scale: the constant is the geometric mean.
  assert.ok(Math.abs(tiny.mean[0] - Math.cbrt(60)) < 1e-9);
  assert.ok(tiny.intervals[1].upper[0] > 5);
  const nonSeasonal = forecast(synthetic(500), { horizon: 10 });
  assert.equal(nonSeasonal.method, 'direct-ar');
});

test('rejects invalid arguments with a RangeError', () => {
  assert.throws(() => forecast([1, 2, 3], { horizon: 0 }), RangeError);
  assert.throws(() => forecast([1, 2, 3], { horizon: 2, seasonalPeriods: [2.5] }), RangeError);
  assert.throws(() => forecast([Number.NaN], { horizon: 2 }), RangeError);
  assert.throws(() => forecast([1, 2], { horizon: 2, levels: [100] }), RangeError);
});
