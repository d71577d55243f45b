/**
 * /ngsi-ld/v1/types and /ngsi-ld/v1/attributes (clause 5.7.5–5.7.10, 6.25–6.28): what the
 * tenant holds, computed from the stored entities.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { fail, type TermMap } from '../../ngsi/index.ts';
import type { TypeSummary } from '../../store/index.ts';
import { bodyContext, setContextHeaders, unwrap } from '../negotiation.ts';
import { checkParams } from '../query-params.ts';
import { type RouteDeps, readableTenant, readContext } from '../request.ts';

type Params = Record<string, string | string[] | undefined>;
const DETAILS = new Set(['details', 'local']);

function listId(kind: string): string {
  return `urn:ngsi-ld:${kind}:${randomUUID()}`;
}

export function discoveryRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { broker } = deps;

  function withContext(
    body: Record<string, unknown> | Record<string, unknown>[],
    type: string,
    url: string | undefined,
  ) {
    if (type !== 'application/ld+json') return body;
    const ctx = bodyContext(url);
    return Array.isArray(body) ? body.map((b) => ({ ...b, '@context': ctx })) : { ...body, '@context': ctx };
  }

  function attributeDetails(summary: TypeSummary, terms: TermMap) {
    return [...summary.attributes].map(([name, types]) => ({
      id: name,
      type: 'Attribute',
      attributeName: terms.compact(name),
      attributeTypes: [...types],
    }));
  }

  app.get('/types', async (request, reply) => {
    const params = request.query as Params;
    unwrap(checkParams(params, DETAILS));
    const tenant = await readableTenant(request, broker);
    const ctx = await readContext(request, deps, false);
    const summaries = await broker.typeSummaries(tenant);
    setContextHeaders(reply, ctx.type, ctx.contextUrl);
    if (params.details === 'true') {
      const body = summaries.map((s) => ({
        id: s.type,
        type: 'EntityType',
        typeName: ctx.terms.compact(s.type),
        attributeNames: [...s.attributes.keys()].map((a) => ctx.terms.compact(a)),
      }));
      return reply.send(withContext(body, ctx.type, ctx.contextUrl));
    }
    const body = {
      id: listId('EntityTypeList'),
      type: 'EntityTypeList',
      typeList: summaries.map((s) => ctx.terms.compact(s.type)),
    };
    return reply.send(withContext(body, ctx.type, ctx.contextUrl));
  });

  app.get<{ Params: { type: string } }>('/types/:type', async (request, reply) => {
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    const tenant = await readableTenant(request, broker);
    const ctx = await readContext(request, deps, false);
    const iri = ctx.terms.expand(request.params.type);
    const summary = (await broker.typeSummaries(tenant)).find((s) => s.type === iri);
    if (!summary) unwrap(fail('ResourceNotFound', `no entity of type '${request.params.type}'`));
    setContextHeaders(reply, ctx.type, ctx.contextUrl);
    const body = {
      id: summary!.type,
      type: 'EntityTypeInfo',
      typeName: ctx.terms.compact(summary!.type),
      entityCount: summary!.entityCount,
      attributeDetails: attributeDetails(summary!, ctx.terms),
    };
    return reply.send(withContext(body, ctx.type, ctx.contextUrl));
  });

  function collectAttributes(summaries: TypeSummary[]) {
    const attrs = new Map<string, { types: Set<string>; typeNames: Set<string>; count: number }>();
    for (const s of summaries) {
      for (const [name, types] of s.attributes) {
        let a = attrs.get(name);
        if (!a) attrs.set(name, (a = { types: new Set(), typeNames: new Set(), count: 0 }));
        for (const t of types) a.types.add(t);
        a.typeNames.add(s.type);
        a.count += s.entityCount;
      }
    }
    return attrs;
  }

  app.get('/attributes', async (request, reply) => {
    const params = request.query as Params;
    unwrap(checkParams(params, DETAILS));
    const tenant = await readableTenant(request, broker);
    const ctx = await readContext(request, deps, false);
    const attrs = collectAttributes(await broker.typeSummaries(tenant));
    setContextHeaders(reply, ctx.type, ctx.contextUrl);
    if (params.details === 'true') {
      const body = [...attrs].map(([name, a]) => ({
        id: name,
        type: 'Attribute',
        attributeName: ctx.terms.compact(name),
        typeNames: [...a.typeNames].map((t) => ctx.terms.compact(t)),
      }));
      return reply.send(withContext(body, ctx.type, ctx.contextUrl));
    }
    const body = {
      id: listId('AttributeList'),
      type: 'AttributeList',
      attributeList: [...attrs.keys()].map((n) => ctx.terms.compact(n)),
    };
    return reply.send(withContext(body, ctx.type, ctx.contextUrl));
  });

  app.get<{ Params: { attr: string } }>('/attributes/:attr', async (request, reply) => {
    unwrap(checkParams(request.query as Params, new Set(['local'])));
    const tenant = await readableTenant(request, broker);
    const ctx = await readContext(request, deps, false);
    const iri = ctx.terms.expand(request.params.attr);
    const a = collectAttributes(await broker.typeSummaries(tenant)).get(iri);
    if (!a) unwrap(fail('ResourceNotFound', `no attribute '${request.params.attr}'`));
    setContextHeaders(reply, ctx.type, ctx.contextUrl);
    const body = {
      id: iri,
      type: 'Attribute',
      attributeName: ctx.terms.compact(iri),
      attributeCount: a!.count,
      attributeTypes: [...a!.types],
      typeNames: [...a!.typeNames].map((t) => ctx.terms.compact(t)),
    };
    return reply.send(withContext(body, ctx.type, ctx.contextUrl));
  });
}
