/**
 * Sensor diagnostics: names what is wrong with a sensor's history, not just where it is odd.
 * Checks run in order and each masks the rows it explains, so one fault is not reported under
 * several names (a stuck 0 K thermometer is out-of-range, not also a spike):
 *
 *   duplicate → gap → out-of-range → flatline → dropout → spike → level-shift → drift
 *
 * The reference behaviour is robust and seasonal where a season is given: the median of the rows
 * at the same phase (hour of day, say), the median absolute deviation of the residuals (Hampel
 * 1974; Rousseeuw & Croux 1993, consistency factor 1.4826). Diagnostics look at a whole history,
 * so unlike the streaming detectors they may use rows after the one judged.
 */

export type FaultType =
  | 'duplicate'
  | 'gap'
  | 'out-of-range'
  | 'flatline'
  | 'dropout'
  | 'spike'
  | 'level-shift'
  | 'drift';

export interface Fault {
  readonly type: FaultType;
  /** time of the first and last affected row (for a gap: the rows either side of the hole) */
  readonly start: number;
  readonly end: number;
  readonly startIndex: number;
  readonly endIndex: number;
  /** 0 (negligible) … 1 (certainly broken) */
  readonly severity: number;
  readonly explanation: string;
}

export interface Neighbour {
  readonly name: string;
  /** readings at the same times as the diagnosed series (NaN where missing) */
  readonly values: ArrayLike<number>;
}

export interface DiagnoseOptions {
  /** expected sampling interval, same unit as the times; default the median interval */
  readonly step?: number;
  /** a hole longer than `gapSteps` intervals is a gap (default 3) */
  readonly gapSteps?: number;
  /** physically possible range, e.g. { min: 180, max: 340 } for an air temperature in K */
  readonly bounds?: { readonly min?: number; readonly max?: number };
  /** length of the season in time units (e.g. 86 400 000 ms); phases are multiples of `step` */
  readonly season?: number;
  /** equal readings in a row that make a flatline (default 6) */
  readonly flatlineRows?: number;
  /** a reading below this share of the seasonal median is a dropout (default 0.1) */
  readonly dropoutRatio?: number;
  /** robust z-score of a spike (default 8) */
  readonly spikeSigma?: number;
  /** rows either side compared for a level shift, and smoothing of the drift residual (default 24) */
  readonly window?: number;
  /** change of the mean residual, in residual sigmas, that makes a level shift (default 4) */
  readonly shiftSigma?: number;
  /** departure from the neighbours, in sigmas of the early residual, that makes a drift (default 4) */
  readonly driftSigma?: number;
  readonly neighbours?: readonly Neighbour[];
}

const MAD_TO_SIGMA = 1.4826;

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

/**
 * Diagnoses a sensor's history. `times` must be non-decreasing (equal times are duplicates).
 *
 * @example
 * diagnose(times, volumes, { step: 3_600_000, season: 86_400_000 })
 * // [{ type: 'gap', start, end, severity: 1, explanation: 'no reading for 7392 h …' }, …]
 */
