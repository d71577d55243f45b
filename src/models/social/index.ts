/** Social impact of scenarios: district vulnerability and who gains or loses. */
export {
  aggregateByDistrict,
  attributeLinks,
  type DistrictImpact,
  type DistrictTotals,
  type LinkDistricts,
  type LinkMeasures,
  type Measure,
  type SocialImpactOptions,
  type SocialSummary,
  socialImpact,
  straightLinkShapes,
  type Verdict,
} from './district-impact.ts';
export {
  type District,
  DistrictFormatError,
  type DistrictOptions,
  districtsFromGeoJson,
} from './districts.ts';
export {
  containsPoint,
  type PolygonRings,
  type PreparedPolygon,
  polygonAreaKm2,
  preparePolygon,
} from './geometry.ts';
export { type JoinReport, joinLongStatistics, LEIPZIG_STATISTICS_INDICATORS } from './statistics.ts';
export {
  districtWeights,
  type Indicator,
  LEIPZIG_INDICATORS,
  type VulnerabilityResult,
  vulnerabilityIndex,
} from './vulnerability.ts';
