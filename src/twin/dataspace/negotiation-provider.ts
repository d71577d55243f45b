/**
 * The provider side of contract negotiation (DSP 2025-1 §Contract Negotiation Protocol, HTTPS
 * binding §3: `/negotiations/request`, `/negotiations/:providerPid/...`). A request for an offer
 * exactly as published, by a participant the trust list names as consumer, is agreed; anything else
 * is terminated with the reason.
 */
import { randomUUID } from 'node:crypto';
import {
  agreementFromOffer,
  type ContractRequestMessage,
  contractAgreementMessage,
  contractNegotiation,
  contractNegotiationEventMessage,
  contractNegotiationTerminationMessage,
  transitionNegotiation,
} from '../../dataspace/index.ts';
import type { NegotiationRecord } from '../../store/index.ts';
import { afterReply, type Connector, DSP_PATH, isObject, rawBody } from './connector.ts';
import {
  negotiationError,
  pidsOf,
  receiveNegotiation,
  saveNegotiation,
  sendNegotiationMessage,
} from './negotiation-messages.ts';

const sameRules = (a: object, b: object) => {
  const rules = (o: Record<string, unknown>) =>
    JSON.stringify([o.permission ?? [], o.prohibition ?? [], o.obligation ?? []]);
  return rules(a as Record<string, unknown>) === rules(b as Record<string, unknown>);
};

/** Why the provider will not agree to this request, or undefined when it will. */
function refusalOf(c: Connector, m: ContractRequestMessage): string | undefined {
  const dataset = c.publication.datasets.find((d) => d.id === m.offer.target);
  if (!dataset) return `dataset ${m.offer.target} is not in the catalogue of ${c.identity.did}`;
  const offer = dataset.offers.find((o) => o['@id'] === m.offer['@id']);
  if (!offer) return `offer ${m.offer['@id']} is not offered for dataset ${dataset.id}`;
  if (!sameRules(offer, m.offer))
    return `the requested rules differ from offer ${offer['@id']} as published; counter-offers are not accepted`;
  return undefined;
}

