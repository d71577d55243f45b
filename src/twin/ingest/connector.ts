/**
 * Ingestion connectors: source -> mapping -> quality checks -> upsert. Seeding a city and a live
 * feed are the same thing at different times: files read once, or an HTTP source pulled on a
 * schedule. Every run is recorded with its counts and each reject's reason; a bad row is
 * rejected, never aborts the run, and never touches an entity (the upsert only sees rows that
 * passed).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join } from 'node:path';
import type { BatchInput, Broker } from '../../broker/index.ts';
import type { ContextResolver } from '../../http/index.ts';
import { type Attribute, parseEntity, type TermMap } from '../../ngsi/index.ts';
import type { IngestionRun } from '../../store/index.ts';
import type { MappedDataset, Mapping, TemporalRow } from '../cities/index.ts';
import { checkEntity, type QualityRules } from './quality.ts';

export type SourceFormat = 'csv' | 'json' | 'geojson' | 'text';

/** Where one input of a mapping comes from: a file (relative to `baseDir`) or an HTTP(S) URL. */
export interface SourceSpec {
  location: string;
  format?: SourceFormat;
}

export interface Connector {
  id: string;
  /** inputs by the role the mapping expects */
  sources: Record<string, SourceSpec>;
  mapping: Mapping;
  city: string;
  timeZone: string;
  baseDir?: string;
  quality?: QualityRules;
  /** seconds between pulls for a live feed; undefined runs once */
  everySeconds?: number;
}

export interface ConnectorDeps {
  broker: Broker;
  contexts: ContextResolver;
  tenant: string;
  now?: () => Date;
  fetchTimeoutMs?: number;
}

const BATCH = 1000;
/** A run record keeps the first rejects in full; the count covers all of them. */
const MAX_REJECTS_KEPT = 500;

function formatOf(spec: SourceSpec): SourceFormat {
  if (spec.format) return spec.format;
  const ext = extname(new URL(spec.location, 'file:///').pathname).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.geojson') return 'geojson';
  if (ext === '.json' || ext === '.jsonld') return 'json';
  return 'text';
}

async function readSource(
  spec: SourceSpec,
  baseDir: string | undefined,
  timeoutMs: number,
): Promise<unknown> {
  let text: string;
  if (/^https?:\/\//.test(spec.location)) {
    const res = await fetch(spec.location, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`${spec.location} answered HTTP ${res.status}`);
    text = await res.text();
  } else {
    const path = isAbsolute(spec.location) || !baseDir ? spec.location : join(baseDir, spec.location);
    text = await readFile(path, 'utf8');
  }
  const format = formatOf(spec);
  if (format === 'json' || format === 'geojson') {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new Error(`${spec.location}: not valid JSON: ${(err as Error).message}`);
    }
  }
  return text;
}

async function termsFor(
  contexts: ContextResolver,
  context: unknown,
  cache: Map<string, TermMap>,
): Promise<TermMap> {
  const key = JSON.stringify(context ?? null);
  let terms = cache.get(key);
  if (!terms) {
    const r = await contexts.resolve(context);
    if (!r.ok) throw new Error(r.problem.detail);
    terms = r.value;
    cache.set(key, terms);
  }
  return terms;
}

