import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  BPR,
  CONICAL,
  type CostModel,
  conicalBeta,
  linkCost,
  linkDerivative,
  linkIntegral,
  linkTime,
} from '../../../src/models/traffic/link-cost.ts';

function model(
  kind: number,
  fft: number,
  b: number,
  power: number,
  capacity: number,
  fixed: number,
): CostModel {
  return {
    linkCount: 1,
    freeFlowTime: Float64Array.of(fft),
    b: Float64Array.of(b),
    power: Float64Array.of(power),
    capacity: Float64Array.of(capacity),
    fixed: Float64Array.of(fixed),
    kind: Uint8Array.of(kind),
    beta: Float64Array.of(kind === CONICAL ? conicalBeta(power) : 0),
  };
}

test('BPR at known points', () => {
  const m = model(BPR, 6, 0.15, 4, 25900.20064, 0);
  assert.equal(linkTime(m, 0, 0), 6);
  assert.ok(Math.abs(linkTime(m, 0, 25900.20064) - 6.9) < 1e-12);
  const g = model(BPR, 2, 0.15, 4, 100, 0.5);
  assert.ok(Math.abs(linkCost(g, 0, 100) - 2.8) < 1e-12);
  // ∫₀^c 2(1 + 0.15 (s/c)^4) ds + 0.5 c = 2c + 0.06 c + 0.5 c.
  assert.ok(Math.abs(linkIntegral(g, 0, 100) - 256) < 1e-9);
});

test('conical (Spiess 1990): free-flow time at zero flow, twice it at capacity', () => {
  const m = model(CONICAL, 3, 0, 4, 1000, 0);
  assert.ok(Math.abs(linkTime(m, 0, 0) - 3) < 1e-12);
  assert.ok(Math.abs(linkTime(m, 0, 1000) - 6) < 1e-12);
  assert.equal(linkIntegral(m, 0, 0), 0);
});

test('derivative and integral agree with the cost by finite differences', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(BPR, CONICAL),
      fc.double({ min: 0.1, max: 20, noNaN: true }),
      fc.double({ min: 0.01, max: 2, noNaN: true }),
      fc.constantFrom(1.5, 2, 4, 5.5),
      fc.double({ min: 10, max: 1e4, noNaN: true }),
      fc.double({ min: 0, max: 1.5, noNaN: true }),
      (kind, fft, b, power, capacity, share) => {
        const m = model(kind, fft, b, power, capacity, 0.7);
        const x = (0.1 + share) * capacity;
        const h = 1e-5 * capacity;
        const numDer = (linkCost(m, 0, x + h) - linkCost(m, 0, x - h)) / (2 * h);
        const der = linkDerivative(m, 0, x);
        assert.ok(
          Math.abs(numDer - der) <= 1e-4 * (Math.abs(der) + fft / capacity),
          `derivative ${der} vs ${numDer}`,
        );
        const numInt = (linkIntegral(m, 0, x + h) - linkIntegral(m, 0, x - h)) / (2 * h);
        const c = linkCost(m, 0, x);
        assert.ok(Math.abs(numInt - c) <= 1e-6 * c, `integral slope ${numInt} vs cost ${c}`);
      },
    ),
    { seed: 6, numRuns: 300 },
  );
});
