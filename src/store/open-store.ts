import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { Store, StoreOptions } from './store.ts';

/** Opens the engine a configuration names; the embedded SQLite engine is the default. */
export function openStore(options: StoreOptions): Store {
  if (options.engine === 'sqlite') {
    const path = options.path ?? ':memory:';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return new SqliteStore(path);
  }
  throw new Error(`store engine '${options.engine}' is not available in this build`);
}
