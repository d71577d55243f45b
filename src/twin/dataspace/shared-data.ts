/**
 * Access to shared data under an agreement. The provider's endpoint
 * (`GET /twinbox/v1/shared/:agreementId/entities?type=...&purpose=...`) checks on every request the
 * signature and trust of the caller, the access token, the transfer's state, and the agreement's
 * ODRL policy (purpose, dateTime, count, elapsedTime, recipient ...); a refusal is a 403 naming the
 * rule that refused, or a 401 with an RFC 6750 challenge when the bearer token is missing or no
 * longer valid. The consumer reads through `GET /twinbox/v1/federation/entities`; when its token
 * has expired it asks for a new transfer under the agreement once and reads again.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  asPolicy,
  evaluatePolicy,
  transferCompletionMessage,
  verifyAccessToken,
} from '../../dataspace/index.ts';
import type { TransferRecord } from '../../store/index.ts';
import { type Connector, isObject, peerFailure, sendProblem } from './connector.ts';
import type { PeerResponse } from './peer-client.ts';
import { transferPids } from './transfer-messages.ts';
import { changeTransfer, requestTransfer, sharedEndpoint } from './transfer-routes.ts';

/** How long the consumer waits for the provider to start a transfer it asked for. */
const START_WAIT_MS = 5_000;

/** NGSI-LD query parameters (clause 6.4.3.2) passed on to the local broker; everything else is refused. */
const FORWARDED = [
  'type',
  'q',
  'attrs',
  'pick',
  'omit',
  'limit',
  'offset',
  'count',
  'georel',
  'geometry',
  'coordinates',
  'geoproperty',
  'options',
  'format',
  'lang',
];
const OWN = ['purpose'];

interface SharedQuery {
  [name: string]: string | undefined;
}

