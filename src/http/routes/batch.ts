/**
 * /ngsi-ld/v1/entityOperations (clause 6.14–6.17, 6.31): batch create, upsert, update, delete,
 * merge, and the POST form of Query Entities. A batch is one transaction; each entity's problem
 * is reported in a 207 BatchOperationResult and never leaves that entity half written.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BatchInput, BatchMode, BatchResult } from '../../broker/index.ts';
import { fail, isUri, parseEntity, problem } from '../../ngsi/index.ts';
import { badRequest, unwrap } from '../negotiation.ts';
import { checkParams } from '../query-params.ts';
import { type RouteDeps, tenantOf, writeContext } from '../request.ts';

type Params = Record<string, string | string[] | undefined>;

function entityIdOf(item: unknown): string {
  const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : '';
}

function sendBatch(reply: FastifyReply, mode: BatchMode, result: BatchResult): FastifyReply {
  if (result.errors.length > 0)
    return reply.code(207).send({ success: result.success, errors: result.errors });
  if (mode === 'create') return reply.code(201).send(result.success);
  if (mode === 'upsert') {
    if (result.created.length === 0) return reply.code(204).send();
    return reply.code(201).send(result.created);
  }
  return reply.code(204).send();
}

export function batchRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { broker } = deps;

  async function parseItems(
    request: FastifyRequest,
    body: unknown[],
    forDelete: boolean,
  ): Promise<BatchInput[]> {
    const inputs: BatchInput[] = [];
    for (const item of body) {
      if (forDelete) {
        if (!isUri(item)) {
          inputs.push({
            ok: false,
            entityId: String(item),
            problem: problem('BadRequestData', `'${String(item)}' is not a URI`),
          });
        } else inputs.push({ ok: true, entity: { id: item, type: [], attrs: {} } });
        continue;
      }
      const id = entityIdOf(item);
      const ctx = await writeContext(request, deps, item).then(
        (c) => ({ ok: true as const, c }),
        (err: { problem?: ReturnType<typeof problem> }) => ({ ok: false as const, err }),
      );
      if (!ctx.ok) {
        if (!ctx.err.problem) throw ctx.err;
        inputs.push({ ok: false, entityId: id, problem: ctx.err.problem });
        continue;
      }
      const parsed = parseEntity(item, ctx.c.terms);
      if (parsed.ok) inputs.push({ ok: true, entity: parsed.value });
      else inputs.push({ ok: false, entityId: id, problem: parsed.problem });
    }
    return inputs;
  }

  const route = (mode: BatchMode, allowed: string[]) =>
    app.post(`/entityOperations/${mode}`, async (request, reply) => {
      const params = request.query as Params;
      unwrap(checkParams(params, new Set(allowed)));
      const body = request.body;
      if (!Array.isArray(body)) badRequest('a batch body must be a JSON array');
      if (body.length === 0) badRequest('a batch body must not be empty');
      if (
        mode !== 'delete' &&
        (request.headers['content-type'] ?? '').startsWith('application/ld+json') &&
        request.headers.link
      ) {
        unwrap(fail('BadRequestData', 'a Link header @context is not allowed with application/ld+json'));
      }
      const inputs = await parseItems(request, body, mode === 'delete');
      const options = typeof params.options === 'string' ? params.options.split(',') : [];
      const result = await broker.batch(tenantOf(request), mode, inputs, {
        replace: !options.includes('update'),
        noOverwrite: options.includes('noOverwrite'),
      });
      return sendBatch(reply, mode, result);
    });

  route('create', ['local']);
  route('upsert', ['options', 'local']);
  route('update', ['options', 'local']);
  route('delete', ['local']);
  route('merge', ['local']);
}
