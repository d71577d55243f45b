/**
 * `twinbox seed --city X [--reset]`: (re-)seeds a city instance's store from its open data
 * without serving it.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultDataDir, startServer } from '../twin/index.ts';
import { parseOptions, requireString, runCommand } from './args.ts';

export const summary = "seed a city instance's store from its open data (--reset starts from an empty store)";

export async function run(argv: string[]): Promise<number> {
  return runCommand('seed', async () => {
    const v = parseOptions(argv, {
      city: { type: 'string' },
      'data-dir': { type: 'string' },
      reset: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      console.log('usage: twinbox seed --city NAME|PATH [--data-dir DIR] [--reset]');
      return 0;
    }
    const city = requireString(v, 'city');
    const dataDir = typeof v['data-dir'] === 'string' ? resolve(v['data-dir']) : defaultDataDir(city);
    // without --reset the data is upserted again over the existing store
    rmSync(join(dataDir, 'seeded.json'), { force: true });
    // seeding happens on start; port 0 lets the OS pick a free one for the moment it runs
    const server = await startServer({
      city,
      dataDir,
      port: 0,
      reseed: Boolean(v.reset),
      dataspace: false,
      logLevel: 'warn',
      onSeedProgress: (p) =>
        console.log(
          `  ${p.dataset}: ${p.entities} entities, ${p.historyInstances} history instances, ${p.rejected.length} rejected (${p.seconds.toFixed(1)} s)`,
        ),
    });
    await server.close();
    console.log(`seeded ${city} into ${dataDir}`);
    return 0;
  });
}
