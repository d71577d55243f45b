import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { diagnose, type Fault } from '../../../src/models/anomaly/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The I-94 extract: rows in file order (duplicates kept), times as UTC milliseconds. */
function i94() {
  const rows = readFileSync('test/fixtures/i94/i94-extract.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  return {
    stamp: rows.map((r) => r[0]),
    times: Float64Array.from(rows, (r) => Date.parse(`${r[0].replace(' ', 'T')}Z`)),
    volume: Float64Array.from(rows, (r) => Number(r[1])),
    temp: Float64Array.from(rows, (r) => Number(r[2])),
  };
}

function covering(faults: Fault[], type: Fault['type'], index: number): boolean {
  return faults.some((f) => f.type === type && f.startIndex <= index && index <= f.endIndex);
}

test('I-94: every documented near-zero hour is a dropout, and few other hours are', () => {
  const { times, volume, stamp } = i94();
  const faults = diagnose(times, volume, { step: HOUR, season: 7 * DAY });
  const duplicateRows = new Set<number>();
  for (const f of faults)
    if (f.type === 'duplicate') for (let i = f.startIndex + 1; i <= f.endIndex; i++) duplicateRows.add(i);
  let documented = 0;
  for (let i = 0; i < volume.length; i++) {
    if (volume[i] < 100 && !duplicateRows.has(i)) {
      documented++;
      assert.ok(covering(faults, 'dropout', i), `${stamp[i]} volume ${volume[i]} not flagged as dropout`);
    }
  }
  assert.ok(documented >= 40, `${documented} near-zero hours in the extract`);
  const flagged = faults
    .filter((f) => f.type === 'dropout')
    .reduce((s, f) => s + f.endIndex - f.startIndex + 1, 0);
  assert.ok(flagged <= documented + 15, `${flagged} rows flagged as dropout for ${documented} documented`);
  for (const f of faults.filter((x) => x.type === 'dropout')) assert.match(f.explanation, /near zero/);
});

test('I-94: duplicate rows and the 10-month gap are named', () => {
  const { times, volume, stamp } = i94();
  const faults = diagnose(times, volume, { step: HOUR });
  const duplicates = faults.filter((f) => f.type === 'duplicate');
  assert.equal(duplicates.length, new Set(stamp.filter((s, i) => stamp.indexOf(s) !== i)).size);
  // The volume is the same on every copy of an hour: duplicates, but harmless ones.
  assert.ok(duplicates.every((f) => f.severity < 0.5));
  // (The extract's own cuts between its date ranges are gaps too; this one is the sensor's.)
  const hole = faults.filter((f) => f.type === 'gap' && stamp[f.startIndex].startsWith('2014-08-08'));
  assert.equal(hole.length, 1);
  assert.equal(stamp[hole[0].endIndex].slice(0, 10), '2015-06-11');
  assert.ok(hole[0].severity > 0.9);
  assert.match(hole[0].explanation, /no reading for 7386 expected intervals/);
});

test('I-94: the 0 K temperatures are out of range, or without bounds still flagged', () => {
  const { times, temp, stamp } = i94();
  const zero = [...temp.keys()].filter((i) => temp[i] === 0);
  assert.equal(new Set(zero.map((i) => stamp[i])).size, 10);
  const bounded = diagnose(times, temp, { step: HOUR, season: DAY, bounds: { min: 200, max: 330 } });
  for (const i of zero)
    assert.ok(covering(bounded, 'out-of-range', i) || covering(bounded, 'duplicate', i), stamp[i]);
  assert.ok(bounded.filter((f) => f.type === 'out-of-range').every((f) => f.severity === 1));
  const unbounded = diagnose(times, temp, { step: HOUR, season: DAY });
  for (const i of zero) {
    assert.ok(
      unbounded.some((f) => f.type !== 'gap' && f.startIndex <= i && i <= f.endIndex),
      `${stamp[i]} 0 K not flagged without bounds`,
    );
  }
});

/** A seeded hourly series with a daily cycle and noise. */
function synthetic(n: number, seed: number) {
  let s = seed;
  const random = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const times = Float64Array.from({ length: n }, (_, i) => i * HOUR);
  const values = Float64Array.from(
    { length: n },
    (_, i) => 100 + 30 * Math.sin((2 * Math.PI * i) / 24) + 4 * random(),
  );
  return { times, values, random };
}

test('synthetic: flatline, spike and level shift are each named once, at the right place', () => {
  const { times, values } = synthetic(24 * 60, 11);
  values.fill(values[300], 300, 320); // stuck sensor
  values[700] += 80; // spike
  for (let i = 1000; i < values.length; i++) values[i] += 25; // level shift
  const faults = diagnose(times, values, { step: HOUR, season: DAY });
  const of = (type: Fault['type']) => faults.filter((f) => f.type === type);
  assert.deepEqual(
    of('flatline').map((f) => [f.startIndex, f.endIndex]),
    [[300, 319]],
  );
  assert.deepEqual(
    of('spike').map((f) => f.startIndex),
    [700],
  );
  assert.equal(of('level-shift').length, 1);
  assert.ok(Math.abs(of('level-shift')[0].startIndex - 1000) <= 3, String(of('level-shift')[0].startIndex));
  assert.match(of('level-shift')[0].explanation, /up/);
  assert.equal(of('drift').length, 0);
});

test('synthetic: drift against neighbours, not against a neighbour that drifts with it', () => {
  const n = 24 * 60;
  const { times, values, random } = synthetic(n, 12);
  // Two neighbours see the same weather (the shared cycle) plus their own noise and offsets.
  const a = Float64Array.from(values, (v) => v + 10 + 4 * random());
  const b = Float64Array.from(values, (v) => v - 5 + 4 * random());
  const drifting = Float64Array.from(values, (v, i) => v + (i > 800 ? (i - 800) * 0.08 : 0));
  const faults = diagnose(times, drifting, {
    step: HOUR,
    season: DAY,
    neighbours: [{ name: 'a', values: a }],
  });
  const drift = faults.filter((f) => f.type === 'drift');
  assert.equal(drift.length, 1);
  assert.ok(drift[0].startIndex > 800 && drift[0].startIndex < 1000, String(drift[0].startIndex));
  assert.match(drift[0].explanation, /reads high/);
  const calm = diagnose(times, values, { step: HOUR, season: DAY, neighbours: [{ name: 'b', values: b }] });
  assert.equal(calm.filter((f) => f.type === 'drift').length, 0);
});

test('diagnose rejects unordered times and mismatched lengths', () => {
  assert.throws(() => diagnose([2, 1], [0, 0]), /non-decreasing/);
  assert.throws(() => diagnose([1, 2], [0]), /differ/);
  assert.deepEqual(diagnose([], []), []);
});
