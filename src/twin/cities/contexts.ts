import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NGSI_LD_CORE_CONTEXT } from './normalized.ts';

/** `data/smart-data-models` of this package: schemas and @contexts vendored for offline use. */
export const SMART_DATA_MODELS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../data/smart-data-models',
);

const RAW = 'https://raw.githubusercontent.com/smart-data-models';
const PAGES = 'https://smart-data-models.github.io';

/** The domain @context each produced entity type uses. */
export const TYPE_CONTEXT: Record<string, string> = {
  AdministrativeArea: `${PAGES}/data-models/context.jsonld`,
  Garden: `${PAGES}/data-models/context.jsonld`,
  Building: `${RAW}/dataModel.Building/master/context.jsonld`,
  EVChargingStation: `${RAW}/dataModel.Transportation/master/context.jsonld`,
  Road: `${RAW}/dataModel.Transportation/master/context.jsonld`,
  RoadSegment: `${RAW}/dataModel.Transportation/master/context.jsonld`,
  TrafficFlowObserved: `${RAW}/dataModel.Transportation/master/context.jsonld`,
  RestrictedTrafficArea: `${RAW}/dataModel.Transportation/master/context.jsonld`,
  AirQualityObserved: `${RAW}/dataModel.Environment/master/context.jsonld`,
  PointOfInterest: `${RAW}/dataModel.PointOfInterest/master/context.jsonld`,
  PhotovoltaicDevice: `${RAW}/dataModel.GreenEnergy/master/context.jsonld`,
};

/**
 * Remote @context URLs and the vendored file (relative to SMART_DATA_MODELS_DIR) a document
 * loader should answer them with. Both spellings the upstream examples use are listed.
 */
export const SMART_DATA_MODEL_CONTEXTS: Record<string, string> = {
  [`${PAGES}/data-models/context.jsonld`]: '_contexts/data-models.context.jsonld',
  [`${RAW}/data-models/master/context.jsonld`]: '_contexts/data-models.context.jsonld',
};
for (const domain of ['Building', 'Transportation', 'Environment', 'PointOfInterest', 'GreenEnergy']) {
  const file = `_contexts/dataModel.${domain}.context.jsonld`;
  SMART_DATA_MODEL_CONTEXTS[`${RAW}/dataModel.${domain}/master/context.jsonld`] = file;
  SMART_DATA_MODEL_CONTEXTS[`${PAGES}/dataModel.${domain}/context.jsonld`] = file;
}

/** The `@context` array of an entity of `type`: its Smart Data Models context, then the core. */
export function contextFor(type: string): string[] {
  const domain = TYPE_CONTEXT[type];
  if (!domain) throw new Error(`no @context known for entity type ${type}`);
  return [domain, NGSI_LD_CORE_CONTEXT];
}

/** The vendored @context document for a URL, or undefined when it is not one of ours. */
export function readSmartDataModelContext(url: string): unknown {
  const file = SMART_DATA_MODEL_CONTEXTS[url];
  return file === undefined ? undefined : JSON.parse(readFileSync(join(SMART_DATA_MODELS_DIR, file), 'utf8'));
}
