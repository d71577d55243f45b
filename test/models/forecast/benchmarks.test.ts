import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  BENCHMARK_METHODS,
  fitEts,
  type M4Series,
  m4Benchmarks,
  mase,
  multiplicativeSeasonalIndices,
  nelderMead,
  parseM4Csv,
  seasonalityTest,
  smape,
} from '../../../src/models/forecast/index.ts';

const M4_DIR = '../shared/data/m4';
const FIXTURE_DIR = 'test/fixtures/m4';
const H = 48;
const M = 24;

function load(dir: string, suffix: string): { train: M4Series[]; test: M4Series[] } {
  return {
    train: parseM4Csv(readFileSync(`${dir}/Hourly-train${suffix}.csv`, 'utf8')),
    test: parseM4Csv(readFileSync(`${dir}/Hourly-test${suffix}.csv`, 'utf8')),
  };
}

function published(): Map<string, { smape: number; mase: number }> {
  const text = readFileSync(`${M4_DIR}/results/m4_benchmarks_by_frequency.csv`, 'utf8').trim().split('\n');
  const out = new Map<string, { smape: number; mase: number }>();
  for (const line of text.slice(1)) {
    const [method, metric, , , , , , hourly] = line.split(',');
    const name = method === 'Com' ? 'Comb' : method;
    const entry = out.get(name) ?? { smape: Number.NaN, mase: Number.NaN };
    if (metric === 'sMAPE') entry.smape = Number(hourly);
    if (metric === 'MASE') entry.mase = Number(hourly);
    out.set(name, entry);
  }
  return out;
}

test('M4-Hourly: all eight benchmarks reproduce the published sMAPE and MASE to 3 decimals', (t) => {
  if (!existsSync(`${M4_DIR}/Hourly-train.csv`)) {
    t.skip(`M4 data not found at ${M4_DIR} (see ../shared/data/m4/README.md); skipped`);
    return;
  }
  const { train, test: actual } = load(M4_DIR, '');
  assert.equal(train.length, 414);
  const sums = new Map<string, [number, number]>(BENCHMARK_METHODS.map((k) => [k, [0, 0]]));
  for (let s = 0; s < train.length; s++) {
    assert.equal(train[s].id, actual[s].id);
    const f = m4Benchmarks(train[s].values, H, M);
    for (const k of BENCHMARK_METHODS) {
      const acc = sums.get(k)!;
      acc[0] += smape(actual[s].values, f[k].mean);
      acc[1] += mase(train[s].values, actual[s].values, f[k].mean, M);
    }
  }
  const reference = published();
  // The issue's own figures, independent of the CSV.
  assert.deepEqual(reference.get('Naive2'), { smape: 18.383, mase: 2.395 });
  assert.deepEqual(reference.get('sNaive'), { smape: 13.912, mase: 1.193 });
  for (const k of BENCHMARK_METHODS) {
    const [s, m] = sums.get(k)!;
    const want = reference.get(k)!;
    assert.equal((s / train.length).toFixed(3), want.smape.toFixed(3), `${k} sMAPE`);
    assert.equal((m / train.length).toFixed(3), want.mase.toFixed(3), `${k} MASE`);
  }
});

test('fixture series: benchmark forecasts keep their defining properties', () => {
  const { train } = load(FIXTURE_DIR, '-subset');
  assert.equal(train.length, 6);
  for (const { id, values } of train) {
    const n = values.length;
    const f = m4Benchmarks(values, H, M);
    for (let i = 0; i < H; i++) {
      assert.equal(f.Naive.mean[i], values[n - 1], `${id} Naive`);
      assert.equal(f.sNaive.mean[i], values[n - M + (i % M)], `${id} sNaive`);
      const comb = (f.SES.mean[i] + f.Holt.mean[i] + f.Damped.mean[i]) / 3;
      assert.ok(Math.abs(f.Comb.mean[i] - comb) < 1e-9, `${id} Comb`);
      assert.ok(f.Theta.mean[i] >= 0);
    }
    if (seasonalityTest(values, M)) {
      // Naive2 is the last seasonally adjusted value times the continuing indices.
      const idx = multiplicativeSeasonalIndices(values, M);
      const last = values[n - 1] / idx[(n - 1) % M];
      for (let i = 0; i < H; i++) assert.ok(Math.abs(f.Naive2.mean[i] - last * idx[(n + i) % M]) < 1e-9);
      const mean = idx.reduce((a, b) => a + b, 0) / M;
      assert.ok(Math.abs(mean - 1) < 1e-12);
    }
  }
});

test('fitEts finds the least-squares level of a noisy constant series and the slope of a line', () => {
  const flat = Float64Array.from({ length: 200 }, (_, i) => 50 + (((i * 7919) % 13) - 6));
  const ses = fitEts(flat, 'none');
  assert.ok(ses.alpha >= 1e-4 && ses.alpha <= 0.9999);
  assert.ok(Math.abs(ses.level - 50) < 3, `level ${ses.level}`);
  const line = Float64Array.from({ length: 100 }, (_, i) => 10 + 2 * i);
  const holt = fitEts(line, 'additive');
  assert.ok(Math.abs(holt.slope - 2) < 1e-3, `slope ${holt.slope}`);
  assert.ok(holt.mse < 1e-4);
  const damped = fitEts(line, 'damped');
  assert.ok(damped.phi >= 0.8 && damped.phi <= 0.98);
});

test("nelderMead follows R optim()'s path: Rosenbrock from (-1.2, 1) ends at R's documented point", () => {
  // R: optim(c(-1.2, 1), fr) gives par 1.000260 1.000506 after 195 function evaluations (?optim example).
  const r = nelderMead((p) => 100 * (p[1] - p[0] * p[0]) ** 2 + (1 - p[0]) ** 2, [-1.2, 1]);
  assert.equal(r.x[0].toFixed(6), '1.000260');
  assert.equal(r.x[1].toFixed(6), '1.000506');
  assert.equal(r.evaluations, 195);
  const bounded = nelderMead(
    (p) => (p[0] < 0 ? Number.POSITIVE_INFINITY : (p[0] - 3) ** 2 + (p[1] + 1) ** 2),
    [1, 1],
  );
  assert.ok(
    Math.abs(bounded.x[0] - 3) < 1e-3 && Math.abs(bounded.x[1] + 1) < 1e-3,
    `got ${Array.from(bounded.x)}`,
  );
});
