/**
 * `twinbox serve`: the NGSI-LD broker (and, with --city, a city instance) on one port.
 */
import { resolve } from 'node:path';
import { parseOptions, positiveInt, runCommand, UsageError } from './args.ts';
import { startServer } from '../twin/index.ts';

export const summary = 'run the twin: the NGSI-LD broker on an embedded store (or a city instance with --city)';

const HELP = `usage: twinbox serve [--port 1026] [--host 127.0.0.1] [--data-dir DIR] [--store sqlite] [--city NAME|PATH]
                     [--body-limit BYTES]

  --port        TCP port (default 1026, or the city's port)
  --host        interface to listen on (default 127.0.0.1)
  --data-dir    folder of the embedded store (default .twinbox/<city or default>)
  --store       storage engine: sqlite (default)
  --city        a city instance: leipzig, bologna, or a city folder with city.json
  --body-limit  maximum request body in bytes (default 1048576)`;

export async function run(argv: string[]): Promise<number> {
  return runCommand('serve', async () => {
    const v = parseOptions(argv, {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      store: { type: 'string', default: 'sqlite' },
      city: { type: 'string' },
      'body-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if (v.store !== 'sqlite') throw new UsageError(`--store: '${String(v.store)}' is not available; use sqlite`);
    const port = v.port === undefined ? undefined : positiveInt(v.port, 'port');
    const bodyLimit = v['body-limit'] === undefined ? undefined : positiveInt(v['body-limit'], 'body-limit');
    const server = await startServer({
      port,
      host: v.host as string,
      dataDir: typeof v['data-dir'] === 'string' ? resolve(v['data-dir']) : undefined,
      city: v.city as string | undefined,
      bodyLimit,
    });
    console.log(`twinbox ${server.name}: NGSI-LD API at ${server.url}/ngsi-ld/v1`);
    await server.closed;
    return 0;
  });
}
