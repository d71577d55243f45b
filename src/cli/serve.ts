/**
 * `twinbox serve`: the NGSI-LD broker, or with --city a city instance seeded from its open data.
 */
import { resolve } from 'node:path';
import { parseDuration } from '../ngsi/index.ts';
import { type Peer, startServer } from '../twin/index.ts';
import { parseOptions, positiveInt, runCommand, UsageError } from './args.ts';

export const summary =
  'run the twin: the NGSI-LD broker on an embedded store, or a city instance with --city';

const HELP = `usage: twinbox serve [--port 1026] [--host 127.0.0.1] [--data-dir DIR] [--store sqlite|postgres]
                     [--database-url URL] [--city NAME|PATH] [--peer NAME=URL ...] [--body-limit BYTES]

  --port        TCP port (default 1026, or the city's port)
  --host        interface to listen on (default 127.0.0.1)
  --data-dir    folder of the embedded store (default .twinbox/<city or default>)
  --store       storage engine: sqlite (default, a file in --data-dir) or postgres
  --database-url  PostgreSQL URL for --store postgres (or TWINBOX_DATABASE_URL); migrations run on start
  --city        a city instance: leipzig, bologna, or a folder with city.json; seeded on first start
  --peer        another instance of the federation, e.g. bologna=http://127.0.0.1:1027 (repeatable)
  --body-limit  maximum request body in bytes (default 1048576)
  --history-retention TYPE=DURATION   keep history of an entity type for an ISO 8601 duration,
                e.g. TrafficFlowObserved=P90D (repeatable; default: unlimited)`;

export function parsePeers(values: string[] | undefined): Peer[] {
  return (values ?? []).map((v) => {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--peer: expected NAME=URL, got '${v}'`);
    const url = v.slice(eq + 1);
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--peer: '${url}' is not an http(s) URL`);
    const id = v.slice(0, eq);
    return { id, name: id.charAt(0).toUpperCase() + id.slice(1), url };
  });
}

export function parseRetention(values: string[] | undefined): Array<{ type: string; ms: number }> {
  return (values ?? []).map((v) => {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--history-retention: expected TYPE=DURATION, got '${v}'`);
    const ms = parseDuration(v.slice(eq + 1));
    if (!ms.ok || ms.value <= 0)
      throw new UsageError(
        `--history-retention: '${v.slice(eq + 1)}' is not an ISO 8601 duration such as P30D`,
      );
    return { type: v.slice(0, eq), ms: ms.value };
  });
}

export async function run(argv: string[]): Promise<number> {
  return runCommand('serve', async () => {
    const v = parseOptions(argv, {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      store: { type: 'string', default: 'sqlite' },
      'database-url': { type: 'string' },
      city: { type: 'string' },
      peer: { type: 'string', multiple: true },
      'body-limit': { type: 'string' },
      'history-retention': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if (v.store !== 'sqlite' && v.store !== 'postgres')
      throw new UsageError(`--store: '${String(v.store)}' is not available; use sqlite or postgres`);
    const databaseUrl =
      typeof v['database-url'] === 'string' ? v['database-url'] : process.env.TWINBOX_DATABASE_URL;
    if (v.store === 'postgres' && !databaseUrl)
      throw new UsageError('--store postgres needs --database-url (or TWINBOX_DATABASE_URL)');
    const port = v.port === undefined ? undefined : positiveInt(v.port, 'port');
    const bodyLimit = v['body-limit'] === undefined ? undefined : positiveInt(v['body-limit'], 'body-limit');
    const server = await startServer({
      port,
      host: v.host as string,
      dataDir: typeof v['data-dir'] === 'string' ? resolve(v['data-dir']) : undefined,
      city: v.city as string | undefined,
      peers: parsePeers(v.peer as string[] | undefined),
      storeOptions: v.store === 'postgres' ? { engine: 'postgres', url: databaseUrl } : undefined,
      historyRetention: parseRetention(v['history-retention'] as string[] | undefined),
      bodyLimit,
      onSeedProgress: (p) =>
        console.log(
          `  seeded ${p.dataset}: ${p.entities} entities, ${p.historyInstances} history instances` +
            `${p.rejected.length ? `, ${p.rejected.length} rejected` : ''} (${p.seconds.toFixed(1)} s)`,
        ),
    });
    console.log(`twinbox ${server.name}: ${server.url}  (NGSI-LD API at ${server.url}/ngsi-ld/v1)`);
    await server.closed;
    return 0;
  });
}
