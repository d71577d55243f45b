/**
 * `twinbox export`: writes one tenant of a store as JSON lines, so a city can move between the
 * SQLite and PostgreSQL engines (`twinbox import` reads it back). Everything goes through the
 * Store interface, so any engine exports and any engine imports.
 *
 * One JSON object per line, in this order:
 *   {"kind":"twinbox-export","version":1,"tenant":"…","engine":"sqlite","exportedAt":"…","entities":N}
 *   {"kind":"context","context":{…}}                          hosted @contexts
 *   {"kind":"entity","entity":{…}}                            NGSI-LD entities in normal form, expanded names
 *   {"kind":"temporalEntity","record":{…}}                    then its history, in chunks:
 *   {"kind":"instances","entityId":"…","instances":[…]}       attribute instances, oldest first
 *   {"kind":"subscription","subscription":{…}}
 *   {"kind":"registration","registration":{…}}
 *   {"kind":"csourceSubscription","subscription":{…}}
 *   {"kind":"end","counts":{…}}                               lets an import tell a cut-off file
 * Lines are produced one page at a time: memory stays bounded by a page, not by the city.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { openStore, type Store, type Tenant } from '../store/index.ts';
import { defaultDataDir } from '../twin/index.ts';
import { parseOptions, runCommand, UsageError } from './args.ts';

export const summary =
  "write a tenant's entities, history, subscriptions, registrations and contexts as JSON lines";

export const EXPORT_FORMAT = 'twinbox-export';
export const EXPORT_VERSION = 1;

/** Entities read per query, and history instances per line. */
const PAGE = 500;
const INSTANCES_PER_LINE = 1000;
/** Large enough to take a whole attribute history in one read. */
const ALL_INSTANCES = 2 ** 31 - 1;

export type Progress = (done: number, total: number) => void;

export interface ExportCounts {
  contexts: number;
  entities: number;
  temporalEntities: number;
  instances: number;
  subscriptions: number;
  registrations: number;
  csourceSubscriptions: number;
}

export const emptyCounts = (): ExportCounts => ({
  contexts: 0,
  entities: 0,
  temporalEntities: 0,
  instances: 0,
  subscriptions: 0,
  registrations: 0,
  csourceSubscriptions: 0,
});

/**
 * The lines of a tenant's export, produced lazily. `onProgress` counts entities and temporal
 * entities against their total.
 */
export async function* exportTenant(
  store: Store,
  tenant: Tenant,
  onProgress?: Progress,
): AsyncGenerator<string> {
  const counts = emptyCounts();
  const entityTotal = (await store.queryEntities(tenant, { limit: 1, offset: 0, count: true })).count ?? 0;
  const temporalTotal =
    (await store.history.listTemporalEntities(tenant, { limit: 1, offset: 0, count: true })).count ?? 0;
  const total = entityTotal + temporalTotal;
  let done = 0;
  const line = (o: unknown) => `${JSON.stringify(o)}\n`;
  yield line({
    kind: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    tenant,
    engine: store.engine,
    exportedAt: new Date().toISOString(),
    entities: entityTotal,
  });
  for (const context of await store.listContexts()) {
    counts.contexts++;
    yield line({ kind: 'context', context });
  }
  for (let offset = 0; ; offset += PAGE) {
    const { entities } = await store.queryEntities(tenant, { limit: PAGE, offset });
    for (const entity of entities) {
      counts.entities++;
      yield line({ kind: 'entity', entity });
    }
    done += entities.length;
    onProgress?.(done, total);
    if (entities.length < PAGE) break;
  }
  for (let offset = 0; ; offset += PAGE) {
    const { records } = await store.history.listTemporalEntities(tenant, { limit: PAGE, offset });
    for (const record of records) {
      counts.temporalEntities++;
      yield line({ kind: 'temporalEntity', record });
      const { instances } = await store.history.queryInstances(tenant, {
        entityIds: [record.id],
        timeproperty: 'modifiedAt',
        maxPerAttribute: ALL_INSTANCES,
      });
      // oldest first over all attributes, so an import replays the history in time order
      instances.sort((a, b) => (a.modifiedAt < b.modifiedAt ? -1 : a.modifiedAt > b.modifiedAt ? 1 : 0));
      for (let i = 0; i < instances.length; i += INSTANCES_PER_LINE) {
        const chunk = instances.slice(i, i + INSTANCES_PER_LINE);
        counts.instances += chunk.length;
        yield line({ kind: 'instances', entityId: record.id, instances: chunk });
      }
      done++;
    }
    onProgress?.(done, total);
    if (records.length < PAGE) break;
  }
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await store.subscriptions.list(tenant, { limit: PAGE, offset });
    for (const item of items) {
      counts.subscriptions++;
      yield line({ kind: 'subscription', subscription: item.subscription });
    }
    if (items.length < PAGE) break;
  }
  for (const registration of await store.registrations.listRegistrations(tenant)) {
    counts.registrations++;
    yield line({ kind: 'registration', registration });
  }
  for (const subscription of await store.registrations.listCSourceSubscriptions(tenant)) {
    counts.csourceSubscriptions++;
    yield line({ kind: 'csourceSubscription', subscription });
  }
  yield line({ kind: 'end', counts });
}

