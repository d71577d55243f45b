/**
 * NAB v1.1 benchmark of the anomaly detectors: normalised scores under the three profiles (NAB's
 * in-sample threshold sweep) and streaming throughput, against the published scoreboard
 * (Numenta HTM 70.1 / 63.1 / 74.3, CAD OSE 69.9 / 67.0 / 73.2, ARTime 74.9 / 65.1 / 80.4).
 * Run: npm run bench:anomaly
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { readNabCorpus } from '../../src/cli/detect.ts';
import {
  createDetector,
  DETECTOR_NAMES,
  NAB_PROFILES,
  nabProbation,
  scoreNabCorpus,
} from '../../src/models/anomaly/index.ts';

const NAB = '../shared/data/nab';
if (!existsSync(`${NAB}/data`)) {
  console.log(`skip: NAB corpus not found at ${NAB} (see ../shared/data/nab/README.md)`);
  process.exit(0);
}

const files = readNabCorpus(`${NAB}/data`, `${NAB}/labels/combined_windows.json`);
const rows = files.reduce((s, f) => s + f.series.values.length, 0);
console.log(`CPU ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`);
console.log(
  `NAB v1.1: ${files.length} files, ${rows} rows; one core, single thread; best of 5 passes after a warm-up pass\n`,
);

const header = ['detector', 'standard', 'low_FP', 'low_FN', 'θ standard', 'points/s', 'ms/corpus'];
const table: string[][] = [];
for (const name of DETECTOR_NAMES) {
  const pass = () => {
    const scores = files.map((f) => {
      const d = createDetector(name, { warmup: nabProbation(f.series.values.length) });
      const values = f.series.values;
      const out = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = d.update(values[i]);
      return out;
    });
    return scores;
  };
  const scores = pass();
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    pass();
    times.push(performance.now() - t0);
  }
  const best = Math.min(...times);
  const nab = files.map((f, k) => ({ name: f.key, scores: scores[k], windows: f.windows }));
  const results = NAB_PROFILES.map((p) => scoreNabCorpus(nab, p));
  table.push([
    name,
    ...results.map((r) => r.normalised.toFixed(2)),
    results[0].threshold.toFixed(4),
    Math.round((rows / best) * 1000).toLocaleString('en'),
    best.toFixed(0),
  ]);
}
for (const [name, s] of [
  ['published: ARTime', '74.85 / 65.15 / 80.36'],
  ['published: Numenta HTM', '70.10 / 63.12 / 74.32'],
  ['published: CAD OSE', '69.90 / 66.98 / 73.18'],
  ['published: KNN CAD', '57.99 / 43.41 / 64.81'],
  ['published: Windowed Gaussian', '39.65 / 20.87 / 47.41'],
] as const) {
  table.push([name, ...s.split(' / '), '', '', '']);
}
const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)));
const line = (r: string[]) =>
  r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(line(r));
