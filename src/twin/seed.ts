/**
 * Seeds a city instance from its open data: each dataset of city.json becomes a file connector
 * (source -> mapping -> quality checks -> upsert), so seeding and live feeds share one path and
 * every seeding run is recorded. Entities go through the broker, so they are validated, indexed
 * and recorded as history like any client write.
 */
import type { Broker } from '../broker/index.ts';
import type { ContextResolver } from '../http/index.ts';
import type { IngestionRun } from '../store/index.ts';
import { type CityConfig, type DatasetConfig, MAPPINGS, SmartDataModelValidator } from './cities/index.ts';
import { type Connector, runConnector } from './ingest/index.ts';

export interface SeedProgress {
  dataset: string;
  entities: number;
  historyInstances: number;
  rejected: Array<{ id: string; reason: string }>;
  seconds: number;
}

/** The file connector that reads one dataset of a city. */
export function datasetConnector(
  city: CityConfig,
  dataset: DatasetConfig,
  validator?: SmartDataModelValidator,
): Connector {
  const mapping = MAPPINGS[dataset.mapping];
  if (!mapping)
    throw new Error(`${city.id}: dataset ${dataset.id} names unknown mapping "${dataset.mapping}"`);
  return {
    id: `${city.id}/${dataset.id}`,
    city: city.id,
    timeZone: city.timeZone,
    baseDir: city.dir,
    mapping,
    sources: Object.fromEntries(
      Object.entries(dataset.files).map(([role, file]) => [role, { location: file }]),
    ),
    quality: validator ? { schema: validator } : {},
  };
}

export async function seedCity(
  city: CityConfig,
  broker: Broker,
  contexts: ContextResolver,
  tenant: string,
  onProgress: (p: SeedProgress) => void = () => {},
): Promise<SeedProgress[]> {
  const validator = new SmartDataModelValidator();
  const report: SeedProgress[] = [];
  for (const dataset of city.datasets) {
    const t0 = performance.now();
    const run: IngestionRun = await runConnector(datasetConnector(city, dataset, validator), {
      broker,
      contexts,
      tenant,
    });
    if (run.status === 'failed') throw new Error(`seeding ${city.id}/${dataset.id} failed: ${run.error}`);
    const progress: SeedProgress = {
      dataset: dataset.id,
      entities: run.accepted,
      historyInstances: run.historyInstances,
      rejected: run.rejects.map((r) => ({ id: r.ref, reason: r.reason })),
      seconds: (performance.now() - t0) / 1000,
    };
    report.push(progress);
    onProgress(progress);
  }
  return report;
}
