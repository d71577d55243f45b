/**
 * The Numenta Anomaly Benchmark scorer (NAB v1.1), re-implemented from its published definition:
 * A. Lavin, S. Ahmad, "Evaluating Real-time Anomaly Detection Algorithms – the Numenta Anomaly
 * Benchmark", arXiv:1510.03336, 2015, §3, and the specification in ../shared/data/nab/README.md
 * (probation, scaled sigmoid, the three cost profiles, the threshold sweep, normalisation).
 */

/** A NAB application profile: the cost matrix of §3.2 of the paper. */
export interface NabProfile {
  readonly name: 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';
  /** reward of a true positive at the very start of its window */
  readonly tp: number;
  /** cost of a row detected outside every window (far from the last window) */
  readonly fp: number;
  /** cost of a window without any detection */
  readonly fn: number;
}

/** NAB `config/profiles.json`; the true-negative weight is unused by the scorer. */
export const NAB_PROFILES: readonly NabProfile[] = [
  { name: 'standard', tp: 1.0, fp: 0.11, fn: 1.0 },
  { name: 'reward_low_FP_rate', tp: 1.0, fp: 0.22, fn: 1.0 },
  { name: 'reward_low_FN_rate', tp: 1.0, fp: 0.11, fn: 2.0 },
];

/** One scored file: a detector's per-row scores and the file's label windows as inclusive row ranges. */
export interface NabFile {
  readonly name: string;
  readonly scores: ArrayLike<number>;
  /** [first row, last row] of each window, ascending and disjoint */
  readonly windows: ReadonlyArray<readonly [number, number]>;
}

