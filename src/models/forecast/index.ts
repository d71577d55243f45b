export {
  BENCHMARK_METHODS,
  type BenchmarkForecast,
  type BenchmarkMethod,
  m4Benchmarks,
  seasonalNaive,
  theta,
} from './benchmarks.ts';
export { type EtsFit, type EtsForecast, type EtsTrend, fitEts, forecastEts } from './ets.ts';
export {
  type ForecastOptions,
  type ForecastResult,
  forecast,
  type PredictionInterval,
} from './forecaster.ts';
export { type M4Series, parseM4Csv } from './m4-csv.ts';
export { coverage, mase, msis, owa, seasonalNaiveScale, smape } from './metrics.ts';
export { type NelderMeadOptions, type NelderMeadResult, nelderMead } from './nelder-mead.ts';
export { acf, multiplicativeSeasonalIndices, seasonalityTest } from './seasonality.ts';
