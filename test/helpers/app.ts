/**
 * A real twinbox app for HTTP tests: the full Fastify app over an in-memory SQLite store, driven
 * with `app.inject()` (no port). `contexts` preloads JSON-LD documents by URL, standing in for
 * remote @contexts that tests must not fetch.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/index.ts';
import { openStore } from '../../src/store/index.ts';

export interface TestAppOptions {
  contexts?: Record<string, unknown>;
  bodyLimit?: number;
}

export async function buildTestApp(options: TestAppOptions = {}): Promise<FastifyInstance> {
  const store = openStore({ engine: 'sqlite', path: ':memory:' });
  const app = await buildApp({
    store,
    logLevel: 'silent',
    preloadedContexts: options.contexts ?? {},
    bodyLimit: options.bodyLimit,
  });
  app.addHook('onClose', async () => store.close());
  return app;
}