export interface NabFileScore {
  readonly name: string;
  readonly score: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface NabCorpusScore {
  readonly profile: NabProfile['name'];
  readonly threshold: number;
  readonly rawScore: number;
  /** 100 · (S − S_null) / (S_perfect − S_null): null detector 0, perfect 100 */
  readonly normalised: number;
  readonly files: NabFileScore[];
}

/** NAB's "nothing detected" threshold, above every score in [0, 1]. */
export const NAB_NULL_THRESHOLD = 1.1;

/** NAB's probation: 15% of the file, capped at 15% of 5000 rows (README step 1). */
export function nabProbation(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
}

/** σ(y) = 2/(1 + e^{5y}) − 1, forced to −1 beyond y = 3 (paper eq. 1). */
export function nabSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

const SIGMOID_AT_MINUS_ONE = nabSigmoid(-1);

/**
 * The value a detection at `row` would earn, before the per-window "first detection only" rule.
 * `windowOf[row]` is the window index containing the row or −1; `lastEnded[row]` the index of the
 * most recent window ending before the row or −1.
 */
function rowValues(rows: number, windows: NabFile['windows'], profile: NabProfile) {
  const value = new Float64Array(rows);
  const windowOf = new Int32Array(rows).fill(-1);
  let w = 0;
  let lastEnded = -1;
  for (let i = 0; i < rows; i++) {
    while (w < windows.length && windows[w][1] < i) lastEnded = w++;
    if (w < windows.length && windows[w][0] <= i) {
      const [l, r] = windows[w];
      const width = r - l + 1;
      windowOf[i] = w;
      value[i] = (profile.tp * nabSigmoid(-(r - i + 1) / width)) / SIGMOID_AT_MINUS_ONE;
    } else if (lastEnded < 0) {
      value[i] = -profile.fp;
    } else {
      const [l, r] = windows[lastEnded];
      value[i] = profile.fp * nabSigmoid(Math.abs(i - r) / (r - l));
    }
  }
  return { value, windowOf };
}

function checkWindows(file: NabFile): void {
  let prev = -1;
  for (const [l, r] of file.windows) {
    if (!(Number.isInteger(l) && Number.isInteger(r) && l <= r && l > prev && r < file.scores.length)) {
      throw new RangeError(`${file.name}: window [${l}, ${r}] is not an ascending in-range row range`);
    }
    prev = r;
  }
}

/**
 * Raw NAB score of one file at a fixed threshold (README steps 1–6).
 *
 * @example scoreNabFile({ name: 'a', scores: [0, 1, 0], windows: [[1, 2]] }, 0.5, NAB_PROFILES[0]).score
 */
export function scoreNabFile(file: NabFile, threshold: number, profile: NabProfile): NabFileScore {
  checkWindows(file);
  const n = file.scores.length;
  const { value, windowOf } = rowValues(n, file.windows, profile);
  const best = new Float64Array(file.windows.length).fill(Number.NEGATIVE_INFINITY);
  let score = 0;
  let fp = 0;
  let tn = 0;
  let tp = 0;
  let fn = 0;
  for (let i = nabProbation(n); i < n; i++) {
    const detected = file.scores[i] >= threshold;
    const w = windowOf[i];
    if (w >= 0) {
      if (detected) {
        tp++;
        if (value[i] > best[w]) best[w] = value[i];
      } else fn++;
    } else if (detected) {
      fp++;
      score += value[i];
    } else tn++;
  }
  for (const b of best) score += b === Number.NEGATIVE_INFINITY ? -profile.fn : b;
  return { name: file.name, score, tp, fp, fn, tn };
}

/** Normalised score from a corpus raw score (README step 8). */
export function normaliseNabScore(rawScore: number, windowCount: number, profile: NabProfile): number {
  const nullScore = -profile.fn * windowCount;
  const perfect = profile.tp * windowCount;
  return (100 * (rawScore - nullScore)) / (perfect - nullScore);
}

/**
 * Scores a corpus under one profile at a fixed threshold shared by all files (README step 7).
 *
 * @example scoreNabCorpusAt(files, NAB_PROFILES[0], 0.5).normalised
 */
export function scoreNabCorpusAt(
  files: readonly NabFile[],
  profile: NabProfile,
  threshold: number,
): NabCorpusScore {
  const perFile = files.map((f) => scoreNabFile(f, threshold, profile));
  const raw = perFile.reduce((s, f) => s + f.score, 0);
  const windowCount = files.reduce((s, f) => s + f.windows.length, 0);
  return {
    profile: profile.name,
    threshold,
    rawScore: raw,
    normalised: normaliseNabScore(raw, windowCount, profile),
    files: perFile,
  };
}

/**
 * Scores a corpus under one profile with NAB's in-sample threshold: the best corpus raw score over
 * the candidates {1.1} ∪ {every distinct score}. (NAB's own Python optimiser is a local search and
 * can stop short of this optimum: its published Numenta reward_low_FP_rate threshold 0.5752 scores
 * 63.12 where the sweep finds 63.21 at 0.5431.) Lowering the threshold only adds detections, so
 * one descending sweep over all rows updates the score incrementally (a window keeps its best
 * detection, an outside row adds its value) in O(N log N) instead of O(N · candidates).
 *
 * @example scoreNabCorpus(files, NAB_PROFILES[0]).normalised
 */
export function scoreNabCorpus(files: readonly NabFile[], profile: NabProfile): NabCorpusScore {
  let total = 0;
  let windowCount = 0;
  for (const f of files) {
    checkWindows(f);
    total += f.scores.length;
    windowCount += f.windows.length;
  }
  const rowScore = new Float64Array(total);
  const rowValue = new Float64Array(total);
  const rowWindow = new Int32Array(total);
  let used = 0;
  let windowBase = 0;
  for (const f of files) {
    const n = f.scores.length;
    const { value, windowOf } = rowValues(n, f.windows, profile);
    for (let i = nabProbation(n); i < n; i++) {
      rowScore[used] = f.scores[i];
      rowValue[used] = value[i];
      rowWindow[used] = windowOf[i] < 0 ? -1 : windowBase + windowOf[i];
      used++;
    }
    windowBase += f.windows.length;
  }
  const order = new Uint32Array(used);
  for (let i = 0; i < used; i++) order[i] = i;
  order.sort((a, b) => rowScore[b] - rowScore[a]);

  const best = new Float64Array(windowCount).fill(-profile.fn);
  let raw = -profile.fn * windowCount;
  let bestRaw = raw;
  let bestThreshold = NAB_NULL_THRESHOLD;
  for (let k = 0; k < used; ) {
    const threshold = rowScore[order[k]];
    while (k < used && rowScore[order[k]] === threshold) {
      const i = order[k++];
      const w = rowWindow[i];
      if (w < 0) raw += rowValue[i];
      else if (rowValue[i] > best[w]) {
        raw += rowValue[i] - best[w];
        best[w] = rowValue[i];
      }
    }
    if (raw > bestRaw) {
      bestRaw = raw;
      bestThreshold = threshold;
    }
  }
  return scoreNabCorpusAt(files, profile, bestThreshold);
}

/** Strips NAB's ".ffffff" fraction so label timestamps match data timestamps exactly. */
function labelTime(t: string): string {
  const dot = t.indexOf('.');
  return dot < 0 ? t : t.slice(0, dot);
}

/**
 * Maps NAB label windows (timestamp pairs of `labels/combined_windows.json`) to row ranges by exact
 * timestamp match, as NAB does. Returns the name of a timestamp that is not in the file as an error.
 */
export function nabWindowRows(
  timestamps: readonly string[],
  windows: ReadonlyArray<readonly [string, string]>,
): { ok: true; value: Array<[number, number]> } | { ok: false; missing: string } {
  const index = new Map<string, number>();
  for (let i = 0; i < timestamps.length; i++) index.set(timestamps[i], i);
  const rows: Array<[number, number]> = [];
  for (const [a, b] of windows) {
    const l = index.get(labelTime(a));
    const r = index.get(labelTime(b));
    if (l === undefined) return { ok: false, missing: a };
    if (r === undefined) return { ok: false, missing: b };
    rows.push([l, r]);
  }
  return { ok: true, value: rows };
}
