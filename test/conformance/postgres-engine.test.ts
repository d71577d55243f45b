/**
 * The ETSI NGSI-LD conformance scenarios on the PostgreSQL engine: the very test files that run
 * on in-memory SQLite, imported here with their app builder (test/helpers/app.ts) swapped for
 * the PostgreSQL one (test/helpers/postgres-app.ts), so both engines pass the same cases. Known
 * failures stay `todo` as on SQLite. Skipped, with the reason, when PostgreSQL or PostGIS is not
 * there.
 */
import { register } from 'node:module';
import { after, describe, test } from 'node:test';
import { dropPostgresTestDatabase, postgresTestDatabase } from '../helpers/postgres-app.ts';

/**
 * The conformance files run on PostgreSQL: the entity, query, attribute and batch operations,
 * discovery, @contexts and the temporal API. TWINBOX_CONFORMANCE_FILES=query,batch picks some.
 */
const FILES = process.env.TWINBOX_CONFORMANCE_FILES
  ? process.env.TWINBOX_CONFORMANCE_FILES.split(',')
  : [
      'entities',
      'retrieve',
      'query',
      'attributes',
      'batch',
      'discovery',
      'jsonld-contexts',
      'temporal-provision',
      'temporal-consumption',
    ];

const db = await postgresTestDatabase();
if ('skip' in db) {
  test('ETSI conformance on PostgreSQL', { skip: db.skip }, () => undefined);
} else {
  after(() => dropPostgresTestDatabase());
  const sqliteApp = new URL('../helpers/app.ts', import.meta.url).href;
  const postgresApp = new URL('../helpers/postgres-app.ts', import.meta.url).href;
  // a resolve hook sends every import of the SQLite app builder to the PostgreSQL one
  const hook = `export async function resolve(specifier, context, next) {
    const r = await next(specifier, context);
    return r.url === ${JSON.stringify(sqliteApp)} ? { ...r, url: ${JSON.stringify(postgresApp)}, shortCircuit: true } : r;
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);
  for (const file of FILES) {
    describe(`postgres: ${file}`, async () => {
      await import(`./${file}.test.ts`);
    });
  }
}
