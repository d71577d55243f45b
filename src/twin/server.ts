/**
 * Starts one twin process: the store in its data folder, the HTTP app, clean shutdown on
 * SIGINT/SIGTERM (in-flight requests finish, the store closes so its WAL is checkpointed).
 */
import { join, resolve } from 'node:path';
import { buildApp } from '../http/index.ts';
import { openStore } from '../store/index.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  city?: string;
  bodyLimit?: number;
  logLevel?: string;
}

export interface RunningServer {
  name: string;
  url: string;
  close(): Promise<void>;
  closed: Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const name = options.city ?? 'default';
  const dataDir = options.dataDir ?? resolve('.twinbox', name);
  const store = openStore({ engine: 'sqlite', path: join(dataDir, 'twin.sqlite') });
  const port = options.port ?? 1026;
  const host = options.host ?? '127.0.0.1';
  const publicUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  const app = await buildApp({ store, bodyLimit: options.bodyLimit, logLevel: options.logLevel, publicUrl });
  await app.listen({ port, host });
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  let closing = false;
  const close = async () => {
    if (closing) return closed;
    closing = true;
    await app.close();
    await store.close();
    resolveClosed();
  };
  const onSignal = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    void close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { name, url: publicUrl, close, closed };
}
