import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { CityConfig, DatasetConfig } from './city-config.ts';
import type { MappedDataset, MappingInput, TemporalRow } from './mapping.ts';
import { MAPPINGS } from './mappings/index.ts';
import type { NormalizedAttribute, NormalizedEntity } from './normalized.ts';

/** Reads a dataset's files: JSON and GeoJSON parsed, CSV and anything else as text. */
export async function readDatasetInput(config: CityConfig, dataset: DatasetConfig): Promise<MappingInput> {
  const files: Record<string, unknown> = {};
  for (const [role, name] of Object.entries(dataset.files)) {
    const content = await readFile(join(config.dir, name), 'utf8');
    const ext = extname(name).toLowerCase();
    files[role] = ext === '.json' || ext === '.geojson' ? JSON.parse(content) : content;
  }
  return { city: config.id, timeZone: config.timeZone, files };
}

/** Runs one dataset's mapping over its files. */
export async function mapDataset(config: CityConfig, dataset: DatasetConfig): Promise<MappedDataset> {
  const mapping = MAPPINGS[dataset.mapping];
  if (!mapping)
    throw new Error(`${config.id}: dataset ${dataset.id} names unknown mapping "${dataset.mapping}"`);
  return mapping(await readDatasetInput(config, dataset));
}

export interface DatasetEntities {
  dataset: DatasetConfig;
  entities: NormalizedEntity[];
}

export interface DatasetHistory {
  dataset: DatasetConfig;
  rows: TemporalRow[];
}

/** The city's entities, one dataset at a time, in `city.json` order. */
export async function* mapCityDatasets(config: CityConfig): AsyncGenerator<DatasetEntities> {
  for (const dataset of config.datasets) {
    const { entities } = await mapDataset(config, dataset);
    yield { dataset, entities };
  }
}

/**
 * The city's history rows per dataset (datasets without time series are skipped). Mapping runs
 * again here so a seeding that only needs entities never holds the series in memory.
 */
export async function* mapCityHistory(config: CityConfig): AsyncGenerator<DatasetHistory> {
  for (const dataset of config.datasets) {
    const { history } = await mapDataset(config, dataset);
    if (history.length > 0) yield { dataset, rows: history };
  }
}

/**
 * History rows as NGSI-LD temporal entity fragments (clause 4.5.6, normalized temporal
 * representation), at most `maxInstances` attribute instances each, ready for
 * `POST /temporal/entities` or `POST /temporal/entities/{id}/attrs`.
 */
export function toTemporalFragments(
  rows: TemporalRow[],
  context: string[],
  maxInstances = 1000,
): NormalizedEntity[] {
  const byEntity = new Map<string, TemporalRow[]>();
  for (const r of rows) {
    let list = byEntity.get(r.entityId);
    if (!list) {
      list = [];
      byEntity.set(r.entityId, list);
    }
    list.push(r);
  }
  const out: NormalizedEntity[] = [];
  for (const [id, list] of byEntity) {
    for (let i = 0; i < list.length; i += maxInstances) {
      const fragment: NormalizedEntity = { id, type: list[0].entityType, '@context': context };
      for (const r of list.slice(i, i + maxInstances)) {
        const instance: NormalizedAttribute = { type: 'Property', value: r.value, observedAt: r.observedAt };
        if (r.unitCode) instance.unitCode = r.unitCode;
        const instances = (fragment[r.attribute] as NormalizedAttribute[] | undefined) ?? [];
        instances.push(instance);
        fragment[r.attribute] = instances;
      }
      out.push(fragment);
    }
  }
  return out;
}
