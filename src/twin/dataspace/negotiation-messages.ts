/**
 * Receiving a contract negotiation message on either side (DSP 2025-1 §Contract Negotiation): the
 * sender must be the negotiation's counterparty, the pids must match, and the state machine must
 * allow the message; otherwise the answer is a ContractNegotiationError that says why.
 */
import type { FastifyReply } from 'fastify';
import {
  contractNegotiationError,
  type DspRole,
  type NegotiationMessage,
  type NegotiationState,
  transitionNegotiation,
} from '../../dataspace/index.ts';
import type { NegotiationRecord } from '../../store/index.ts';
import { type Caller, type Connector, isObject } from './connector.ts';

export const other = (role: DspRole): DspRole => (role === 'provider' ? 'consumer' : 'provider');

export function pidsOf(n: NegotiationRecord) {
  return { providerPid: n.providerPid ?? '', consumerPid: n.consumerPid };
}

export function negotiationError(
  c: Connector,
  reply: FastifyReply,
  status: number,
  pids: { providerPid: string; consumerPid: string },
  reason: string,
  actor: string,
  negotiationId?: string,
) {
  const answer = contractNegotiationError(pids, String(status), [reason]);
  c.audit({
    actor,
    action: 'negotiation.error.answered',
    outcome: 'refused',
    detail: reason,
    message: answer,
    ...(negotiationId ? { negotiationId } : {}),
  });
  return reply.code(status).header('content-type', 'application/json').send(answer);
}

/**
 * Checks an incoming message for the negotiation `id` held in `role` and returns the record and the
 * state it moves to; the caller saves it.
 */
export function receiveNegotiation(
  c: Connector,
  role: DspRole,
  id: string,
  caller: Caller,
  body: unknown,
  types: NegotiationMessage['@type'][],
):
  | { ok: true; record: NegotiationRecord; next: NegotiationState; message: NegotiationMessage }
  | { ok: false; status: number; reason: string; pids: { providerPid: string; consumerPid: string } } {
  const unknownPids = {
    providerPid: role === 'provider' ? id : '',
    consumerPid: role === 'consumer' ? id : '',
  };
  const record = c.store.getNegotiation(role, id);
  if (!record) return { ok: false, status: 404, reason: `no contract negotiation ${id}`, pids: unknownPids };
  const pids = pidsOf(record);
  if (record.counterparty !== caller.did) {
    return {
      ok: false,
      status: 404,
      reason: `no contract negotiation ${id} with ${caller.did}`,
      pids: unknownPids,
    };
  }
  if (!isObject(body) || !types.includes(body['@type'] as NegotiationMessage['@type'])) {
    return { ok: false, status: 400, reason: `the body must be a ${types.join(' or ')}`, pids };
  }
  if (
    body.consumerPid !== record.consumerPid ||
    (record.providerPid !== undefined && body.providerPid !== record.providerPid)
  ) {
    return {
      ok: false,
      status: 400,
      reason: `the message names providerPid ${String(body.providerPid)} and consumerPid ${String(body.consumerPid)}, not this negotiation's`,
      pids,
    };
  }
  const message = body as unknown as NegotiationMessage;
  const next = transitionNegotiation(record.state, message, other(role));
  if (!next.ok) return { ok: false, status: 409, reason: next.reason, pids };
  c.audit({
    actor: caller.did,
    action: `negotiation.${message['@type']}.received`,
    outcome: 'ok',
    negotiationId: id,
    message,
    ...(record.agreementId ? { agreementId: record.agreementId } : {}),
  });
  return { ok: true, record, next: next.value, message };
}

/** Saves a state change with its time, and records it in the audit log. */
export function saveNegotiation(
  c: Connector,
  record: NegotiationRecord,
  state: NegotiationState,
  patch: Partial<NegotiationRecord> = {},
): NegotiationRecord {
  const next: NegotiationRecord = { ...record, ...patch, state, updatedAt: c.now().toISOString() };
  c.store.putNegotiation(next);
  if (state !== record.state) {
    c.audit({
      actor: c.identity.did,
      action: `negotiation.state.${state}`,
      outcome: state === 'TERMINATED' ? 'refused' : 'ok',
      negotiationId: record.id,
      detail: `${record.role} ${record.id}: ${record.state} -> ${state}${next.reason && state === 'TERMINATED' ? `: ${next.reason}` : ''}`,
      ...(next.agreementId ? { agreementId: next.agreementId } : {}),
    });
  }
  return next;
}

/** Sends a message to the other party and records it; an answer outside 2xx is returned as a reason. */
export async function sendNegotiationMessage(
  c: Connector,
  record: NegotiationRecord,
  url: string,
  message: NegotiationMessage,
): Promise<{ ok: true; body: unknown } | { ok: false; reason: string }> {
  const base = {
    negotiationId: record.id,
    message,
    ...(record.agreementId ? { agreementId: record.agreementId } : {}),
  };
  try {
    const res = await c.peers.send('POST', url, message);
    if (res.status >= 300) {
      const reason = `${message['@type']} to ${url} answered ${res.status}: ${res.text}`;
      c.audit({
        actor: c.identity.did,
        action: `negotiation.${message['@type']}.sent`,
        outcome: 'failed',
        detail: reason,
        ...base,
      });
      return { ok: false, reason };
    }
    c.audit({
      actor: c.identity.did,
      action: `negotiation.${message['@type']}.sent`,
      outcome: 'ok',
      ...base,
    });
    if (isObject(res.body) && typeof res.body['@type'] === 'string') {
      c.audit({
        actor: record.counterparty,
        action: `negotiation.${res.body['@type']}.received`,
        outcome: 'ok',
        negotiationId: record.id,
        message: res.body,
      });
    }
    return { ok: true, body: res.body };
  } catch (err) {
    const reason = `${message['@type']} to ${url} failed: ${(err as Error).message}`;
    c.audit({
      actor: c.identity.did,
      action: `negotiation.${message['@type']}.sent`,
      outcome: 'failed',
      detail: reason,
      ...base,
    });
    return { ok: false, reason };
  }
}
