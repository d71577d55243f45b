import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { readNabCorpus, scoreNabFiles } from '../../../src/cli/detect.ts';
import { NAB_PROFILES, scoreNabCorpus, scoreSeries } from '../../../src/models/anomaly/index.ts';

test('scoreSeries: one score per value, the default warm-up is NAB probation', () => {
  const values = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i / 5));
  const scores = scoreSeries(values);
  assert.equal(scores.length, 1000);
  assert.ok(scores.subarray(0, 150).every((s) => s === 0));
  assert.throws(() => scoreSeries(values, { warmup: 1.5 }), RangeError);
});

test('NAB corpus: context-novelty keeps its measured scores (71.76 / 60.57 / 78.30) and beats the baseline', (t) => {
  if (!existsSync('../shared/data/nab/data')) {
    t.skip('NAB corpus not found at ../shared/data/nab');
    return;
  }
  const files = readNabCorpus('../shared/data/nab/data', '../shared/data/nab/labels/combined_windows.json');
  const score = (detector: 'context-novelty' | 'robust-zscore', profile = 0) => {
    const scores = scoreNabFiles(files, detector);
    const nab = files.map((f, k) => ({ name: f.key, scores: scores[k], windows: f.windows }));
    return scoreNabCorpus(nab, NAB_PROFILES[profile]).normalised;
  };
  const novelty = score('context-novelty');
  // Deterministic engine: the measured scores to 0.01, so any change to the detector shows here.
  assert.ok(Math.abs(novelty - 71.76) < 0.01, String(novelty));
  assert.ok(Math.abs(score('context-novelty', 1) - 60.57) < 0.01);
  assert.ok(Math.abs(score('context-novelty', 2) - 78.3) < 0.01);
  assert.ok(novelty > score('robust-zscore') + 20);
});
