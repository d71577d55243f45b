/**
 * Transfer process messages on either side (DSP 2025-1 §Transfer Process Protocol): the same
 * checks as for negotiations — counterparty, pids, state machine — and a TransferError that says why.
 */
import type { FastifyReply } from 'fastify';
import {
  type DspRole,
  type TransferMessage,
  type TransferState,
  transferError,
  transitionTransfer,
} from '../../dataspace/index.ts';
import type { TransferRecord } from '../../store/index.ts';
import { type Caller, type Connector, isObject } from './connector.ts';

export const otherRole = (role: DspRole): DspRole => (role === 'provider' ? 'consumer' : 'provider');

export function transferPids(t: TransferRecord) {
  return { providerPid: t.providerPid ?? '', consumerPid: t.consumerPid };
}

export function transferProblem(
  c: Connector,
  reply: FastifyReply,
  status: number,
  pids: { providerPid: string; consumerPid: string },
  reason: string,
  actor: string,
  transferId?: string,
) {
  const answer = transferError(pids, String(status), [reason]);
  c.audit({
    actor,
    action: 'transfer.error.answered',
    outcome: 'refused',
    detail: reason,
    message: answer,
    ...(transferId ? { transferId } : {}),
  });
  return reply.code(status).header('content-type', 'application/json').send(answer);
}

export function receiveTransfer(
  c: Connector,
  role: DspRole,
  id: string,
  caller: Caller,
  body: unknown,
  type: TransferMessage['@type'],
):
  | { ok: true; record: TransferRecord; next: TransferState; message: TransferMessage }
  | { ok: false; status: number; reason: string; pids: { providerPid: string; consumerPid: string } } {
  const unknownPids = {
    providerPid: role === 'provider' ? id : '',
    consumerPid: role === 'consumer' ? id : '',
  };
  const record = c.store.getTransfer(role, id);
  if (!record || record.counterparty !== caller.did)
    return { ok: false, status: 404, reason: `no transfer process ${id}`, pids: unknownPids };
  const pids = transferPids(record);
  if (!isObject(body) || body['@type'] !== type)
    return { ok: false, status: 400, reason: `the body must be a ${type}`, pids };
  if (
    body.consumerPid !== record.consumerPid ||
    (record.providerPid !== undefined && body.providerPid !== record.providerPid)
  ) {
    return {
      ok: false,
      status: 400,
      reason: 'the message names other pids than this transfer process',
      pids,
    };
  }
  const message = body as unknown as TransferMessage;
  const next = transitionTransfer(record.state, message, otherRole(role));
  if (!next.ok) return { ok: false, status: 409, reason: next.reason, pids };
  c.audit({
    actor: caller.did,
    action: `transfer.${type}.received`,
    outcome: 'ok',
    transferId: id,
    agreementId: record.agreementId,
    message: sanitize(message),
  });
  return { ok: true, record, next: next.value, message };
}

export function saveTransfer(
  c: Connector,
  t: TransferRecord,
  state: TransferState,
  patch: Partial<TransferRecord> = {},
): TransferRecord {
  const next: TransferRecord = { ...t, ...patch, state, updatedAt: c.now().toISOString() };
  c.store.putTransfer(next);
  if (state !== t.state) {
    c.audit({
      actor: c.identity.did,
      action: `transfer.state.${state}`,
      outcome: state === 'TERMINATED' ? 'refused' : 'ok',
      transferId: t.id,
      agreementId: t.agreementId,
      detail: `${t.role} ${t.id}: ${t.state} -> ${state}${next.reason ? `: ${next.reason}` : ''}`,
    });
  }
  return next;
}

export async function sendTransferMessage(
  c: Connector,
  t: TransferRecord,
  url: string,
  message: TransferMessage,
): Promise<{ ok: true; body: unknown } | { ok: false; reason: string }> {
  const base = { transferId: t.id, agreementId: t.agreementId };
  try {
    const res = await c.peers.send('POST', url, message);
    if (res.status >= 300) {
      const reason = `${message['@type']} to ${url} answered ${res.status}: ${res.text}`;
      c.audit({
        actor: c.identity.did,
        action: `transfer.${message['@type']}.sent`,
        outcome: 'failed',
        detail: reason,
        message: sanitize(message),
        ...base,
      });
      return { ok: false, reason };
    }
    c.audit({
      actor: c.identity.did,
      action: `transfer.${message['@type']}.sent`,
      outcome: 'ok',
      message: sanitize(message),
      ...base,
    });
    if (isObject(res.body) && typeof res.body['@type'] === 'string') {
      c.audit({
        actor: t.counterparty,
        action: `transfer.${res.body['@type']}.received`,
        outcome: 'ok',
        message: res.body,
        ...base,
      });
    }
    return { ok: true, body: res.body };
  } catch (err) {
    const reason = `${message['@type']} to ${url} failed: ${(err as Error).message}`;
    c.audit({
      actor: c.identity.did,
      action: `transfer.${message['@type']}.sent`,
      outcome: 'failed',
      detail: reason,
      ...base,
    });
    return { ok: false, reason };
  }
}

/** The audit log keeps the message but not the bearer token: a log is read by more people than the data. */
export function sanitize(m: TransferMessage): TransferMessage {
  if (m['@type'] !== 'TransferStartMessage' || !m.dataAddress?.endpointProperties) return m;
  return {
    ...m,
    dataAddress: {
      ...m.dataAddress,
      endpointProperties: m.dataAddress.endpointProperties.map((p) =>
        p.name === 'authorization' ? { ...p, value: '(redacted)' } : p,
      ),
    },
  };
}
