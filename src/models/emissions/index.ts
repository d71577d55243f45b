export { EmissionDataError, parseCsv } from './csv.ts';
export {
  compileFleetModel,
  type EmissionFactors,
  type EmissionModelOptions,
  type FleetEmissionModel,
  fleetEmissionFactors,
  type LinkEmissions,
  type LinkTraffic,
  linkEmissions,
  ROAD_TYPES,
  type RoadType,
  roadTypeFromSpeed,
} from './emission-model.ts';
export {
  checkFleet,
  classLabel,
  type FleetClass,
  type FleetMix,
  fleetFromJson,
  fleetFromKbaStock,
  withEvShare,
} from './fleet.ts';
export { type FuelCo2Factor, type FuelCo2Factors, parseFuelCo2Factors } from './fuel-co2.ts';
export {
  type CurveSelector,
  findCurve,
  type HotEmissionCurve,
  type HotEmissionTable,
  hotEmissionFactor,
  mergeTables,
  type Pollutant,
  parseHotEmissionTable,
  type RoadMode,
  type VehicleClass,
} from './hot-emission-factors.ts';