/** Writes lines to a stream, waiting whenever it is full (a slow disk or pipe slows the export). */
export async function writeLines(lines: AsyncIterable<string>, out: Writable): Promise<void> {
  for await (const l of lines) {
    if (!out.write(l)) await once(out, 'drain');
  }
}

/** A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal. */
export function progressBar(label: string): { update: Progress; done(message: string): void } {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (!tty || now - last < 100) return;
      last = now;
      const width = 30;
      const share = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(share * width);
      const rate = done / Math.max(0.001, (now - started) / 1000);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${Math.round(rate)}/s)`,
      );
    },
    done(message) {
      if (tty) process.stderr.write('\r\x1b[K');
      process.stderr.write(`${message}\n`);
    },
  };
}

/** The store a command names: --database-url for PostgreSQL, else the SQLite file in --data-dir. */
export function storeFromOptions(v: Record<string, unknown>): Store {
  const engine =
    typeof v.store === 'string' ? v.store : typeof v['database-url'] === 'string' ? 'postgres' : 'sqlite';
  if (engine === 'postgres') {
    const url = v['database-url'] ?? process.env.TWINBOX_DATABASE_URL;
    if (typeof url !== 'string' || url === '')
      throw new UsageError('--store postgres needs --database-url (or TWINBOX_DATABASE_URL)');
    return openStore({ engine: 'postgres', url });
  }
  if (engine !== 'sqlite')
    throw new UsageError(`--store: '${engine}' is not an engine; use sqlite or postgres`);
  const dataDir = typeof v['data-dir'] === 'string' ? resolve(v['data-dir']) : defaultDataDir('default');
  return openStore({ engine: 'sqlite', path: join(dataDir, 'twin.sqlite') });
}

export const STORE_OPTIONS = {
  store: { type: 'string' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
  tenant: { type: 'string', default: '' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `usage: twinbox export [--store sqlite|postgres] [--data-dir DIR | --database-url URL] [--tenant NAME] [--out FILE]

  --store         engine to read: sqlite (default) or postgres (implied by --database-url)
  --data-dir      folder of the SQLite store (default .twinbox/default)
  --database-url  postgres://user@host:5432/db
  --tenant        the tenant to export (default: the default tenant)
  --out           file to write (default: standard output); progress goes to standard error`;

export async function run(argv: string[]): Promise<number> {
  return runCommand('export', async () => {
    const v = parseOptions(argv, { ...STORE_OPTIONS, out: { type: 'string' } });
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    const store = storeFromOptions(v);
    const tenant = v.tenant as string;
    const out: Writable =
      typeof v.out === 'string' && v.out !== '-' ? createWriteStream(resolve(v.out)) : process.stdout;
    const bar = progressBar(`export ${tenant || '(default tenant)'}`);
    const started = Date.now();
    try {
      await writeLines(exportTenant(store, tenant, bar.update), out);
    } finally {
      await store.close();
    }
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
    bar.done(`exported tenant '${tenant}' in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  });
}
