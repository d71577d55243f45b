/**
 * Content negotiation and @context placement (clause 6.3.4–6.3.6): which @context a request
 * carries (Link header for application/json, body member for application/ld+json), which media
 * type the response gets, and the Link header that accompanies a JSON response.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CORE_CONTEXT_URL, fail, ok, type ProblemDetails, problem, type Result } from '../ngsi/index.ts';

export const JSONLD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';

export type ResponseType = 'application/json' | 'application/ld+json' | 'application/geo+json';

/** The @context URL of a Link header, if it names one. */
export function linkContext(header: string | string[] | undefined): Result<string | undefined> {
  if (header === undefined) return ok(undefined);
  const value = Array.isArray(header) ? header.join(',') : header;
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) return fail('BadRequestData', `Link header: cannot parse '${part.trim()}'`);
    if (m[2].includes(JSONLD_CONTEXT_REL)) return ok(m[1]);
  }
  return ok(undefined);
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0].trim().toLowerCase();
}

/**
 * The @context of a request with a body: for application/ld+json it must be in the body and
 * not in a Link header; for application/json it may only come from a Link header.
 */
export function requestContext(request: FastifyRequest, body: unknown, bodyRequired = true): Result<unknown> {
  const type = mediaType(request.headers['content-type']);
  const link = linkContext(request.headers.link);
  if (!link.ok) return link;
  const bodyContext =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)['@context']
      : undefined;
  if (type === 'application/ld+json') {
    if (link.value !== undefined)
      return fail('BadRequestData', 'a Link header @context is not allowed with application/ld+json');
    if (Array.isArray(body)) {
      // batch bodies: every entity carries its own @context; the first one is checked here
      return ok(undefined);
    }
    if (bodyContext === undefined && bodyRequired) {
      return fail('BadRequestData', 'application/ld+json requires an @context member in the body');
    }
    return ok(bodyContext);
  }
  if (bodyContext !== undefined) {
    return fail('BadRequestData', "an @context member in the body needs Content-Type 'application/ld+json'");
  }
  return ok(link.value);
}

/** The @context of a request without a body (GET, DELETE): from the Link header. */
export function queryContext(request: FastifyRequest): Result<string | undefined> {
  return linkContext(request.headers.link);
}

/** Picks the response media type from Accept, or a NotAcceptable problem. */
export function responseType(request: FastifyRequest, allowGeoJson: boolean): Result<ResponseType> {
  const accept = request.headers.accept;
  if (!accept) return ok('application/json');
  const ranges = accept
    .split(',')
    .map((r) => {
      const [type, ...params] = r.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const r of ranges) {
    if (r.type === 'application/ld+json') return ok('application/ld+json');
    if (r.type === 'application/geo+json' && allowGeoJson) return ok('application/geo+json');
    if (r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*')
      return ok('application/json');
  }
  return fail('NotAcceptable', `none of the media types in Accept '${accept}' can be produced`);
}

/** Sets Content-Type and, for plain JSON, the Link header naming the response's @context. */
export function setContextHeaders(
  reply: FastifyReply,
  type: ResponseType,
  contextUrl: string | undefined,
): void {
  reply.header('content-type', type);
  if (type !== 'application/ld+json') {
    reply.header(
      'link',
      `<${contextUrl ?? CORE_CONTEXT_URL}>; rel="${JSONLD_CONTEXT_REL}"; type="application/ld+json"`,
    );
  }
}

/** The @context value to write into an application/ld+json body. */
export function bodyContext(requestContextValue: unknown): unknown {
  return requestContextValue ?? CORE_CONTEXT_URL;
}

export class ProblemError extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
  }
}

/** Unwraps a Result in a route, turning a problem into the error handler's response. */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new ProblemError(r.problem);
  return r.value;
}

export function badRequest(detail: string): never {
  throw new ProblemError(problem('BadRequestData', detail));
}
