/** Static traffic assignment: compact networks, TNTP and GeoJSON readers, user equilibrium. */

export { type AppliedScenario, applyInterventions, type NetworkUnits } from './apply-interventions.ts';
export {
  ALGORITHMS,
  type AlgorithmName,
  type AssignmentOptions,
  type AssignmentResult,
  assign,
} from './assign.ts';
export type { IterationLog } from './convergence.ts';
export {
  type GeoJsonNetwork,
  type GeoJsonNetworkOptions,
  parseGeoJsonNetwork,
  ROAD_CLASS_DEFAULTS,
  type RoadClassDefaults,
  type ZoneCentroid,
} from './geojson-network.ts';
export {
  type Area,
  type Checked,
  type Intervention,
  type InterventionDocument,
  type LinkSelection,
  parseInterventions,
} from './interventions.ts';
export {
  buildDemand,
  buildNetwork,
  type Demand,
  findLink,
  type LinkTable,
  type Network,
  NetworkFormatError,
  nodeIndex,
} from './network.ts';
export type { CostFunction, UnreachablePair } from './problem.ts';
export {
  type LinkComparison,
  type LinkStatus,
  type RowRun,
  type RunTotals,
  runScenario,
  type ScenarioComparison,
  type ScenarioOptions,
  type UnreachableTrips,
} from './scenario.ts';
export {
  parseTntpFlow,
  parseTntpNet,
  parseTntpNodes,
  parseTntpTrips,
  type TntpFlow,
  type TntpNet,
  type TntpNetOptions,
} from './tntp.ts';
