/**
 * buildApp builds the HTTP application without listening (tests use `inject`); serve() in the
 * CLI listens. NGSI-LD is mounted under /ngsi-ld/v1.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { type Broker, createBroker } from '../broker/index.ts';
import { createFederation } from '../broker/registrations/index.ts';
import { type Notifier, startNotifier } from '../broker/subscriptions/index.ts';
import { type ProblemDetails, problem, TermMap } from '../ngsi/index.ts';
import type { Store } from '../store/index.ts';
import { type ContextResolver, createContextResolver } from './context-resolver.ts';
import { ProblemError } from './negotiation.ts';
import { batchRoutes } from './routes/batch.ts';
import { csourceRegistrationRoutes } from './routes/csource-registrations.ts';
import { csourceSubscriptionRoutes } from './routes/csource-subscriptions.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { entityRoutes } from './routes/entities.ts';
import { CONTEXTS_PATH, jsonldContextRoutes } from './routes/jsonld-contexts.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { temporalRoutes } from './routes/temporal.ts';

export interface AppOptions {
  store: Store;
  broker?: Broker;
  logLevel?: string;
  /** maximum request body in bytes (default 1 MiB) */
  bodyLimit?: number;
  /** @context documents by URL that must not be fetched (tests, air-gapped installs) */
  preloadedContexts?: Record<string, unknown>;
  /** the public base URL (scheme://host:port) for hosted @context URLs */
  publicUrl?: string;
  now?: () => Date;
  /** how long a context source may take to answer a forwarded request, ms (default 3000, or TWINBOX_FEDERATION_TIMEOUT_MS) */
  federationTimeoutMs?: number;
  /** extensions mounted on the same server (twin services, federation) */
  plugins?: Array<
    (app: FastifyInstance, deps: { broker: Broker; contexts: ContextResolver }) => void | Promise<void>
  >;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const JSON_TYPES = [
  'application/json',
  'application/ld+json',
  'application/merge-patch+json',
  'application/geo+json',
];

function sendProblem(reply: import('fastify').FastifyReply, p: ProblemDetails) {
  return reply.code(p.status).header('content-type', 'application/json').send(p);
}

function timeoutFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) === 0)
    throw new Error(`TWINBOX_FEDERATION_TIMEOUT_MS must be a positive integer, got '${value}'`);
  return Number(value);
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? process.env.TWINBOX_LOG_LEVEL ?? 'info' },
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 2048 },
    // clients (the ETSI suite among them) write `/entities/`; one trailing slash is the same resource
    rewriteUrl: (req) => (req.url ?? '/').replace(/(.)\/(\?|$)/, '$1$2'),
  });
  const broker = options.broker ?? createBroker({ store: options.store, now: options.now });
  let baseUrl = options.publicUrl ?? 'http://localhost:1026';
  const contexts = createContextResolver({
    store: options.store,
    preloaded: options.preloadedContexts,
    hostedBase: `${baseUrl}${CONTEXTS_PATH}`,
  });
  app.addHook('onReady', async () => {
    const address = app.server.address();
    if (!options.publicUrl && address && typeof address === 'object')
      baseUrl = `http://localhost:${address.port}`;
  });
  // clause 4.3.6, 5.9–5.11: registrations, their subscriptions, and forwarding to context sources
  const federation = createFederation({
    store: options.store,
    self: () => new URL(baseUrl).host,
    termsFor: async (context) => {
      const terms = await contexts.resolve(context);
      return terms.ok ? terms.value : TermMap.core();
    },
    timeoutMs: options.federationTimeoutMs ?? timeoutFromEnv(process.env.TWINBOX_FEDERATION_TIMEOUT_MS),
    now: options.now,
  });
  app.addHook('onReady', () => federation.notifier.start());
  app.addHook('onClose', () => federation.notifier.close());
  // clause 5.8: notifications are delivered while the app runs, and resume from the store's queue on start
  let notifier: Notifier | undefined;
  app.addHook('onReady', async () => {
    notifier = startNotifier({
      store: options.store,
      resolveContext: (context) => contexts.resolve(context),
      onChanges: (listener) => broker.onChanges(() => listener()),
      now: options.now,
      log: app.log,
    });
  });
  app.addHook('onClose', async () => {
    await notifier?.stop();
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(
        new ProblemError(problem('InvalidRequest', `the body is not valid JSON: ${(err as Error).message}`)),
        undefined,
      );
    }
  });
  app.addContentTypeParser('*', (_req, _payload, done) => {
    done(
      new ProblemError(
        problem('UnsupportedMediaType', 'Content-Type must be application/json or application/ld+json'),
      ),
      undefined,
    );
  });

  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error.problem);
    const fe = error as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(
        reply,
        problem('PayloadTooLarge', `the body exceeds the limit of ${app.initialConfig.bodyLimit} bytes`),
      );
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) {
      return sendProblem(
        reply,
        problem('UnsupportedMediaType', 'Content-Type must be application/json or application/ld+json'),
      );
    }
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendProblem(reply, problem('InvalidRequest', fe.message));
    }
    if (fe.validation) return sendProblem(reply, problem('BadRequestData', fe.message));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(reply, problem('BadRequestData', fe.message));
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem('InternalError', `internal error; request id ${request.id}`));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem('ResourceNotFound', `no resource at ${request.method} ${request.url.split('?')[0]}`),
    ),
  );

  // Read-only cross-origin access lets one instance's web app show a peer's public data.
  app.addHook('onSend', async (request, reply, payload) => {
    // NGSI-LD media types carry no charset parameter (JSON is UTF-8 by definition, RFC 8259)
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.endsWith('; charset=utf-8') && type.startsWith('application/')) {
      reply.header('content-type', type.slice(0, -'; charset=utf-8'.length));
    }
    if (request.method === 'GET' || request.method === 'OPTIONS') {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', 'link, ngsild-results-count, content-range');
    }
    return payload;
  });
  app.options('/*', async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, OPTIONS')
      .header('access-control-allow-headers', 'accept, link, ngsild-tenant')
      .header('access-control-max-age', '600')
      .send(),
  );

  const deps = { broker, contexts };
  await app.register(
    async (api) => {
      // a body on a write that has none is InvalidRequest, not a crash further down
      api.addHook('preHandler', async (request) => {
        if (
          (request.method === 'POST' || request.method === 'PATCH' || request.method === 'PUT') &&
          request.body === undefined
        ) {
          const ct = request.headers['content-type'];
          if (!ct)
            throw new ProblemError(problem('UnsupportedMediaType', 'a request body needs a Content-Type'));
          throw new ProblemError(problem('InvalidRequest', 'the request body is empty'));
        }
      });
      entityRoutes(api, deps, federation.distributed);
      batchRoutes(api, deps);
      discoveryRoutes(api, deps);
      jsonldContextRoutes(api, deps, () => baseUrl);
      temporalRoutes(api, deps);
      subscriptionRoutes(api, deps, options.now);
      csourceRegistrationRoutes(api, deps, federation);
      csourceSubscriptionRoutes(api, deps, federation);
    },
    { prefix: '/ngsi-ld/v1' },
  );
  for (const plugin of options.plugins ?? []) await plugin(app, deps);
  return app;
}