export function diagnose(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  options: DiagnoseOptions = {},
): Fault[] {
  const n = times.length;
  if (values.length !== n)
    throw new RangeError(`times (${n}) and values (${values.length}) differ in length`);
  for (let i = 1; i < n; i++) {
    if (!(times[i] >= times[i - 1]))
      throw new RangeError(`times must be non-decreasing: row ${i} is before row ${i - 1}`);
  }
  const faults: Fault[] = [];
  if (n === 0) return faults;
  const masked = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) masked[i] = 1;
  const fault = (type: FaultType, a: number, b: number, severity: number, explanation: string) =>
    faults.push({
      type,
      start: times[a],
      end: times[b],
      startIndex: a,
      endIndex: b,
      severity: clamp01(severity),
      explanation,
    });

  // Duplicates: a repeated time adds no information; keep the first row, flag the rest.
  for (let i = 1; i < n; ) {
    if (times[i] !== times[i - 1]) {
      i++;
      continue;
    }
    const first = i - 1;
    let j = i;
    while (j < n && times[j] === times[first]) masked[j++] = 1;
    let differ = false;
    for (let k = first + 1; k < j; k++) differ ||= values[k] !== values[first];
    fault(
      'duplicate',
      first,
      j - 1,
      differ ? 0.8 : 0.2,
      `${j - first} rows share one time${differ ? ' with different values' : ' with the same value'}`,
    );
    i = j;
  }

  const intervals: number[] = [];
  for (let i = 1; i < n; i++) if (times[i] > times[i - 1]) intervals.push(times[i] - times[i - 1]);
  const step = options.step ?? (median(intervals) || 1);
  const gapSteps = options.gapSteps ?? 3;
  for (let i = 1, prev = 0; i < n; i++) {
    if (times[i] === times[prev]) continue;
    const missing = Math.round((times[i] - times[prev]) / step) - 1;
    if (missing >= gapSteps) {
      fault(
        'gap',
        prev,
        i,
        Math.log10(missing + 1) / 3,
        `no reading for ${missing} expected intervals (${fmt((times[i] - times[prev]) / step)} × the step)`,
      );
    }
    prev = i;
  }

  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = options.bounds ?? {};
  runs(
    n,
    (i) => !masked[i] && (values[i] < min || values[i] > max),
    (a, b) => {
      let worst = values[a];
      for (let k = a; k <= b; k++)
        if (Math.abs(values[k] - (min + max) / 2) > Math.abs(worst - (min + max) / 2)) worst = values[k];
      fault(
        'out-of-range',
        a,
        b,
        1,
        `${b - a + 1} reading(s) outside the possible range [${fmt(min)}, ${fmt(max)}], e.g. ${fmt(worst)}`,
      );
    },
  );
  for (const f of faults) if (f.type === 'out-of-range') masked.fill(1, f.startIndex, f.endIndex + 1);

  flatlines(values, masked, options.flatlineRows ?? 6, fault);

  const phase = phaseOf(times, step, options.season);
  const reference = seasonalMedian(values, masked, phase);
  const dropoutRatio = options.dropoutRatio ?? 0.1;
  runs(
    n,
    (i) => !masked[i] && reference[i] > 0 && values[i] < dropoutRatio * reference[i],
    (a, b) => {
      let ratio = 1;
      for (let k = a; k <= b; k++) ratio = Math.min(ratio, values[k] / reference[k]);
      fault(
        'dropout',
        a,
        b,
        0.5 + 0.5 * (1 - ratio / dropoutRatio),
        `${b - a + 1} reading(s) near zero: down to ${fmt(100 * ratio)}% of the usual level at that time`,
      );
      masked.fill(1, a, b + 1);
    },
  );

  const residual = new Float64Array(n);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    residual[i] = values[i] - reference[i];
    if (!masked[i]) kept.push(residual[i]);
  }
  const centre = median(kept);
  const sigma = MAD_TO_SIGMA * median(kept.map((r) => Math.abs(r - centre))) || 1e-9;
  spikes(residual, masked, sigma, options.spikeSigma ?? 8, fault);
  levelShifts(residual, masked, sigma, options.window ?? 24, options.shiftSigma ?? 4, fault);
  for (const neighbour of options.neighbours ?? [])
    drift(values, masked, neighbour, options.window ?? 24, options.driftSigma ?? 4, fault);
  return faults.sort((a, b) => a.startIndex - b.startIndex || a.type.localeCompare(b.type));
}

type Report = (type: FaultType, a: number, b: number, severity: number, explanation: string) => void;

