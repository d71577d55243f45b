/**
 * `twinbox import`: reads what `twinbox export` wrote into a store of either engine. Entities are
 * written in batches, each batch one transaction; then every temporal entity's history replaces
 * whatever those writes recorded, so the history is the exported one and not an artefact of the
 * import. Subscriptions come last, so the import itself triggers no notification.
 *
 * Known limits of the Store interface this goes through: history instances get new instance ids
 * in the target store, and an instance's createdAt becomes its modifiedAt (the two differ only
 * for instances modified through the temporal API); subscription delivery counters start afresh.
 */
import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Entity } from '../ngsi/index.ts';
import type {
  AttributeInstance,
  Store,
  StoredContext,
  StoredSubscription,
  TemporalEntityRecord,
  Tenant,
} from '../store/index.ts';
import { parseOptions, runCommand } from './args.ts';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportCounts,
  emptyCounts,
  type Progress,
  progressBar,
  STORE_OPTIONS,
  storeFromOptions,
} from './export.ts';

export const summary = 'read a tenant written by twinbox export into a store (sqlite or postgres)';

/** Entities per write transaction. */
const BATCH = 500;

type Registration = Awaited<ReturnType<Store['registrations']['listRegistrations']>>[number];
type CSourceSubscription = Awaited<ReturnType<Store['registrations']['listCSourceSubscriptions']>>[number];

type Line =
  | { kind: typeof EXPORT_FORMAT; version: number; tenant: Tenant }
  | { kind: 'context'; context: StoredContext }
  | { kind: 'entity'; entity: Entity }
  | { kind: 'temporalEntity'; record: TemporalEntityRecord }
  | { kind: 'instances'; entityId: string; instances: AttributeInstance[] }
  | { kind: 'subscription'; subscription: StoredSubscription['subscription'] }
  | { kind: 'registration'; registration: Registration }
  | { kind: 'csourceSubscription'; subscription: CSourceSubscription }
  | { kind: 'end'; counts: ExportCounts };

export interface ImportOptions {
  /** import into this tenant instead of the exported one */
  tenant?: Tenant;
  /** called with the bytes or lines read so far, for a progress bar */
  onLine?: (lineNumber: number) => void;
}

export class ImportError extends Error {
  readonly userFacing = true;
}

/** Reads export lines into `store`; returns what was imported. */
export async function importTenant(
  store: Store,
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions = {},
): Promise<ExportCounts> {
  const counts = emptyCounts();
  let tenant: Tenant | undefined;
  let batch: Entity[] = [];
  let temporal: TemporalEntityRecord | undefined;
  let ended = false;
  let n = 0;

  const flush = async () => {
    if (batch.length === 0 || tenant === undefined) return;
    const entities = batch;
    batch = [];
    await store.modifyEntities(
      tenant,
      entities.map((e) => e.id),
      () => ({ writes: entities.map((e) => ({ id: e.id, entity: e })), result: undefined }),
    );
  };
  const finishTemporal = async () => {
    if (temporal && tenant !== undefined)
      await store.history.upsertTemporalEntity(tenant, temporal.id, temporal.type, temporal.modifiedAt);
    temporal = undefined;
  };

  for await (const text of lines) {
    n++;
    options.onLine?.(n);
    if (text.trim() === '') continue;
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch (err) {
      throw new ImportError(`line ${n}: not JSON (${(err as Error).message})`);
    }
    if (tenant === undefined) {
      if (line.kind !== EXPORT_FORMAT)
        throw new ImportError(`line ${n}: not a twinbox export (it starts with kind '${String(line.kind)}')`);
      if (line.version > EXPORT_VERSION)
        throw new ImportError(
          `line ${n}: export format version ${line.version} is newer than this twinbox (${EXPORT_VERSION})`,
        );
      tenant = options.tenant ?? line.tenant;
      continue;
    }
    if (ended) throw new ImportError(`line ${n}: content after the end line`);
    if (line.kind !== 'entity') await flush();
    if (line.kind !== 'instances') await finishTemporal();
    switch (line.kind) {
      case 'context':
        await store.putContext(line.context);
        counts.contexts++;
        break;
      case 'entity':
        batch.push(line.entity);
        counts.entities++;
        if (batch.length >= BATCH) await flush();
        break;
      case 'temporalEntity':
        // the entity writes above recorded their own instances: the exported history replaces them
        await store.history.deleteTemporalEntity(tenant, line.record.id);
        await store.history.upsertTemporalEntity(
          tenant,
          line.record.id,
          line.record.type,
          line.record.createdAt,
        );
        temporal = line.record;
        counts.temporalEntities++;
        break;
      case 'instances':
        if (!temporal || temporal.id !== line.entityId)
          throw new ImportError(`line ${n}: instances of '${line.entityId}' outside its temporal entity`);
        await addInstances(store, tenant, line.entityId, line.instances);
        counts.instances += line.instances.length;
        break;
      case 'subscription':
        await store.subscriptions.create(tenant, line.subscription);
        counts.subscriptions++;
        break;
      case 'registration':
        await store.registrations.createRegistration(tenant, line.registration);
        counts.registrations++;
        break;
      case 'csourceSubscription':
        await store.registrations.createCSourceSubscription(tenant, line.subscription);
        counts.csourceSubscriptions++;
        break;
      case 'end':
        ended = true;
        for (const [k, v] of Object.entries(line.counts)) {
          if (counts[k as keyof ExportCounts] !== v)
            throw new ImportError(
              `the export says ${v} ${k} but ${counts[k as keyof ExportCounts]} were read`,
            );
        }
        break;
      default:
        throw new ImportError(`line ${n}: unknown kind '${String((line as { kind: unknown }).kind)}'`);
    }
  }
  await flush();
  await finishTemporal();
  if (tenant === undefined) throw new ImportError('the input is empty');
  if (!ended) throw new ImportError(`the export is cut off after line ${n} (no end line)`);
  return counts;
}

