export { CITIES_DIR, type CityConfig, type DatasetConfig, loadCity, parseCityConfig } from './city-config.ts';
export {
  type DatasetEntities,
  type DatasetHistory,
  mapCityDatasets,
  mapCityHistory,
  mapDataset,
  readDatasetInput,
  toTemporalFragments,
} from './city-datasets.ts';
export {
  contextFor,
  readSmartDataModelContext,
  SMART_DATA_MODEL_CONTEXTS,
  SMART_DATA_MODELS_DIR,
  TYPE_CONTEXT,
} from './contexts.ts';
export type { MappedDataset, Mapping, MappingInput, TemporalRow } from './mapping.ts';
export { MAPPINGS } from './mappings/index.ts';
export {
  entityId,
  NGSI_LD_CORE_CONTEXT,
  type NormalizedAttribute,
  type NormalizedEntity,
  subAttributes,
  toKeyValues,
} from './normalized.ts';
export { type SchemaProblem, SmartDataModelValidator } from './sdm-validator.ts';
