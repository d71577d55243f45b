/**
 * The engine's entry point for a whole history: pick a detector by name, stream the series
 * through it, get one score per value. The twin calls this on an attribute's temporal values.
 */
import { createContextNoveltyDetector } from './context-novelty.ts';
import { defaultWarmup, type StreamingDetector } from './detector.ts';
import { createRobustZScoreDetector } from './robust-zscore.ts';

const FACTORIES = {
  'context-novelty': createContextNoveltyDetector,
  'robust-zscore': createRobustZScoreDetector,
} as const;

export type DetectorName = keyof typeof FACTORIES;

/** Detector names, the recommended one first. */
export const DETECTOR_NAMES = Object.keys(FACTORIES) as DetectorName[];

export function isDetectorName(name: string): name is DetectorName {
  return Object.hasOwn(FACTORIES, name);
}

/** A fresh streaming detector; `warmup` defaults to 750 rows. */
export function createDetector(name: DetectorName, options: { warmup?: number } = {}): StreamingDetector {
  return FACTORIES[name](options);
}

export interface ScoreSeriesOptions {
  readonly detector?: DetectorName;
  /** defaults to NAB's probation for the series' length (15%, at most 750 rows) */
  readonly warmup?: number;
}

/**
 * Scores every value of a series, each from it and the values before it only.
 *
 * @example scoreSeries(Float64Array.from(history), { detector: 'context-novelty' })
 */
export function scoreSeries(values: ArrayLike<number>, options: ScoreSeriesOptions = {}): Float64Array {
  const detector = createDetector(options.detector ?? 'context-novelty', {
    warmup: options.warmup ?? defaultWarmup(values.length),
  });
  const scores = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) scores[i] = detector.update(values[i]);
  return scores;
}
