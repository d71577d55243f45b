/**
 * Per-request plumbing shared by the NGSI-LD routes: tenant, @context -> TermMap, response
 * media type, and writing entities in the representation the client asked for.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Broker } from '../broker/index.ts';
import {
  type CompactOptions,
  compactEntity,
  type Entity,
  fail,
  type Result,
  type TermMap,
} from '../ngsi/index.ts';
import type { ContextResolver } from './context-resolver.ts';
import {
  bodyContext,
  queryContext,
  type ResponseType,
  requestContext,
  responseType,
  setContextHeaders,
  unwrap,
} from './negotiation.ts';

export interface RouteDeps {
  broker: Broker;
  contexts: ContextResolver;
}

export const TENANT_HEADER = 'ngsild-tenant';
const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

export function tenantOf(request: FastifyRequest): string {
  const raw = request.headers[TENANT_HEADER];
  const tenant = Array.isArray(raw) ? raw[0] : raw;
  if (tenant === undefined || tenant === '') return '';
  if (!TENANT.test(tenant))
    unwrap(fail('BadRequestData', `NGSILD-Tenant '${tenant}' must be 1–64 letters, digits, '_' or '-'`));
  return tenant;
}

/** A read from a tenant nobody wrote to is NonexistentTenant (clause 6.3.? / 5.5.11). */
export async function readableTenant(request: FastifyRequest, broker: Broker): Promise<string> {
  const tenant = tenantOf(request);
  if (!(await broker.tenantExists(tenant)))
    unwrap(fail('NonexistentTenant', `tenant '${tenant}' does not exist`));
  return tenant;
}

export interface ReadContext {
  terms: TermMap;
  contextUrl: string | undefined;
  type: ResponseType;
}

export async function readContext(
  request: FastifyRequest,
  deps: RouteDeps,
  allowGeoJson = true,
): Promise<ReadContext> {
  const type = unwrap(responseType(request, allowGeoJson));
  const url = unwrap(queryContext(request));
  const terms = unwrap(await deps.contexts.resolve(url));
  return { terms, contextUrl: url, type };
}

export interface WriteContext {
  terms: TermMap;
  context: unknown;
}

export async function writeContext(
  request: FastifyRequest,
  deps: RouteDeps,
  body: unknown,
  bodyRequired = true,
): Promise<WriteContext> {
  const context = unwrap(requestContext(request, body, bodyRequired));
  const terms = unwrap(await deps.contexts.resolve(context));
  return { terms, context };
}

function toFeature(entity: Record<string, unknown>, geometryName: string): Record<string, unknown> {
  const { id, ...properties } = entity;
  const geo = properties[geometryName] as { value?: unknown } | undefined;
  const geometry = geo && typeof geo === 'object' && 'value' in geo ? geo.value : (geo ?? null);
  return { id, type: 'Feature', geometry: geometry ?? null, properties };
}

/** Sends one entity or a list in the negotiated media type. */
export function sendEntities(
  reply: FastifyReply,
  ctx: ReadContext,
  entities: Entity | Entity[],
  options: CompactOptions,
  geometryProperty = 'location',
): FastifyReply {
  setContextHeaders(reply, ctx.type, ctx.contextUrl);
  const list = Array.isArray(entities) ? entities : [entities];
  if (ctx.type === 'application/geo+json') {
    const features = list.map((e) => toFeature(compactEntity(e, ctx.terms, options), geometryProperty));
    const body = Array.isArray(entities)
      ? { type: 'FeatureCollection', features, '@context': bodyContext(ctx.contextUrl) }
      : { ...features[0], '@context': bodyContext(ctx.contextUrl) };
    return reply.send(body);
  }
  const context = ctx.type === 'application/ld+json' ? bodyContext(ctx.contextUrl) : undefined;
  let out = list.map((e) => compactEntity(e, ctx.terms, { ...options, context }));
  const projected = options.attrs !== undefined || options.omit !== undefined || options.includeId === false;
  // an entity the projection leaves nothing of is not part of the answer (clause 4.21)
  if (projected) out = out.filter((e) => Object.keys(e).some((k) => k !== '@context'));
  const noneOfAttrs =
    options.attrs !== undefined &&
    options.attrs.size > 0 &&
    !list.some((e) => [...options.attrs!].some((a) => e.attrs[a]));
  if (!Array.isArray(entities) && (out.length === 0 || (noneOfAttrs && options.includeId !== true))) {
    unwrap(fail('ResourceNotFound', 'the entity has none of the requested attributes'));
  }
  return reply.send(Array.isArray(entities) ? out : out[0]);
}

export function resultOrThrow<T>(r: Result<T>): T {
  return unwrap(r);
}
