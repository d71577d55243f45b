export { type AnomalyLikelihoodOptions, createAnomalyLikelihood } from './anomaly-likelihood.ts';
export { type ContextNoveltyOptions, createContextNoveltyDetector } from './context-novelty.ts';
export { type DetectorOptions, defaultWarmup, type StreamingDetector } from './detector.ts';
export { type DiagnoseOptions, diagnose, type Fault, type FaultType, type Neighbour } from './diagnose.ts';
export {
  NAB_NULL_THRESHOLD,
  NAB_PROFILES,
  type NabCorpusScore,
  type NabFile,
  type NabFileScore,
  type NabProfile,
  nabProbation,
  nabSigmoid,
  nabWindowRows,
  normaliseNabScore,
  scoreNabCorpus,
  scoreNabCorpusAt,
  scoreNabFile,
} from './nab-scorer.ts';
export { createRobustZScoreDetector, type RobustZScoreOptions } from './robust-zscore.ts';
export {
  createDetector,
  DETECTOR_NAMES,
  type DetectorName,
  isDetectorName,
  type ScoreSeriesOptions,
  scoreSeries,
} from './score-series.ts';