/** Adds instances keeping their times: the history API stamps a call's instances with one time. */
async function addInstances(
  store: Store,
  tenant: Tenant,
  entityId: string,
  instances: AttributeInstance[],
): Promise<void> {
  let i = 0;
  while (i < instances.length) {
    const at = instances[i].modifiedAt;
    const group: Array<{ attr: string; attribute: AttributeInstance['attribute'] }> = [];
    while (i < instances.length && instances[i].modifiedAt === at) {
      group.push({ attr: instances[i].attr, attribute: instances[i].attribute });
      i++;
    }
    await store.history.addInstances(tenant, entityId, group, at);
  }
}

const HELP = `usage: twinbox import [--store sqlite|postgres] [--data-dir DIR | --database-url URL] [--tenant NAME] [--in FILE]

  --store         engine to write: sqlite (default) or postgres (implied by --database-url)
  --data-dir      folder of the SQLite store (default .twinbox/default)
  --database-url  postgres://user@host:5432/db
  --tenant        import into this tenant (default: the tenant the export names)
  --in            file to read (default: standard input); progress goes to standard error`;

export async function run(argv: string[]): Promise<number> {
  return runCommand('import', async () => {
    const v = parseOptions(argv, { ...STORE_OPTIONS, tenant: { type: 'string' }, in: { type: 'string' } });
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    const file = typeof v.in === 'string' && v.in !== '-' ? resolve(v.in) : undefined;
    const input: Readable = file ? createReadStream(file) : process.stdin;
    const size = file ? statSync(file).size : 0;
    const bar = progressBar('import');
    const progress: Progress = bar.update;
    const store = storeFromOptions(v);
    const started = Date.now();
    let counts: ExportCounts;
    try {
      counts = await importTenant(store, createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }), {
        tenant: typeof v.tenant === 'string' ? v.tenant : undefined,
        // a file shows bytes read of its size; a pipe, lines read
        onLine: (n) =>
          file ? progress((input as Readable & { bytesRead: number }).bytesRead, size) : progress(n, n),
      });
    } finally {
      await store.close();
    }
    bar.done(
      `imported ${counts.entities} entities, ${counts.instances} history instances of ${counts.temporalEntities} temporal entities, ` +
        `${counts.subscriptions} subscriptions, ${counts.registrations} registrations, ${counts.contexts} contexts in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return 0;
  });
}
