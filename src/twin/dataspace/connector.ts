/**
 * The state one connector shares between its routes: who it is, what it publishes, where it keeps
 * its records, how it reaches peers and how it checks who is calling.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../../ngsi/index.ts';
import type { AuditInput, DataspaceStore } from '../../store/index.ts';
import type { Identity } from './identity.ts';
import type { PeerClient } from './peer-client.ts';
import type { Publication } from './publication.ts';

/** The body of a request to the connector: the exact bytes (signatures cover them) and their JSON. */
export interface RawBody {
  raw: string;
  json: unknown;
}

export interface Caller {
  did: string;
  roles: string[];
}

export interface Connector {
  app: FastifyInstance;
  log: FastifyBaseLogger;
  identity: Identity;
  store: DataspaceStore;
  publication: Publication;
  publicUrl: string;
  /** Base of the DSP endpoints, e.g. `http://127.0.0.1:1026/dsp` (announced in /.well-known/dspace-version). */
  dspBase: string;
  /** Where consumers receive provider messages (DSP 2025-1 `callbackAddress`). */
  callbackAddress: string;
  peers: PeerClient;
  now(): Date;
  /** Verifies a signed request and that its signer is on the trust list (optionally with a role). */
  authenticate(
    request: FastifyRequest,
    role?: string,
  ): Promise<{ ok: true; value: Caller } | { ok: false; reason: string }>;
  /** Makes sure this participant is on the authority's trust list before it calls a peer. */
  ensureOnboarded(): Promise<void>;
  audit(e: AuditInput): void;
}

export const DSP_PATH = '/dsp';
export const CALLBACK_PATH = '/dsp/consumer';

export function rawBody(request: FastifyRequest): RawBody | undefined {
  const b = request.body as RawBody | undefined;
  return b && typeof b === 'object' && 'raw' in b ? b : undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A twinbox API refusal as ProblemDetails; `extra` carries e.g. the ODRL rule that refused. */
export function sendProblem(
  reply: FastifyReply,
  name: Parameters<typeof problem>[0],
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .code(problem(name, detail).status)
    .header('content-type', 'application/json')
    .send({ ...problem(name, detail), ...extra });
}

/** This participant is not (yet) on the authority's trust list: calls to peers would be refused. */
export class NotOnboardedError extends Error {}

/** A call to a peer that could not be made: not onboarded (403) or the peer did not answer (504). */
export function peerFailure(reply: FastifyReply, peer: string, err: unknown) {
  if (err instanceof NotOnboardedError) return sendProblem(reply, 'Forbidden', err.message);
  return sendProblem(reply, 'GatewayTimeout', `${peer}: ${(err as Error).message}`);
}

/** Schedules work after the current response is on its way (DSP: the ACK first, the next message later). */
export function afterReply(c: Connector, what: string, work: () => Promise<void>): void {
  setImmediate(() => {
    work().catch((err: unknown) => c.log.error({ err }, `dataspace: ${what} failed`));
  });
}
