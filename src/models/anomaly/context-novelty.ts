/**
 * Contextual novelty detector. A value is quantised on several grids (five resolutions, each at
 * two offsets half a bucket apart); the score is the weighted share of contexts never seen before,
 * a context being the bucket itself (order 0) or the transition from the previous bucket (order 1).
 * Behaviour a stream has shown once is normal from then on; a value or a move the stream never made
 * at some resolution is news. The idea is the one behind CAD OSE (M. Smirnov, "Contextual Anomaly
 * Detector", NAB 2016, 69.9) and HTM's raw score (Ahmad et al., Neurocomputing 262, 2017): novelty
 * of the current input in the context of the previous one. Several grids make the score graded
 * (so one threshold fits series of any noise level) and the offsets remove the bucket-edge effect
 * of a single grid (as in HTM's random distributed scalar encoder).
 *
 * The grid is fixed from the range of the warm-up values, so it needs no knowledge of the future
 * (CAD OSE and HTM read the file's min and max in advance); values outside it fall in new buckets,
 * which is itself news. After a report the detector rests: a score is emitted only when it exceeds
 * every raw score of the last `restPeriod` rows, because a NAB window (and an operator) needs the
 * first alarm of an episode, and the repeats only cost false positives.
 */
import { checkWarmup, type DetectorOptions, type StreamingDetector } from './detector.ts';

export interface ContextNoveltyOptions extends DetectorOptions {
  /** buckets across the warm-up range, one grid per entry */
  readonly resolutions?: readonly number[];
  /** grids per resolution, shifted by 1/offsets of a bucket */
  readonly offsets?: number;
  /** rows after a raw score during which an equal or lower score is not reported */
  readonly restPeriod?: number;
  /** log2 of the context table's slots (memory: 4·2^bits bytes) */
  readonly tableBits?: number;
}

/**
 * Defaults chosen on the NAB corpus (README "Accuracy"): resolutions 8…32 buckets beat 5…20 and
 * 10…40; two offsets beat one and three; a rest of 30 rows beats 15 and 100.
 */
const DEFAULTS = { resolutions: [8, 12, 16, 24, 32], offsets: 2, restPeriod: 30, tableBits: 16 } as const;

/** Past this share of used slots the table is cleared: bounded memory, at the price of relearning. */
const MAX_LOAD = 0.7;

/**
 * @example
 * const d = createContextNoveltyDetector({ warmup: 100 });
 * const scores = values.map((v) => d.update(v));
 */
export function createContextNoveltyDetector(options: ContextNoveltyOptions = {}): StreamingDetector {
  // The grid needs at least one value to sit on.
  const warmup = Math.max(1, checkWarmup(options.warmup ?? 750));
  const resolutions = options.resolutions ?? DEFAULTS.resolutions;
  const offsets = options.offsets ?? DEFAULTS.offsets;
  const restPeriod = options.restPeriod ?? DEFAULTS.restPeriod;
  const bits = options.tableBits ?? DEFAULTS.tableBits;
  if (resolutions.length === 0 || resolutions.some((b) => !(b > 0)))
    throw new RangeError('resolutions: expected positive bucket counts');
  if (!Number.isInteger(offsets) || offsets < 1) throw new RangeError('offsets: expected a positive integer');
  if (!Number.isInteger(restPeriod) || restPeriod < 0)
    throw new RangeError('restPeriod: expected a non-negative integer');
  if (!Number.isInteger(bits) || bits < 8 || bits > 24)
    throw new RangeError('tableBits: expected an integer in 8..24');

  const grids = resolutions.length * offsets;
  const bucketsAcross = new Float64Array(grids);
  const shift = new Float64Array(grids);
  // Coarse grids weigh more (weight ∝ 1/buckets): a move that is new even at a coarse grid is a
  // bigger departure; measured +0.5 NAB points over equal weights.
  const weight = new Float64Array(grids);
  let weightSum = 0;
  for (let r = 0, g = 0; r < resolutions.length; r++) {
    for (let o = 0; o < offsets; o++, g++) {
      bucketsAcross[g] = resolutions[r];
      shift[g] = o / offsets;
      weight[g] = 1 / resolutions[r];
      weightSum += 2 * weight[g];
    }
  }
  const previous = new Int32Array(grids);
  const slots = 1 << bits;
  const mask = slots - 1;
  const table = new Uint32Array(slots);
  let used = 0;
  const recent = new Float64Array(Math.max(restPeriod, 1));
  let recentAt = 0;

  const pending = new Float64Array(warmup);
  let seen = 0;
  let lo = 0;
  let scale = new Float64Array(grids);

  /** Inserts a context; true when it was not there. Linear probing on a 32-bit fingerprint. */
  function novel(key: number): boolean {
    const fingerprint = (key | 1) >>> 0;
    let i = (Math.imul(key, 0x9e3779b1) >>> (32 - bits)) & mask;
    for (;;) {
      const s = table[i];
      if (s === 0) break;
      if (s === fingerprint) return false;
      i = (i + 1) & mask;
    }
    if (used >= slots * MAX_LOAD) {
      table.fill(0);
      used = 0;
    }
    table[i] = fingerprint;
    used++;
    return true;
  }

  function hash(a: number, b: number, c: number): number {
    let h = Math.imul(a ^ 0x85ebca6b, 0xcc9e2d51);
    h = Math.imul(h ^ (h >>> 15) ^ b, 0x1b873593);
    h = Math.imul(h ^ (h >>> 13) ^ c, 0xc2b2ae35);
    return (h ^ (h >>> 16)) | 0;
  }

  let hasPrevious = false;

  function raw(value: number): number {
    let score = 0;
    for (let g = 0; g < grids; g++) {
      // Clamped so a wild value still lands in a (new, extreme) bucket instead of overflowing int32.
      const x = (value - lo) * scale[g] + shift[g];
      const b = Math.floor(Math.min(1e9, Math.max(-1e9, x)));
      if (novel(hash(g, b, 0x7fffffff))) score += weight[g];
      if (hasPrevious && novel(hash(g, previous[g], b))) score += weight[g];
      previous[g] = b;
    }
    hasPrevious = true;
    // Summing the weights in another order can land a hair above 1.
    return Math.min(1, score / weightSum);
  }

  function rest(score: number): number {
    let max = 0;
    for (let k = 0; k < restPeriod; k++) if (recent[k] > max) max = recent[k];
    if (restPeriod > 0) {
      recent[recentAt] = score;
      recentAt = (recentAt + 1) % restPeriod;
    }
    return score > max ? score : 0;
  }

  function fixGrid(count: number): void {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      if (pending[i] < min) min = pending[i];
      if (pending[i] > max) max = pending[i];
    }
    // A constant warm-up has no range; fall back to its magnitude so a later change still moves buckets.
    const range = max > min ? max - min : Math.max(Math.abs(min), 1);
    lo = min;
    scale = Float64Array.from(bucketsAcross, (b) => b / range);
    for (let i = 0; i < count; i++) rest(raw(pending[i]));
  }

  return {
    update(value: number): number {
      if (!Number.isFinite(value)) return 0;
      if (seen < warmup) {
        pending[seen++] = value;
        if (seen === warmup) fixGrid(warmup);
        return 0;
      }
      return rest(raw(value));
    },
  };
}
