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

test('NAB corpus: context-novelty keeps its measured standard score (>= 67) and beats the baseline', (t) => {
  if (!existsSync('../shared/data/nab/data')) {
    t.skip('NAB corpus not found at ../shared/data/nab');
    return;
  }
  const files = readNabCorpus('../shared/data/nab/data', '../shared/data/nab/labels/combined_windows.json');
  const score = (detector: 'context-novelty' | 'robust-zscore') => {
    const scores = scoreNabFiles(files, detector);
    const nab = files.map((f, k) => ({ name: f.key, scores: scores[k], windows: f.windows }));
    return scoreNabCorpus(nab, NAB_PROFILES[0]).normalised;
  };
  const novelty = score('context-novelty');
  assert.ok(novelty >= 67, String(novelty));
  assert.ok(novelty > score('robust-zscore') + 20);
});
