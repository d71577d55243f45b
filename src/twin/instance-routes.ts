/**
 * The twin's own API under /twinbox/v1 (what an instance is, its peers and datasets) and the
 * built web app at /.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.ts';
import type { CityConfig } from './cities/index.ts';

export const WEB_DIST = resolve(fileURLToPath(import.meta.url), '../../../web/dist');

export interface Peer {
  id: string;
  name: string;
  url: string;
}

export interface InstanceInfo {
  id: string;
  name: string;
  url: string;
  city?: CityConfig;
  peers: Peer[];
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pbf': 'application/x-protobuf',
};

export function instanceRoutes(
  app: FastifyInstance,
  info: () => InstanceInfo,
  store: Store,
  webDist = WEB_DIST,
): void {
  app.get<{ Querystring: { connector?: string; limit?: string; offset?: string } }>(
    '/twinbox/v1/ingestion/runs',
    async (request) => {
      const limit = Math.min(Number(request.query.limit ?? 50) || 50, 1000);
      const offset = Number(request.query.offset ?? 0) || 0;
      return store.ingestion.listRuns({ connector: request.query.connector, limit, offset });
    },
  );
  app.get<{ Params: { id: string } }>('/twinbox/v1/ingestion/runs/:id', async (request, reply) => {
    const run = await store.ingestion.getRun(request.params.id);
    if (!run)
      return reply.code(404).send({
        type: 'https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound',
        title: 'Resource not found',
        status: 404,
        detail: `no ingestion run '${request.params.id}'`,
      });
    return run;
  });

  app.get('/twinbox/v1/instance', async () => {
    const i = info();
    const c = i.city;
    return {
      id: i.id,
      name: i.name,
      url: i.url,
      languages: c?.languages ?? ['en'],
      centre: c?.centre ?? [0, 0],
      bbox: c?.bbox ?? [-180, -90, 180, 90],
      peers: i.peers,
      datasets: (c?.datasets ?? []).map((d) => ({
        id: d.id,
        entityTypes: d.entityTypes,
        licence: d.licence,
        attribution: d.attribution,
        source: d.source,
      })),
    };
  });

  app.get('/*', async (request, reply) => {
    const path = decodeURIComponent(request.url.split('?')[0]);
    if (path.startsWith('/ngsi-ld/') || path.startsWith('/twinbox/')) {
      return reply.code(404).send({
        type: 'https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound',
        title: 'Resource not found',
        status: 404,
        detail: `no resource at ${path}`,
      });
    }
    if (!existsSync(join(webDist, 'index.html'))) {
      return reply
        .type('text/plain')
        .send(
          'twinbox: the web app is not built; run `npm run build:web`. The NGSI-LD API is at /ngsi-ld/v1.',
        );
    }
    const file = normalize(join(webDist, path === '/' ? 'index.html' : path));
    const target =
      file.startsWith(webDist) && existsSync(file) && statSync(file).isFile()
        ? file
        : join(webDist, 'index.html');
    const cache = target.includes(`${join(webDist, 'assets')}`)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    return reply
      .header('cache-control', cache)
      .type(MIME[extname(target)] ?? 'application/octet-stream')
      .send(readFileSync(target));
  });
}
