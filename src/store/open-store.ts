import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PostgresStore } from './postgres/postgres-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store, StoreOptions } from './store.ts';

/**
 * Opens the engine a configuration names; the embedded SQLite engine is the default. A
 * PostgreSQL store connects and migrates in the background and every operation waits for that,
 * so this stays synchronous; `openPostgresStore` is the variant that reports an unreachable
 * database at once.
 */
export function openStore(options: StoreOptions): Store {
  if (options.engine === 'sqlite') {
    const path = options.path ?? ':memory:';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return new SqliteStore(path);
  }
  if (options.engine === 'postgres') {
    if (!options.url) throw new Error('store engine postgres needs a connection URL');
    return new PostgresStore(options.url);
  }
  throw new Error(`store engine '${String(options.engine)}' is not available in this build`);
}
