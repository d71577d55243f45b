import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createContextNoveltyDetector,
  createDetector,
  DETECTOR_NAMES,
} from '../../../src/models/anomaly/index.ts';

function noisySine(n: number, seed: number): Float64Array {
  let s = seed;
  const random = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Float64Array.from({ length: n }, (_, i) => 10 + 5 * Math.sin((2 * Math.PI * i) / 48) + random());
}

for (const name of DETECTOR_NAMES) {
  test(`${name}: causal — a prefix scores the same as the start of the whole series`, () => {
    const values = noisySine(3000, 1);
    const whole = createDetector(name, { warmup: 300 });
    const all = Array.from(values, (v) => whole.update(v));
    const part = createDetector(name, { warmup: 300 });
    const prefix = Array.from(values.subarray(0, 1700), (v) => part.update(v));
    assert.deepEqual(prefix, all.slice(0, 1700));
  });

  test(`${name}: scores lie in [0, 1], are 0 during warm-up, and a missing reading scores 0`, () => {
    const d = createDetector(name, { warmup: 100 });
    const values = noisySine(2000, 2);
    values[1500] = 1e12;
    for (let i = 0; i < values.length; i++) {
      const s = d.update(values[i]);
      assert.ok(s >= 0 && s <= 1, `row ${i}: ${s}`);
      if (i < 100) assert.equal(s, 0);
    }
    assert.equal(d.update(Number.NaN), 0);
  });

  test(`${name}: a level shift scores above every normal row after warm-up`, () => {
    const values = noisySine(4000, 3);
    for (let i = 3000; i < 4000; i++) values[i] += 12;
    const d = createDetector(name, { warmup: 600 });
    const scores = Array.from(values, (v) => d.update(v));
    const normal = Math.max(...scores.slice(600, 3000));
    const atShift = Math.max(...scores.slice(3000, 3020));
    assert.ok(atShift > normal, `shift ${atShift} vs normal ${normal}`);
  });
}

test('context-novelty: a repeated pattern stops being news, memory stays bounded', () => {
  const d = createContextNoveltyDetector({ warmup: 48, tableBits: 10 });
  const pattern = noisySine(48, 4);
  let late = 0;
  for (let k = 0; k < 200; k++) {
    for (const v of pattern) {
      const score = d.update(v);
      if (k > 2) late = Math.max(late, score);
    }
  }
  assert.equal(late, 0);
  // A random walk keeps producing new contexts; the 1024-slot table is cleared instead of growing.
  let x = 0;
  for (let i = 0; i < 20000; i++) {
    x += Math.sin(i * 12.9898) * 3;
    assert.ok(d.update(x) <= 1);
  }
});

test('context-novelty: a denser train of ordinary spikes is news only to the block-mean view', () => {
  // One spike of the same height every 40 rows, then every 8 rows: no value and no move is new,
  // only the rate is.
  const values = Float64Array.from({ length: 4000 }, (_, i) => (i % (i < 3000 ? 40 : 8) === 0 ? 10 : 0));
  const maxAfterChange = (blockRows: number) => {
    const d = createContextNoveltyDetector({ warmup: 600, blockRows });
    const scores = Array.from(values, (v) => d.update(v));
    return { normal: Math.max(...scores.slice(600, 3000)), change: Math.max(...scores.slice(3000, 3200)) };
  };
  const withoutBlocks = maxAfterChange(0);
  assert.equal(withoutBlocks.change, 0);
  const withBlocks = maxAfterChange(24);
  assert.equal(withBlocks.normal, 0);
  assert.ok(withBlocks.change >= 0.5, String(withBlocks.change));
});

test('context-novelty: rejects nonsense options', () => {
  assert.throws(() => createContextNoveltyDetector({ blockRows: 1 }), RangeError);
  assert.throws(() => createContextNoveltyDetector({ blockWeight: 1.5 }), RangeError);
  assert.throws(() => createContextNoveltyDetector({ restMargin: -0.1 }), RangeError);
  assert.throws(() => createContextNoveltyDetector({ warmup: -1 }), RangeError);
  assert.throws(() => createContextNoveltyDetector({ resolutions: [] }), RangeError);
  assert.throws(() => createContextNoveltyDetector({ tableBits: 40 }), RangeError);
});
