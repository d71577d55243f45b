/**
 * The consumer side of contract negotiation: the twinbox API that starts one
 * (`POST /twinbox/v1/negotiations {provider, datasetId, offerId, purpose}`) and the callback
 * endpoints the provider answers on (DSP 2025-1 HTTPS binding §3.3, under `callbackAddress`).
 */
import { randomUUID } from 'node:crypto';
import {
  type Agreement,
  asPolicy,
  type ContractAgreementMessage,
  contractAgreementVerificationMessage,
  contractRequestMessage,
  evaluatePolicy,
  type MessageOffer,
  type RootDataset,
  transitionNegotiation,
} from '../../dataspace/index.ts';
import type { NegotiationRecord } from '../../store/index.ts';
import {
  afterReply,
  CALLBACK_PATH,
  type Connector,
  isObject,
  peerFailure,
  rawBody,
  sendProblem,
} from './connector.ts';
import {
  negotiationError,
  pidsOf,
  receiveNegotiation,
  saveNegotiation,
  sendNegotiationMessage,
} from './negotiation-messages.ts';

/** The provider's DSP base, from its `/.well-known/dspace-version` (DSP 2025-1 §Common Functionality). */
export async function discoverDspBase(c: Connector, provider: string): Promise<string> {
  const base = provider.replace(/\/$/, '');
  const res = await fetch(`${base}/.well-known/dspace-version`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${base} publishes no /.well-known/dspace-version (${res.status})`);
  const doc = (await res.json()) as { protocolVersions?: { version: string; path: string }[] };
  const v = doc.protocolVersions?.find((p) => p.version === '2025-1');
  if (!v) throw new Error(`${base} does not speak Dataspace Protocol 2025-1`);
  c.log.debug({ provider: base }, 'dataspace: provider found');
  return `${base}${v.path}`;
}

interface StartBody {
  provider: string;
  datasetId: string;
  offerId: string;
  purpose: string;
}

const START_SCHEMA = {
  type: 'object',
  required: ['provider', 'datasetId', 'offerId', 'purpose'],
  additionalProperties: false,
  properties: {
    provider: { type: 'string', pattern: '^https?://' },
    datasetId: { type: 'string', minLength: 1 },
    offerId: { type: 'string', minLength: 1 },
    purpose: { type: 'string', minLength: 1 },
  },
} as const;

export function negotiationConsumerRoutes(c: Connector): void {
  const { app } = c;

  app.post('/twinbox/v1/negotiations', async (request, reply) => {
    const body = rawBody(request)?.json;
    const problems = validateStart(body);
    if (problems) return sendProblem(reply, 'BadRequestData', problems);
    const b = body as StartBody;
    let dspBase: string;
    let dataset: RootDataset;
    try {
      await c.ensureOnboarded();
      dspBase = await discoverDspBase(c, b.provider);
      const res = await c.peers.send('GET', `${dspBase}/catalog/datasets/${encodeURIComponent(b.datasetId)}`);
      if (res.status !== 200 || !isObject(res.body))
        return sendProblem(
          reply,
          'ResourceNotFound',
          `dataset ${b.datasetId} at ${b.provider}: ${res.status} ${res.text}`,
        );
      dataset = res.body as unknown as RootDataset;
      c.audit({ actor: dataset['@id'], action: 'catalog.Dataset.received', outcome: 'ok', message: dataset });
    } catch (err) {
      return peerFailure(reply, `provider ${b.provider}`, err);
    }
    const found = dataset.hasPolicy.find((o) => o['@id'] === b.offerId);
    if (!found)
      return sendProblem(reply, 'ResourceNotFound', `dataset ${b.datasetId} has no offer ${b.offerId}`);
    const offer: MessageOffer = { ...found, target: b.datasetId };
    // The consumer asks only for what it may use for its purpose: an offer for another purpose is not requested.
    const fit = evaluatePolicy(asPolicy(offer), {
      assignee: c.identity.did,
      action: 'use',
      target: b.datasetId,
      purpose: b.purpose,
      now: c.now().toISOString(),
    });
    if (!fit.permitted) {
      return sendProblem(
        reply,
        'Forbidden',
        `offer ${b.offerId} does not permit purpose '${b.purpose}': ${fit.refusal?.reason}`,
        { rule: fit.refusal?.rule },
      );
    }
    const consumerPid = `urn:uuid:${randomUUID()}`;
    const m = contractRequestMessage({ consumerPid, offer, callbackAddress: c.callbackAddress });
    const state = transitionNegotiation(undefined, m, 'consumer');
    if (!state.ok) return sendProblem(reply, 'InternalError', state.reason);
    const now = c.now().toISOString();
    const providerDid =
      typeof (dataset as Record<string, unknown>).participantId === 'string'
        ? String((dataset as Record<string, unknown>).participantId)
        : undefined;
    const record: NegotiationRecord = {
      id: consumerPid,
      role: 'consumer',
      consumerPid,
      counterparty: providerDid ?? (await providerDidOf(c, b.provider)),
      peerAddress: dspBase,
      state: state.value,
      datasetId: b.datasetId,
      offer,
      purpose: b.purpose,
      createdAt: now,
      updatedAt: now,
    };
    c.store.putNegotiation(record);
    const sent = await sendNegotiationMessage(c, record, `${dspBase}/negotiations/request`, m);
    const current = c.store.getNegotiation('consumer', consumerPid)!;
    if (!sent.ok) {
      const failed = saveNegotiation(c, current, 'TERMINATED', { reason: sent.reason });
      return reply.code(502).send({ ...failed });
    }
    const providerPid =
      isObject(sent.body) && typeof sent.body.providerPid === 'string' ? sent.body.providerPid : undefined;
    const saved = current.providerPid
      ? current
      : saveNegotiation(c, current, current.state, providerPid ? { providerPid } : {});
    return reply
      .code(201)
      .header('location', `/twinbox/v1/negotiations/${encodeURIComponent(consumerPid)}`)
      .send(saved);
  });

  app.get('/twinbox/v1/negotiations', async () => c.store.listNegotiations());
  app.get<{ Params: { id: string } }>('/twinbox/v1/negotiations/:id', async (request, reply) => {
    const n =
      c.store.getNegotiation('consumer', request.params.id) ??
      c.store.getNegotiation('provider', request.params.id);
    return n ?? sendProblem(reply, 'ResourceNotFound', `no contract negotiation ${request.params.id}`);
  });
  app.get('/twinbox/v1/agreements', async () => c.store.listAgreements());

  const incoming = [
    ['agreement', ['ContractAgreementMessage']],
    ['events', ['ContractNegotiationEventMessage']],
    ['termination', ['ContractNegotiationTerminationMessage']],
    ['offers', ['ContractOfferMessage']],
  ] as const;
  for (const [path, types] of incoming) {
    app.post<{ Params: { pid: string } }>(
      `${CALLBACK_PATH}/negotiations/:pid/${path}`,
      async (request, reply) => {
        const caller = await c.authenticate(request, 'provider');
        const pids = { providerPid: '', consumerPid: request.params.pid };
        if (!caller.ok) return negotiationError(c, reply, 401, pids, caller.reason, 'unknown');
        const body = rawBody(request)?.json;
        const known = c.store.getNegotiation('consumer', request.params.pid);
        // The agreement may overtake the answer to the request that told us the providerPid.
        if (
          known &&
          !known.providerPid &&
          isObject(body) &&
          typeof body.providerPid === 'string' &&
          known.counterparty === caller.value.did
        ) {
          c.store.putNegotiation({ ...known, providerPid: body.providerPid });
        }
        const r = receiveNegotiation(c, 'consumer', request.params.pid, caller.value, body, [...types]);
        if (!r.ok)
          return negotiationError(c, reply, r.status, r.pids, r.reason, caller.value.did, request.params.pid);
        if (r.message['@type'] === 'ContractAgreementMessage') {
          const wrong = agreementProblem(c, r.record, r.message);
          if (wrong)
            return negotiationError(c, reply, 400, pidsOf(r.record), wrong, caller.value.did, r.record.id);
          const agreement = r.message.agreement;
          c.store.putAgreement({
            agreement,
            role: 'consumer',
            negotiationId: r.record.id,
            peerAddress: r.record.peerAddress,
            usageCount: 0,
            createdAt: c.now().toISOString(),
          });
          c.audit({
            actor: caller.value.did,
            action: 'agreement.received',
            outcome: 'ok',
            agreementId: agreement['@id'],
            negotiationId: r.record.id,
            message: agreement,
          });
          const saved = saveNegotiation(c, r.record, r.next, { agreementId: agreement['@id'] });
          afterReply(c, 'verifying an agreement', () => verify(saved));
          return reply.code(200).send();
        }
        const reason =
          r.message['@type'] === 'ContractNegotiationTerminationMessage'
            ? (r.message.reason?.map(String).join('; ') ?? 'terminated by the provider')
            : undefined;
        saveNegotiation(c, r.record, r.next, reason ? { reason } : {});
        return reply.code(200).send();
      },
    );
  }

  async function verify(n: NegotiationRecord): Promise<void> {
    const m = contractAgreementVerificationMessage(pidsOf(n));
    const next = transitionNegotiation(n.state, m, 'consumer');
    if (!next.ok) return;
    const saved = saveNegotiation(c, n, next.value);
    const sent = await sendNegotiationMessage(
      c,
      saved,
      `${n.peerAddress}/negotiations/${encodeURIComponent(n.providerPid ?? '')}/agreement/verification`,
      m,
    );
    if (!sent.ok) c.log.warn({ reason: sent.reason }, 'dataspace: agreement verification not delivered');
  }
}

/** The consumer checks the agreement is the offer it asked for, between the two of them. */
function agreementProblem(
  c: Connector,
  n: NegotiationRecord,
  m: ContractAgreementMessage,
): string | undefined {
  const a: Agreement | undefined = isObject(m.agreement) ? m.agreement : undefined;
  if (!a || typeof a['@id'] !== 'string') return 'the message carries no agreement';
  if (a.assignee !== c.identity.did) return `the agreement is for ${a.assignee}, not ${c.identity.did}`;
  if (a.assigner !== n.counterparty)
    return `the agreement is assigned by ${a.assigner}, not ${n.counterparty}`;
  if (a.target !== n.datasetId) return `the agreement is for ${a.target}, not ${n.datasetId}`;
  const rules = (o: { permission?: unknown; prohibition?: unknown; obligation?: unknown }) =>
    JSON.stringify([o.permission ?? [], o.prohibition ?? [], o.obligation ?? []]);
  if (rules(a) !== rules(n.offer)) return "the agreement's rules differ from the offer requested";
  return undefined;
}

async function providerDidOf(c: Connector, provider: string): Promise<string> {
  const res = await fetch(`${provider.replace(/\/$/, '')}/.well-known/did.json`, {
    signal: AbortSignal.timeout(10_000),
  });
  const doc = (await res.json()) as { id?: string };
  if (typeof doc.id !== 'string') throw new Error(`${provider} publishes no DID document`);
  c.log.debug({ did: doc.id }, 'dataspace: provider DID');
  return doc.id;
}

function validateStart(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body must be a JSON object';
  for (const k of START_SCHEMA.required) {
    if (typeof body[k] !== 'string' || body[k] === '') return `${k} must be a non-empty string`;
  }
  for (const k of Object.keys(body)) if (!(k in START_SCHEMA.properties)) return `unknown member ${k}`;
  if (!/^https?:\/\//.test(body.provider as string)) return "provider must be the provider's http(s) URL";
  return undefined;
}