export function sharedDataRoutes(c: Connector): void {
  const { app } = c;

  app.get<{ Params: { agreementId: string }; Querystring: SharedQuery }>(
    '/twinbox/v1/shared/:agreementId/entities',
    async (request, reply) => {
      const agreementId = request.params.agreementId;
      const refuse = (actor: string, status: 401 | 403 | 400, detail: string, rule?: string) => {
        c.audit({
          actor,
          action: 'shared.access',
          outcome: 'refused',
          agreementId,
          detail: rule ? `${detail} (rule ${rule})` : detail,
        });
        return sendProblem(
          reply,
          status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'BadRequestData',
          detail,
          rule ? { rule } : {},
        );
      };
      /** A refusal for want of a valid bearer token, with its challenge (RFC 6750 §3). */
      const unauthorized = (actor: string, detail: string, error?: 'invalid_token') => {
        const challenge = error
          ? `Bearer realm="twinbox", error="${error}", error_description="${detail.replaceAll('"', "'")}"`
          : 'Bearer realm="twinbox"';
        reply.header('www-authenticate', challenge);
        return refuse(actor, 401, detail);
      };
      const caller = await c.authenticate(request);
      if (!caller.ok) return refuse('unknown', 401, caller.reason);
      const who = caller.value.did;
      const unknown = Object.keys(request.query).filter((k) => !FORWARDED.includes(k) && !OWN.includes(k));
      if (unknown.length > 0) return refuse(who, 400, `unknown query parameter ${unknown.join(', ')}`);
      const record = c.store.getAgreement(agreementId);
      if (record?.role !== 'provider')
        return refuse(
          who,
          403,
          `no agreement ${agreementId}: access to shared data needs a contract agreement`,
        );
      const auth = request.headers.authorization;
      const token = typeof auth === 'string' && /^bearer /i.test(auth) ? auth.slice(7).trim() : undefined;
      if (!token) {
        return unauthorized(
          who,
          'no access token: start a transfer process under the agreement to obtain one',
        );
      }
      const now = c.now().toISOString();
      const claims = verifyAccessToken(token, {
        issuerJwk: c.identity.key.publicJwk,
        issuer: c.identity.did,
        audience: sharedEndpoint(c, agreementId),
        now,
        agreementId,
      });
      // expired, malformed or not ours: the consumer may obtain a new one under the agreement
      if (!claims.ok) return unauthorized(who, claims.reason, 'invalid_token');
      if (claims.value.sub !== who)
        return refuse(who, 403, `the access token was issued to ${claims.value.sub}, not ${who}`);
      const transfer = claims.value.transferId
        ? c.store.getTransfer('provider', claims.value.transferId)
        : undefined;
      if (transfer?.state !== 'STARTED') {
        return refuse(
          who,
          403,
          `transfer process ${claims.value.transferId ?? '(none)'} is ${transfer?.state ?? 'unknown'}, not STARTED`,
        );
      }
      const dataset = c.publication.datasets.find((d) => d.id === record.agreement.target);
      if (!dataset) return refuse(who, 403, `dataset ${record.agreement.target} is no longer published`);
      const types = (request.query.type ?? '').split(',').filter((t) => t !== '');
      if (types.length === 0)
        return refuse(who, 400, `type is required: one of ${dataset.entityTypes.join(', ')}`);
      const outside = types.filter((t) => !dataset.entityTypes.includes(t));
      if (outside.length > 0)
        return refuse(
          who,
          403,
          `type ${outside.join(', ')} is not part of dataset ${dataset.id} (${dataset.entityTypes.join(', ')})`,
        );

      const decision = evaluatePolicy(asPolicy(record.agreement), {
        assignee: who,
        recipient: who,
        roles: caller.value.roles,
        action: 'use',
        target: record.agreement.target,
        now,
        purpose: request.query.purpose,
        usageCount: record.usageCount,
        ...(record.firstUseAt ? { firstUseAt: record.firstUseAt } : {}),
      });
      if (!decision.permitted)
        return refuse(
          who,
          403,
          `refused by agreement ${agreementId}: ${decision.refusal?.reason}`,
          decision.refusal?.rule,
        );

      c.store.recordUse(agreementId, now);
      const query = new URLSearchParams();
      for (const k of FORWARDED) if (request.query[k] !== undefined) query.set(k, request.query[k]!);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (dataset.context)
        headers.link = `<${dataset.context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
      const res = await app.inject({ method: 'GET', url: `/ngsi-ld/v1/entities?${query}`, headers });
      const body = res.json() as unknown;
      c.audit({
        actor: who,
        action: 'shared.access',
        outcome: res.statusCode < 300 ? 'ok' : 'failed',
        agreementId,
        transferId: transfer.id,
        detail: `${types.join(',')} for purpose '${request.query.purpose ?? ''}': ${Array.isArray(body) ? `${body.length} entities` : `status ${res.statusCode}`}`,
      });
      for (const h of ['ngsild-results-count', 'link'])
        if (res.headers[h]) reply.header(h, String(res.headers[h]));
      return reply
        .code(res.statusCode)
        .header('content-type', 'application/json')
        .header('twinbox-agreement', agreementId)
        .send(body);
    },
  );

  // Consumer: read a provider's data under one of our agreements (the token stays in the connector).
  app.get<{ Querystring: SharedQuery }>('/twinbox/v1/federation/entities', async (request, reply) =>
    fetchShared(c, request, reply),
  );
}

async function fetchShared(
  c: Connector,
  request: FastifyRequest<{ Querystring: SharedQuery }>,
  reply: FastifyReply,
) {
  const { agreementId, provider, ...rest } = request.query;
  if (!agreementId) return sendProblem(reply, 'BadRequestData', 'agreementId is required');
  const agreement = c.store.getAgreement(agreementId);
  // The latest transfer that received a data address, running or not: the provider says why not.
  const pulls = c.store
    .listTransfers('consumer')
    .filter((t) => t.agreementId === agreementId && t.dataAddress?.endpoint);
  let transfer = pulls.filter((t) => t.state === 'STARTED').pop() ?? pulls.pop();
  let endpoint: string;
  if (transfer?.dataAddress?.endpoint) endpoint = transfer.dataAddress.endpoint;
  else if (agreement?.role === 'consumer')
    endpoint = `${agreement.peerAddress.replace(/\/dsp$/, '')}/twinbox/v1/shared/${encodeURIComponent(agreementId)}`;
  else if (provider && /^https?:\/\//.test(provider))
    endpoint = `${provider.replace(/\/$/, '')}/twinbox/v1/shared/${encodeURIComponent(agreementId)}`;
  else
    return sendProblem(
      reply,
      'ResourceNotFound',
      `no agreement ${agreementId} held as consumer; name the provider to ask anyway`,
    );
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) query.set(k, v);
  const read = (t: TransferRecord | undefined) => {
    const token = t?.dataAddress?.endpointProperties?.find((p) => p.name === 'authorization')?.value;
    return c.peers.send(
      'GET',
      `${endpoint}/entities?${query}`,
      undefined,
      token ? { authorization: `Bearer ${token}` } : {},
    );
  };
  try {
    await c.ensureOnboarded();
    let res = await read(transfer);
    if (invalidToken(res) && agreement?.role === 'consumer') {
      // access tokens are short-lived on purpose; the agreement outlives them
      const renewed = await renewal(c, agreementId, transfer);
      if (renewed) {
        transfer = renewed;
        res = await read(transfer);
      }
    }
    c.audit({
      actor: c.identity.did,
      action: 'shared.fetch',
      outcome: res.status < 300 ? 'ok' : 'refused',
      agreementId,
      ...(transfer ? { transferId: transfer.id } : {}),
      detail:
        res.status < 300
          ? `${Array.isArray(res.body) ? res.body.length : 0} entities from ${endpoint}`
          : `${res.status}: ${isObject(res.body) ? String(res.body.detail) : res.text}`,
    });
    return reply
      .code(res.status)
      .header('content-type', 'application/json')
      .send(res.body ?? null);
  } catch (err) {
    return peerFailure(reply, `${endpoint}`, err);
  }
}

/** A refusal for want of a valid bearer token (RFC 6750 §3.1 invalid_token). */
function invalidToken(res: PeerResponse): boolean {
  return res.status === 401 && /error="invalid_token"/.test(res.authenticate ?? '');
}

/** Renewals under way, per connector and agreement. */
const renewals = new WeakMap<Connector, Map<string, Promise<TransferRecord | undefined>>>();

/**
 * One renewal per agreement at a time: reads that find the token expired together (a dashboard
 * asks for several types at once) wait for the same new transfer instead of starting one each.
 */
function renewal(
  c: Connector,
  agreementId: string,
  replaced: TransferRecord | undefined,
): Promise<TransferRecord | undefined> {
  let running = renewals.get(c);
  if (!running) renewals.set(c, (running = new Map()));
  let pending = running.get(agreementId);
  if (!pending) {
    pending = startedTransfer(c, agreementId, replaced).finally(() => running.delete(agreementId));
    running.set(agreementId, pending);
  }
  return pending;
}

/**
 * Asks the provider for a new transfer under the agreement and waits until it has started with a
 * data address (the provider starts it after answering the request); undefined when it does not.
 * The transfer it replaces is completed on both sides, so only one stays STARTED.
 */
async function startedTransfer(
  c: Connector,
  agreementId: string,
  replaced: TransferRecord | undefined,
): Promise<TransferRecord | undefined> {
  const requested = await requestTransfer(c, agreementId);
  if (!requested.ok) return undefined;
  const deadline = Date.now() + START_WAIT_MS;
  for (;;) {
    const t = c.store.getTransfer('consumer', requested.transfer.id);
    if (t?.state === 'STARTED' && t.dataAddress?.endpoint) {
      c.audit({
        actor: c.identity.did,
        action: 'shared.token.renewed',
        outcome: 'ok',
        agreementId,
        transferId: t.id,
        detail: `the access token had expired; transfer ${t.id} brought a new one`,
      });
      const old = replaced && c.store.getTransfer('consumer', replaced.id);
      if (old?.state === 'STARTED') {
        await changeTransfer(
          c,
          old,
          transferCompletionMessage(transferPids(old)),
          `replaced by ${t.id} when its access token expired`,
        );
      }
      return t;
    }
    if (t?.state === 'TERMINATED' || Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}