/** Calls `found(a, b)` for every maximal run of rows where `inRun` holds. */
function runs(n: number, inRun: (i: number) => boolean, found: (a: number, b: number) => void): void {
  for (let i = 0; i < n; ) {
    if (!inRun(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && inRun(j + 1)) j++;
    found(i, j);
    i = j + 1;
  }
}

function flatlines(values: ArrayLike<number>, masked: Uint8Array, minRows: number, fault: Report): void {
  const n = values.length;
  // A series that is mostly constant (a switch, a counter at rest) is not stuck when it stays put.
  let moves = 0;
  let pairs = 0;
  for (let i = 1; i < n; i++) {
    if (masked[i] || masked[i - 1]) continue;
    pairs++;
    if (values[i] !== values[i - 1]) moves++;
  }
  if (pairs === 0 || moves / pairs < 0.5) return;
  for (let i = 0; i < n; ) {
    if (masked[i]) {
      i++;
      continue;
    }
    let j = i;
    let last = i;
    while (j + 1 < n && (masked[j + 1] || values[j + 1] === values[i])) {
      j++;
      if (!masked[j]) last = j;
    }
    let count = 0;
    for (let k = i; k <= last; k++) if (!masked[k]) count++;
    if (count >= minRows) {
      fault(
        'flatline',
        i,
        last,
        count / (4 * minRows),
        `stuck at ${fmt(values[i])} for ${count} readings although the series changes at ${fmt((100 * moves) / pairs)}% of steps`,
      );
      for (let k = i; k <= last; k++) masked[k] = 1;
    }
    i = last + 1;
  }
}

function phaseOf(times: ArrayLike<number>, step: number, season: number | undefined): Int32Array {
  const phase = new Int32Array(times.length);
  if (!season || season <= step) return phase;
  const phases = Math.round(season / step);
  for (let i = 0; i < times.length; i++)
    phase[i] = ((Math.round(times[i] / step) % phases) + phases) % phases;
  return phase;
}

function seasonalMedian(values: ArrayLike<number>, masked: Uint8Array, phase: Int32Array): Float64Array {
  const byPhase = new Map<number, number[]>();
  for (let i = 0; i < values.length; i++) {
    if (masked[i]) continue;
    const list = byPhase.get(phase[i]);
    if (list) list.push(values[i]);
    else byPhase.set(phase[i], [values[i]]);
  }
  const medians = new Map<number, number>();
  for (const [p, list] of byPhase) medians.set(p, median(list));
  return Float64Array.from(phase, (p) => medians.get(p) ?? Number.NaN);
}

/** A spike is a row far from the seasonal reference and from both of its neighbours. */
function spikes(residual: Float64Array, masked: Uint8Array, sigma: number, k: number, fault: Report): void {
  const n = residual.length;
  const neighbour = (i: number, dir: number): number => {
    for (let j = i + dir; j >= 0 && j < n; j += dir) if (!masked[j]) return residual[j];
    return Number.NaN;
  };
  for (let i = 0; i < n; i++) {
    if (masked[i]) continue;
    const z = Math.abs(residual[i]) / sigma;
    if (z < k) continue;
    const before = neighbour(i, -1);
    const after = neighbour(i, 1);
    const jump = Math.min(Math.abs(residual[i] - before), Math.abs(residual[i] - after)) / sigma;
    if (!(jump >= k)) continue;
    fault(
      'spike',
      i,
      i,
      z / (4 * k),
      `isolated reading ${fmt(z)} sigmas from the usual level and ${fmt(jump)} from its neighbours`,
    );
    masked[i] = 1;
  }
}

/** Two-window mean comparison of the seasonal residual; reports the peak of each excursion. */
function levelShifts(
  residual: Float64Array,
  masked: Uint8Array,
  sigma: number,
  w: number,
  k: number,
  fault: Report,
): void {
  const n = residual.length;
  const sum = new Float64Array(n + 1);
  const count = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    sum[i + 1] = sum[i] + (masked[i] ? 0 : residual[i]);
    count[i + 1] = count[i] + (masked[i] ? 0 : 1);
  }
  const stat = new Float64Array(n);
  for (let i = w; i + w <= n; i++) {
    const cb = count[i] - count[i - w];
    const ca = count[i + w] - count[i];
    if (cb < w / 2 || ca < w / 2) continue;
    stat[i] = ((sum[i + w] - sum[i]) / ca - (sum[i] - sum[i - w]) / cb) / sigma;
  }
  for (let i = w; i + w <= n; i++) {
    const s = Math.abs(stat[i]);
    if (s < k) continue;
    let peak = true;
    for (let j = Math.max(0, i - w); j < Math.min(n, i + w) && peak; j++)
      if (Math.abs(stat[j]) > s || (Math.abs(stat[j]) === s && j < i)) peak = false;
    if (!peak) continue;
    fault(
      'level-shift',
      i,
      Math.min(n - 1, i + w - 1),
      s / (3 * k),
      `mean level ${stat[i] > 0 ? 'up' : 'down'} by ${fmt(s)} sigmas from the ${w} readings before to the ${w} after`,
    );
  }
}

/**
 * Drift: the sensor's departure from its neighbours' consensus (median of the neighbours, each
 * aligned by its median offset in the first fifth of the history) grows until it leaves the band
 * its early residual held. A slow climb is drift; a step is a level shift of the sensor itself.
 */
function drift(
  values: ArrayLike<number>,
  masked: Uint8Array,
  neighbour: Neighbour,
  w: number,
  k: number,
  fault: Report,
): void {
  const n = values.length;
  if (neighbour.values.length !== n)
    throw new RangeError(`neighbour ${neighbour.name}: ${neighbour.values.length} values for ${n} times`);
  const gap = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++)
    if (!masked[i] && Number.isFinite(neighbour.values[i])) gap[i] = values[i] - neighbour.values[i];
  const early: number[] = [];
  const baselineEnd = Math.max(w, Math.floor(n / 5));
  for (let i = 0; i < baselineEnd; i++) if (Number.isFinite(gap[i])) early.push(gap[i]);
  if (early.length < w) return;
  const offset = median(early);
  const sigma = MAD_TO_SIGMA * median(early.map((g) => Math.abs(g - offset))) || 1e-9;
  // Smoothed departure: the median of the last w gaps, so one bad reading does not count as drift.
  const departure = new Float64Array(n).fill(Number.NaN);
  const windowed: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(gap[i])) windowed.push(gap[i]);
    if (windowed.length > w) windowed.shift();
    if (windowed.length === w) departure[i] = (median(windowed) - offset) / sigma;
  }
  let since = -1;
  for (let i = 0; i < n; i++) {
    const d = Math.abs(departure[i]);
    if (!Number.isFinite(d)) continue;
    if (d < 1) since = -1;
    else if (since < 0) since = i;
    if (d >= k && since >= 0) {
      let end = i;
      let worst = departure[i];
      while (end + 1 < n && !(Math.abs(departure[end + 1]) < 1)) {
        end++;
        if (Math.abs(departure[end]) > Math.abs(worst)) worst = departure[end];
      }
      const ramp = i - since;
      // Reached within one smoothing window: a step, which the level-shift check names.
      if (ramp > w)
        fault(
          'drift',
          since,
          end,
          Math.abs(worst) / (4 * k),
          `departs from ${neighbour.name} by up to ${fmt(Math.abs(worst))} sigmas (${worst > 0 ? 'reads high' : 'reads low'}), reached over ${ramp} readings`,
        );
      i = end;
      since = -1;
    }
  }
}
