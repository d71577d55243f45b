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
 * A second view sees the rate and shape of the signal rather than its values: the mean of each
 * block of `blockRows` rows, scored the same way (its own grids, its contexts in the same table)
 * once per block. A denser train of spikes, a busier or quieter day made of ordinary values, moves
 * the block mean to a level or a step it never took. The two views are fused by the maximum, the
 * block view weighted below 1 (it speaks once per block and its means are smoother, so a new
 * bucket is weaker evidence).
 *
 * The grids are fixed from the range of the warm-up values, so they need no knowledge of the future
 * (CAD OSE and HTM read the file's min and max in advance); values outside fall in new buckets,
 * which is itself news. After a report the detector rests: a score is emitted only when it exceeds
 * every fused score of the last `restPeriod` rows by the factor 1 + `restMargin`, because a NAB
 * window (and an operator) needs the first alarm of an episode, and the repeats only cost false
 * positives.
 */
import { checkWarmup, type DetectorOptions, type StreamingDetector } from './detector.ts';

export interface ContextNoveltyOptions extends DetectorOptions {
  /** buckets across the warm-up range, one grid per entry */
  readonly resolutions?: readonly number[];
  /** grids per resolution, shifted by 1/offsets of a bucket */
  readonly offsets?: number;
  /** rows after a raw score during which an equal or lower score is not reported */
  readonly restPeriod?: number;
  /** a raw score must exceed the recent maximum by this share to be reported */
  readonly restMargin?: number;
  /** rows per block of the block-mean view; 0 switches the view off */
  readonly blockRows?: number;
  /** weight of the block-mean view's score in the fusion by maximum, in [0, 1] */
  readonly blockWeight?: number;
  /** log2 of the context table's slots (memory: 4·2^bits bytes) */
  readonly tableBits?: number;
}

/**
 * Defaults chosen on the NAB corpus (README "Accuracy", in-sample): resolutions 8…32 buckets beat
 * 5…20 and 10…40; two offsets beat one and three; a rest of 30 rows beats 15 and 100; a margin of
 * 0.1 beats 0, 0.05 and 0.2; blocks of 24 rows at weight 0.9 scored best among 16…32 rows and
 * weights 0.7…1 (README gives the spread: the block length is the most sensitive choice).
 */
const DEFAULTS = {
  resolutions: [8, 12, 16, 24, 32],
  offsets: 2,
  restPeriod: 30,
  restMargin: 0.1,
  blockRows: 24,
  blockWeight: 0.9,
  tableBits: 16,
} as const;

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
  const restMargin = options.restMargin ?? DEFAULTS.restMargin;
  const blockRows = options.blockRows ?? DEFAULTS.blockRows;
  const blockWeight = options.blockWeight ?? DEFAULTS.blockWeight;
  const bits = options.tableBits ?? DEFAULTS.tableBits;
  if (resolutions.length === 0 || resolutions.some((b) => !(b > 0)))
    throw new RangeError('resolutions: expected positive bucket counts');
  if (!Number.isInteger(offsets) || offsets < 1) throw new RangeError('offsets: expected a positive integer');
  if (!Number.isInteger(restPeriod) || restPeriod < 0)
    throw new RangeError('restPeriod: expected a non-negative integer');
  if (!(restMargin >= 0)) throw new RangeError('restMargin: expected a non-negative number');
  if (!Number.isInteger(blockRows) || blockRows < 0 || blockRows === 1)
    throw new RangeError('blockRows: expected 0 (off) or an integer of at least 2');
  if (!(blockWeight >= 0 && blockWeight <= 1))
    throw new RangeError('blockWeight: expected a number in [0, 1]');
  if (!Number.isInteger(bits) || bits < 8 || bits > 24)
    throw new RangeError('tableBits: expected an integer in 8..24');

  // Grids 0..grids-1 quantise the value, grids..2·grids-1 the block mean; the grid index is part of
  // every context's key, so both views share one table without colliding.
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
  const previous = new Int32Array(2 * grids);
  const slots = 1 << bits;
  const mask = slots - 1;
  const table = new Uint32Array(slots);
  let used = 0;
  const recent = new Float64Array(Math.max(restPeriod, 1));
  let recentAt = 0;

  const pending = new Float64Array(warmup);
  let seen = 0;
  // Per view: the lowest warm-up value and, per grid, buckets per unit.
  const lo = new Float64Array(2);
  const scale = new Float64Array(2 * grids);
  const hasPrevious = [false, false];
  let blockSum = 0;
  let blockFill = 0;

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

  /** Novelty in [0, 1] of `value` in view 0 (values) or 1 (block means). */
  function raw(view: number, value: number): number {
    let score = 0;
    const base = view * grids;
    const withPrevious = hasPrevious[view];
    for (let g = 0; g < grids; g++) {
      const k = base + g;
      // Clamped so a wild value still lands in a (new, extreme) bucket instead of overflowing int32.
      const x = (value - lo[view]) * scale[k] + shift[g];
      const b = Math.floor(Math.min(1e9, Math.max(-1e9, x)));
      if (novel(hash(k, b, 0x7fffffff))) score += weight[g];
      if (withPrevious && novel(hash(k, previous[k], b))) score += weight[g];
      previous[k] = b;
    }
    hasPrevious[view] = true;
    // Summing the weights in another order can land a hair above 1.
    return Math.min(1, score / weightSum);
  }

  /** Both views fused by the maximum; the block view speaks on the last row of each block. */
  function fused(value: number): number {
    let score = raw(0, value);
    if (blockRows > 0) {
      blockSum += value;
      if (++blockFill === blockRows) {
        const block = blockWeight * raw(1, blockSum / blockRows);
        if (block > score) score = block;
        blockSum = 0;
        blockFill = 0;
      }
    }
    return score;
  }

  function rest(score: number): number {
    let max = 0;
    for (let k = 0; k < restPeriod; k++) if (recent[k] > max) max = recent[k];
    if (restPeriod > 0) {
      recent[recentAt] = score;
      recentAt = (recentAt + 1) % restPeriod;
    }
    return score > max * (1 + restMargin) ? score : 0;
  }

  function fixGrid(view: number, min: number, max: number): void {
    // A constant warm-up has no range; fall back to its magnitude so a later change still moves buckets.
    const range = max > min ? max - min : Math.max(Math.abs(min), 1);
    lo[view] = min;
    for (let g = 0; g < grids; g++) scale[view * grids + g] = bucketsAcross[g] / range;
  }

  function fixGrids(count: number): void {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let blockMin = Number.POSITIVE_INFINITY;
    let blockMax = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const v = pending[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      if (blockRows > 0 && (i + 1) % blockRows === 0) {
        const mean = sum / blockRows;
        if (mean < blockMin) blockMin = mean;
        if (mean > blockMax) blockMax = mean;
        sum = 0;
      }
    }
    fixGrid(0, min, max);
    // A warm-up shorter than one block: the block means will live inside the value range.
    if (blockMin > blockMax) fixGrid(1, min, max);
    else fixGrid(1, blockMin, blockMax);
    for (let i = 0; i < count; i++) rest(fused(pending[i]));
  }

  return {
    update(value: number): number {
      if (!Number.isFinite(value)) return 0;
      if (seen < warmup) {
        pending[seen++] = value;
        if (seen === warmup) fixGrids(warmup);
        return 0;
      }
      return rest(fused(value));
    },
  };
}
