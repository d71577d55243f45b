/**
 * `twinbox migrate`: brings a PostgreSQL database to this twinbox's schema without serving it
 * (nodes also migrate on start; running it first keeps a rolling upgrade's nodes from racing).
 */
import { openStore } from '../store/index.ts';
import { parseOptions, runCommand, UsageError } from './args.ts';

export const summary = 'create or upgrade the schema of a PostgreSQL store (--database-url)';

const HELP = `usage: twinbox migrate --database-url postgres://user@host:5432/db

  --database-url  the database to migrate (default: TWINBOX_DATABASE_URL)`;

export async function run(argv: string[]): Promise<number> {
  return runCommand('migrate', async () => {
    const v = parseOptions(argv, {
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    const url = typeof v['database-url'] === 'string' ? v['database-url'] : process.env.TWINBOX_DATABASE_URL;
    if (!url) throw new UsageError('--database-url is required');
    const started = Date.now();
    const store = openStore({ engine: 'postgres', url });
    try {
      // every operation waits for the migrations, so the first one tells whether they succeeded
      const tenants = await store.listTenants();
      const where = new URL(url);
      console.log(
        `schema of ${where.host}${where.pathname} is up to date (${tenants.length} tenants, ${Date.now() - started} ms)`,
      );
    } finally {
      await store.close();
    }
    return 0;
  });
}
