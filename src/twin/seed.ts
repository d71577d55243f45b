/**
 * Seeds a city instance from its open data: every dataset's entities are upserted through the
 * broker (so they are validated, indexed and recorded as history like any client write), then
 * the datasets' time series are added as history instances. A marker in the store records a
 * finished seeding, so a restart keeps the state and an interrupted seeding runs again.
 */
import { type Broker, type BatchInput } from '../broker/index.ts';
import type { ContextResolver } from '../http/index.ts';
import { type Attribute, parseEntity, type TermMap } from '../ngsi/index.ts';
import { type CityConfig, mapDataset, type TemporalRow } from './cities/index.ts';

export interface SeedProgress {
  dataset: string;
  entities: number;
  historyInstances: number;
  rejected: Array<{ id: string; reason: string }>;
  seconds: number;
}

const BATCH = 1000;

async function termsFor(contexts: ContextResolver, context: unknown, cache: Map<string, TermMap>): Promise<TermMap> {
  const key = JSON.stringify(context);
  let terms = cache.get(key);
  if (!terms) {
    const r = await contexts.resolve(context);
    if (!r.ok) throw new Error(`seeding: ${r.problem.detail}`);
    terms = r.value;
    cache.set(key, terms);
  }
  return terms;
}

/** Adds a dataset's series as history, skipping the instance each entity already holds as current. */
async function seedHistory(broker: Broker, tenant: string, rows: TemporalRow[], terms: (type: string) => Promise<TermMap>): Promise<number> {
  const byEntity = new Map<string, TemporalRow[]>();
  for (const r of rows) {
    let list = byEntity.get(r.entityId);
    if (!list) byEntity.set(r.entityId, (list = []));
    list.push(r);
  }
  let added = 0;
  for (const [entityId, list] of byEntity) {
    const entity = await broker.store.getEntity(tenant, entityId);
    if (!entity) continue;
    const t = await terms(list[0].entityType);
    const instances: Array<{ attr: string; attribute: Attribute }> = [];
    for (const r of list) {
      const attr = t.expand(r.attribute);
      const current = entity.attrs[attr]?.[0];
      if (current?.observedAt && Date.parse(current.observedAt) === Date.parse(r.observedAt)) continue;
      const attribute: Attribute = { type: 'Property', value: r.value, observedAt: r.observedAt };
      if (r.unitCode) attribute.unitCode = r.unitCode;
      instances.push({ attr, attribute });
    }
    if (instances.length === 0) continue;
    await broker.store.history.addInstances(tenant, entityId, instances, new Date().toISOString());
    added += instances.length;
  }
  return added;
}

export async function seedCity(
  city: CityConfig,
  broker: Broker,
  contexts: ContextResolver,
  tenant: string,
  onProgress: (p: SeedProgress) => void = () => {},
): Promise<SeedProgress[]> {
  const cache = new Map<string, TermMap>();
  const report: SeedProgress[] = [];
  for (const dataset of city.datasets) {
    const t0 = performance.now();
    const { entities, history } = await mapDataset(city, dataset);
    const progress: SeedProgress = { dataset: dataset.id, entities: 0, historyInstances: 0, rejected: [], seconds: 0 };
    const contextByType = new Map<string, unknown>();
    for (let i = 0; i < entities.length; i += BATCH) {
      const inputs: BatchInput[] = [];
      for (const e of entities.slice(i, i + BATCH)) {
        const { '@context': context, ...body } = e as Record<string, unknown>;
        contextByType.set(String(body.type), context);
        const parsed = parseEntity(body, await termsFor(contexts, context, cache));
        if (parsed.ok) inputs.push({ ok: true, entity: parsed.value });
        else progress.rejected.push({ id: String(body.id), reason: parsed.problem.detail });
      }
      const result = await broker.batch(tenant, 'upsert', inputs);
      progress.entities += result.success.length;
      for (const err of result.errors) progress.rejected.push({ id: err.entityId, reason: err.error.detail });
    }
    if (history.length > 0) {
      progress.historyInstances = await seedHistory(broker, tenant, history, (type) =>
        termsFor(contexts, contextByType.get(type) ?? null, cache),
      );
    }
    progress.seconds = (performance.now() - t0) / 1000;
    report.push(progress);
    onProgress(progress);
  }
  return report;
}
