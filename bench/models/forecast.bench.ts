/**
 * M4-Hourly (414 series, horizon 48, m = 24): sMAPE, MASE, OWA and MSIS of the M4 benchmarks
 * and of the production forecaster, with wall time. Baseline: Naive2 (OWA 1) and the published
 * figures in ../shared/data/m4/README.md. Run: npm run bench:forecast
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  BENCHMARK_METHODS,
  coverage,
  forecast,
  m4Benchmarks,
  mase,
  msis,
  owa,
  parseM4Csv,
  smape,
} from '../../src/models/forecast/index.ts';

const DIR = '../shared/data/m4';
const H = 48;
const M = 24;

if (!existsSync(`${DIR}/Hourly-train.csv`)) {
  console.log(`skipped: M4 data not found at ${DIR} (see ../shared/data/m4/README.md)`);
  process.exit(0);
}
const train = parseM4Csv(readFileSync(`${DIR}/Hourly-train.csv`, 'utf8'));
const test = parseM4Csv(readFileSync(`${DIR}/Hourly-test.csv`, 'utf8'));

interface Row {
  method: string;
  smape: number;
  mase: number;
  msis: number;
  cover80: number;
  cover95: number;
  seconds: number;
}
const rows: Row[] = [];
const n = train.length;

// Warm-up: compile the hot paths before timing.
for (let s = 0; s < 5; s++) {
  m4Benchmarks(train[s].values, H, M);
  forecast(train[s].values, { horizon: H, seasonalPeriods: [24, 168] });
}

{
  const acc = new Map(BENCHMARK_METHODS.map((k) => [k, { s: 0, m: 0, i: 0, c95: 0, has: true }]));
  const t0 = performance.now();
  for (let s = 0; s < n; s++) {
    const f = m4Benchmarks(train[s].values, H, M);
    for (const k of BENCHMARK_METHODS) {
      const a = acc.get(k)!;
      a.s += smape(test[s].values, f[k].mean);
      a.m += mase(train[s].values, test[s].values, f[k].mean, M);
      const { lower95, upper95 } = f[k];
      if (lower95 && upper95) {
        a.i += msis(train[s].values, test[s].values, lower95, upper95, M);
        a.c95 += coverage(test[s].values, lower95, upper95);
      } else a.has = false;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  for (const k of BENCHMARK_METHODS) {
    const a = acc.get(k)!;
    rows.push({
      method: k,
      smape: a.s / n,
      mase: a.m / n,
      msis: a.has ? a.i / n : Number.NaN,
      cover80: Number.NaN,
      cover95: a.has ? a.c95 / n : Number.NaN,
      seconds: k === 'Naive' ? seconds : Number.NaN,
    });
  }
}

{
  let s = 0;
  let m = 0;
  let i = 0;
  let c80 = 0;
  let c95 = 0;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const r = forecast(train[k].values, { horizon: H, seasonalPeriods: [24, 168] });
    s += smape(test[k].values, r.mean);
    m += mase(train[k].values, test[k].values, r.mean, M);
    i += msis(train[k].values, test[k].values, r.intervals[1].lower, r.intervals[1].upper, M);
    c80 += coverage(test[k].values, r.intervals[0].lower, r.intervals[0].upper);
    c95 += coverage(test[k].values, r.intervals[1].lower, r.intervals[1].upper);
  }
  rows.push({
    method: 'twinbox forecast (direct AR, 24+168)',
    smape: s / n,
    mase: m / n,
    msis: i / n,
    cover80: c80 / n,
    cover95: c95 / n,
    seconds: (performance.now() - t0) / 1000,
  });
}

const naive2 = rows.find((r) => r.method === 'Naive2')!;
const fmt = (v: number, d: number): string => (Number.isFinite(v) ? v.toFixed(d) : '-');
console.log(
  `M4-Hourly: ${n} series, horizon ${H}, m = ${M}; OWA against Naive2 (${fmt(naive2.smape, 3)} / ${fmt(naive2.mase, 3)})`,
);
console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`);
console.log('');
console.log('| method | sMAPE | MASE | OWA | MSIS (95 %) | cover 80 % | cover 95 % | wall s |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const o = owa(r.smape, r.mase, naive2.smape, naive2.mase);
  console.log(
    `| ${r.method} | ${fmt(r.smape, 3)} | ${fmt(r.mase, 3)} | ${fmt(o, 3)} | ${fmt(r.msis, 3)} | ${fmt(r.cover80, 3)} | ${fmt(r.cover95, 3)} | ${fmt(r.seconds, 1)} |`,
  );
}
console.log('');
console.log(
  'Benchmark wall time is for all eight together (one decomposition per series). Published: #1 Doornik et al. OWA 0.410, FFORMA 0.484, sNaive 0.627.',
);
