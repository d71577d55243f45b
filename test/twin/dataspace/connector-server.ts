/**
 * A twinbox process with the data-space connector mounted, as `startServer` mounts it: the store in
 * the data folder, the HTTP app, the connector plugin. Usage: connector-server.ts --port P --data-dir D
 * [--peer id=url ...] [--clock-file F]. Prints `listening <url>` once it accepts requests.
 * With --clock-file, the connector's clock runs ahead of the wall clock by the seconds F holds, so
 * a test can let tokens and agreements expire without waiting (both parties read the same file).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../../../src/http/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { dataspacePlugin } from '../../../src/twin/dataspace/index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    peer: { type: 'string', multiple: true },
    'clock-file': { type: 'string' },
  },
});
const port = Number(values.port);
const dataDir = values['data-dir'] as string;
const publicUrl = `http://127.0.0.1:${port}`;
const peers = (values.peer ?? []).map((p) => {
  const [id, url] = p.split('=');
  return { id, url };
});
const clockFile = values['clock-file'];
const now = clockFile
  ? () => new Date(Date.now() + (existsSync(clockFile) ? Number(readFileSync(clockFile, 'utf8')) : 0) * 1000)
  : undefined;
const store = openStore({ engine: 'sqlite', path: join(dataDir, 'twin.sqlite') });
const app = await buildApp({
  store,
  publicUrl,
  logLevel: 'warn',
  plugins: [dataspacePlugin({ store, dataDir, publicUrl, peers, ...(now ? { now } : {}) })],
});
await app.listen({ port, host: '127.0.0.1' });
console.log(`listening ${publicUrl}`);
const stop = async () => {
  await app.close();
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