export function negotiationProviderRoutes(c: Connector): void {
  const { app } = c;
  const callback = (n: NegotiationRecord, path: string) =>
    `${n.peerAddress}/negotiations/${encodeURIComponent(n.consumerPid)}/${path}`;

  app.post(`${DSP_PATH}/negotiations/request`, async (request, reply) => {
    const caller = await c.authenticate(request, 'consumer');
    const body = rawBody(request)?.json;
    const consumerPid = isObject(body) && typeof body.consumerPid === 'string' ? body.consumerPid : '';
    if (!caller.ok)
      return negotiationError(c, reply, 401, { providerPid: '', consumerPid }, caller.reason, 'unknown');
    const m = body as unknown as ContractRequestMessage;
    if (
      !isObject(body) ||
      body['@type'] !== 'ContractRequestMessage' ||
      consumerPid === '' ||
      body.providerPid !== undefined ||
      !isObject(body.offer) ||
      typeof m.offer['@id'] !== 'string' ||
      typeof m.offer.target !== 'string' ||
      typeof m.callbackAddress !== 'string'
    ) {
      return negotiationError(
        c,
        reply,
        400,
        { providerPid: '', consumerPid },
        'the body must be an initial ContractRequestMessage with consumerPid, offer (with @id and target) and callbackAddress',
        caller.value.did,
      );
    }
    const state = transitionNegotiation(undefined, m, 'consumer');
    if (!state.ok)
      return negotiationError(
        c,
        reply,
        400,
        { providerPid: '', consumerPid },
        state.reason,
        caller.value.did,
      );
    const now = c.now().toISOString();
    const providerPid = `urn:uuid:${randomUUID()}`;
    const record: NegotiationRecord = {
      id: providerPid,
      role: 'provider',
      providerPid,
      consumerPid,
      counterparty: caller.value.did,
      peerAddress: m.callbackAddress!.replace(/\/$/, ''),
      state: state.value,
      datasetId: m.offer.target,
      offer: m.offer,
      createdAt: now,
      updatedAt: now,
    };
    c.store.putNegotiation(record);
    c.audit({
      actor: caller.value.did,
      action: 'negotiation.ContractRequestMessage.received',
      outcome: 'ok',
      negotiationId: providerPid,
      message: m,
    });
    const ack = contractNegotiation(pidsOf(record), record.state);
    c.audit({
      actor: c.identity.did,
      action: 'negotiation.ContractNegotiation.answered',
      outcome: 'ok',
      negotiationId: providerPid,
      message: ack,
    });
    afterReply(c, 'answering a contract request', () => decide(providerPid));
    return reply.code(201).send(ack);
  });

  /** Agrees or terminates a REQUESTED negotiation (DSP: the provider answers with an agreement or a termination). */
  async function decide(providerPid: string): Promise<void> {
    const record = c.store.getNegotiation('provider', providerPid);
    if (record?.state !== 'REQUESTED') return;
    const refusal = refusalOf(c, {
      '@context': [],
      '@type': 'ContractRequestMessage',
      consumerPid: record.consumerPid,
      offer: record.offer,
    });
    if (refusal) {
      const m = contractNegotiationTerminationMessage(pidsOf(record), 'offer-not-agreed', [refusal]);
      const saved = saveNegotiation(c, record, 'TERMINATED', { reason: refusal });
      await sendNegotiationMessage(c, saved, callback(saved, 'termination'), m);
      return;
    }
    const agreement = agreementFromOffer(record.offer, {
      id: `urn:uuid:${randomUUID()}`,
      assigner: c.identity.did,
      assignee: record.counterparty,
      timestamp: c.now().toISOString(),
    });
    const m = contractAgreementMessage({ ...pidsOf(record), agreement, callbackAddress: c.dspBase });
    const next = transitionNegotiation(record.state, m, 'provider');
    if (!next.ok) return;
    // Saved before sending: the consumer may verify before this request's answer arrives.
    c.store.putAgreement({
      agreement,
      role: 'provider',
      negotiationId: record.id,
      peerAddress: record.peerAddress,
      usageCount: 0,
      createdAt: agreement.timestamp!,
    });
    c.audit({
      actor: c.identity.did,
      action: 'agreement.concluded',
      outcome: 'ok',
      agreementId: agreement['@id'],
      negotiationId: record.id,
      detail: `${agreement.assignee} may use ${agreement.target} under offer ${record.offer['@id']}`,
      message: agreement,
    });
    const saved = saveNegotiation(c, record, next.value, { agreementId: agreement['@id'] });
    const sent = await sendNegotiationMessage(c, saved, callback(saved, 'agreement'), m);
    if (!sent.ok) saveNegotiation(c, saved, 'TERMINATED', { reason: sent.reason });
  }

  app.get<{ Params: { pid: string } }>(`${DSP_PATH}/negotiations/:pid`, async (request, reply) => {
    const caller = await c.authenticate(request);
    if (!caller.ok)
      return negotiationError(
        c,
        reply,
        401,
        { providerPid: request.params.pid, consumerPid: '' },
        caller.reason,
        'unknown',
      );
    const n = c.store.getNegotiation('provider', request.params.pid);
    if (!n || n.counterparty !== caller.value.did) {
      return negotiationError(
        c,
        reply,
        404,
        { providerPid: request.params.pid, consumerPid: '' },
        `no contract negotiation ${request.params.pid}`,
        caller.value.did,
      );
    }
    const answer = contractNegotiation(pidsOf(n), n.state);
    c.audit({
      actor: caller.value.did,
      action: 'negotiation.ContractNegotiation.answered',
      outcome: 'ok',
      negotiationId: n.id,
      message: answer,
    });
    return answer;
  });

  const incoming = [
    ['request', ['ContractRequestMessage']],
    ['events', ['ContractNegotiationEventMessage']],
    ['agreement/verification', ['ContractAgreementVerificationMessage']],
    ['termination', ['ContractNegotiationTerminationMessage']],
  ] as const;
  for (const [path, types] of incoming) {
    app.post<{ Params: { pid: string } }>(`${DSP_PATH}/negotiations/:pid/${path}`, async (request, reply) => {
      const caller = await c.authenticate(request);
      const pids = { providerPid: request.params.pid, consumerPid: '' };
      if (!caller.ok) return negotiationError(c, reply, 401, pids, caller.reason, 'unknown');
      const r = receiveNegotiation(c, 'provider', request.params.pid, caller.value, rawBody(request)?.json, [
        ...types,
      ]);
      if (!r.ok)
        return negotiationError(c, reply, r.status, r.pids, r.reason, caller.value.did, request.params.pid);
      const reason =
        r.message['@type'] === 'ContractNegotiationTerminationMessage'
          ? (r.message.reason?.map(String).join('; ') ?? 'terminated by the consumer')
          : undefined;
      const saved = saveNegotiation(c, r.record, r.next, reason ? { reason } : {});
      if (saved.state === 'VERIFIED') {
        // The consumer verified the agreement; the provider finalises it (DSP: VERIFIED -> FINALIZED).
        afterReply(c, 'finalising a negotiation', async () => {
          const event = contractNegotiationEventMessage(pidsOf(saved), 'FINALIZED');
          const next = transitionNegotiation(saved.state, event, 'provider');
          if (!next.ok) return;
          const finalized = saveNegotiation(c, saved, next.value);
          const sent = await sendNegotiationMessage(c, finalized, callback(finalized, 'events'), event);
          if (!sent.ok) c.log.warn({ reason: sent.reason }, 'dataspace: FINALIZED event not delivered');
        });
      }
      return reply.code(200).send();
    });
  }
}