/** Runs a connector once and records the run; resolves with the record (also on failure). */
export async function runConnector(connector: Connector, deps: ConnectorDeps): Promise<IngestionRun> {
  const now = deps.now ?? (() => new Date());
  const store = deps.broker.store;
  const run: IngestionRun = {
    id: `urn:ngsi-ld:IngestionRun:${randomUUID()}`,
    connector: connector.id,
    sources: Object.values(connector.sources).map((s) => s.location),
    startedAt: now().toISOString(),
    status: 'running',
    read: 0,
    accepted: 0,
    rejected: 0,
    historyInstances: 0,
    rejects: [],
  };
  const reject = (ref: string, reason: string) => {
    run.rejected++;
    if (run.rejects.length < MAX_REJECTS_KEPT) run.rejects.push({ ref, reason });
  };
  await store.ingestion.saveRun(run);
  try {
    const files: Record<string, unknown> = {};
    for (const [role, spec] of Object.entries(connector.sources)) {
      files[role] = await readSource(spec, connector.baseDir, deps.fetchTimeoutMs ?? 30_000);
    }
    let mapped: MappedDataset;
    try {
      mapped = connector.mapping({ city: connector.city, timeZone: connector.timeZone, files });
    } catch (err) {
      throw new Error(`mapping failed: ${(err as Error).message}`);
    }
    const cache = new Map<string, TermMap>();
    const contextByType = new Map<string, unknown>();
    const nowMs = now().getTime();
    run.read = mapped.entities.length;
    for (let i = 0; i < mapped.entities.length; i += BATCH) {
      const inputs: BatchInput[] = [];
      for (const raw of mapped.entities.slice(i, i + BATCH)) {
        const { '@context': context, ...body } = raw as Record<string, unknown>;
        const id = String(body.id);
        const problem = checkEntity(raw as Record<string, unknown>, connector.quality ?? {}, nowMs);
        if (problem) {
          reject(id, problem);
          continue;
        }
        contextByType.set(String(body.type), context);
        const parsed = parseEntity(body, await termsFor(deps.contexts, context, cache));
        if (parsed.ok) inputs.push({ ok: true, entity: parsed.value });
        else reject(id, parsed.problem.detail);
      }
      if (inputs.length === 0) continue;
      const result = await deps.broker.batch(deps.tenant, 'upsert', inputs);
      run.accepted += result.success.length;
      for (const e of result.errors) reject(e.entityId, e.error.detail);
    }
    if (mapped.history.length > 0) {
      run.historyInstances = await addHistory(
        deps,
        mapped.history,
        (type) => termsFor(deps.contexts, contextByType.get(type) ?? null, cache),
        reject,
        connector.quality ?? {},
      );
    }
    run.status = 'succeeded';
  } catch (err) {
    run.status = 'failed';
    run.error = (err as Error).message;
  }
  run.finishedAt = now().toISOString();
  await store.ingestion.saveRun(run);
  return run;
}

/** Series rows become history instances; the instance an entity already holds as current is skipped. */
async function addHistory(
  deps: ConnectorDeps,
  rows: TemporalRow[],
  terms: (type: string) => Promise<TermMap>,
  reject: (ref: string, reason: string) => void,
  quality: QualityRules,
): Promise<number> {
  const byEntity = new Map<string, TemporalRow[]>();
  for (const r of rows) {
    let list = byEntity.get(r.entityId);
    if (!list) byEntity.set(r.entityId, (list = []));
    list.push(r);
  }
  let added = 0;
  for (const [entityId, list] of byEntity) {
    const entity = await deps.broker.store.getEntity(deps.tenant, entityId);
    if (!entity) {
      reject(entityId, `${list.length} history rows for an entity that was not ingested`);
      continue;
    }
    const t = await terms(list[0].entityType);
    const instances: Array<{ attr: string; attribute: Attribute }> = [];
    for (const r of list) {
      const range = quality.ranges?.[r.attribute];
      if (!Number.isFinite(r.value) || (range && (r.value < range[0] || r.value > range[1]))) {
        reject(
          `${entityId} ${r.attribute} ${r.observedAt}`,
          `value ${r.value} outside [${range?.[0] ?? '-∞'}, ${range?.[1] ?? '∞'}]`,
        );
        continue;
      }
      const attr = t.expand(r.attribute);
      const current = entity.attrs[attr]?.[0];
      if (current?.observedAt && Date.parse(current.observedAt) === Date.parse(r.observedAt)) continue;
      const attribute: Attribute = { type: 'Property', value: r.value, observedAt: r.observedAt };
      if (r.unitCode) attribute.unitCode = r.unitCode;
      instances.push({ attr, attribute });
    }
    if (instances.length === 0) continue;
    await deps.broker.store.history.addInstances(deps.tenant, entityId, instances, new Date().toISOString());
    added += instances.length;
  }
  return added;
}

/** Pulls a live connector every `everySeconds`; runs never overlap. */
export function scheduleConnector(
  connector: Connector,
  deps: ConnectorDeps,
  onRun: (run: IngestionRun) => void = () => {},
): { stop(): void } {
  if (!connector.everySeconds) throw new Error(`connector ${connector.id} has no schedule`);
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      onRun(await runConnector(connector, deps));
    } finally {
      running = false;
    }
  }, connector.everySeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
