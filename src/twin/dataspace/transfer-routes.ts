/**
 * Transfer processes, pull only (DSP 2025-1 §Transfer Process Protocol, HTTPS binding §4): the
 * consumer asks for a transfer under a finalised agreement; the provider starts it with a
 * DataAddress carrying a short-lived access token bound to the agreement; either side suspends,
 * resumes, completes or terminates it.
 */
import { randomUUID } from 'node:crypto';
import {
  httpDataAddress,
  issueAccessToken,
  PULL_FORMAT,
  type TransferMessage,
  type TransferRequestMessage,
  transferCompletionMessage,
  transferProcess,
  transferRequestMessage,
  transferStartMessage,
  transferSuspensionMessage,
  transferTerminationMessage,
  transitionTransfer,
} from '../../dataspace/index.ts';
import type { TransferRecord } from '../../store/index.ts';
import {
  afterReply,
  CALLBACK_PATH,
  type Connector,
  DSP_PATH,
  isObject,
  rawBody,
  sendProblem,
} from './connector.ts';
import {
  receiveTransfer,
  saveTransfer,
  sendTransferMessage,
  transferPids,
  transferProblem,
} from './transfer-messages.ts';

/** The data endpoint of an agreement; the access token's audience is exactly this URL. */
export function sharedEndpoint(c: Connector, agreementId: string): string {
  return `${c.publicUrl}/twinbox/v1/shared/${encodeURIComponent(agreementId)}`;
}

type TransferRequested =
  | { ok: true; transfer: TransferRecord }
  | {
      ok: false;
      problem: 'ResourceNotFound' | 'Conflict' | 'InternalError';
      reason: string;
      transfer?: TransferRecord;
    };

/**
 * Consumer: asks the provider for a pull transfer under one of our agreements. The answer is the
 * REQUESTED process; the provider's TransferStartMessage with the data address comes after it.
 * A provider that cannot be reached or refuses leaves the process TERMINATED with the reason.
 */
export async function requestTransfer(c: Connector, agreementId: string): Promise<TransferRequested> {
  const agreement = c.store.getAgreement(agreementId);
  if (agreement?.role !== 'consumer')
    return { ok: false, problem: 'ResourceNotFound', reason: `no agreement ${agreementId} held as consumer` };
  const negotiation = c.store.getNegotiation('consumer', agreement.negotiationId);
  if (negotiation?.state !== 'FINALIZED') {
    return {
      ok: false,
      problem: 'Conflict',
      reason: `the negotiation of agreement ${agreementId} is ${negotiation?.state}, not FINALIZED`,
    };
  }
  const consumerPid = `urn:uuid:${randomUUID()}`;
  const m = transferRequestMessage({
    consumerPid,
    agreementId,
    format: PULL_FORMAT,
    callbackAddress: c.callbackAddress,
  });
  const state = transitionTransfer(undefined, m, 'consumer');
  if (!state.ok) return { ok: false, problem: 'InternalError', reason: state.reason };
  const now = c.now().toISOString();
  const t: TransferRecord = {
    id: consumerPid,
    role: 'consumer',
    consumerPid,
    agreementId,
    counterparty: agreement.agreement.assigner,
    peerAddress: agreement.peerAddress,
    state: state.value,
    format: PULL_FORMAT,
    createdAt: now,
    updatedAt: now,
  };
  c.store.putTransfer(t);
  const sent = await sendTransferMessage(c, t, `${t.peerAddress}/transfers/request`, m);
  const current = c.store.getTransfer('consumer', consumerPid)!;
  if (!sent.ok) {
    const transfer = saveTransfer(c, current, 'TERMINATED', { reason: sent.reason });
    return { ok: false, problem: 'InternalError', reason: sent.reason, transfer };
  }
  const providerPid =
    isObject(sent.body) && typeof sent.body.providerPid === 'string' ? sent.body.providerPid : undefined;
  const transfer =
    current.providerPid || !providerPid ? current : saveTransfer(c, current, current.state, { providerPid });
  return { ok: true, transfer };
}

/** The path under the peer's base for each message (DSP 2025-1 HTTPS binding, transfer process). */
const PATHS: Record<TransferMessage['@type'], string> = {
  TransferRequestMessage: 'request',
  TransferStartMessage: 'start',
  TransferSuspensionMessage: 'suspension',
  TransferCompletionMessage: 'completion',
  TransferTerminationMessage: 'termination',
};

export function transferRoutes(c: Connector): void {
  const { app } = c;

  // Provider: a consumer asks for a transfer.
  app.post(`${DSP_PATH}/transfers/request`, async (request, reply) => {
    const caller = await c.authenticate(request, 'consumer');
    const body = rawBody(request)?.json;
    const consumerPid = isObject(body) && typeof body.consumerPid === 'string' ? body.consumerPid : '';
    const pids = { providerPid: '', consumerPid };
    if (!caller.ok) return transferProblem(c, reply, 401, pids, caller.reason, 'unknown');
    const m = body as unknown as TransferRequestMessage;
    if (
      !isObject(body) ||
      body['@type'] !== 'TransferRequestMessage' ||
      !consumerPid ||
      typeof m.agreementId !== 'string' ||
      typeof m.callbackAddress !== 'string' ||
      typeof m.format !== 'string'
    ) {
      return transferProblem(
        c,
        reply,
        400,
        pids,
        'the body must be a TransferRequestMessage with consumerPid, agreementId, format and callbackAddress',
        caller.value.did,
      );
    }
    const agreement = c.store.getAgreement(m.agreementId);
    const negotiation = agreement && c.store.getNegotiation('provider', agreement.negotiationId);
    let refusal: string | undefined;
    if (agreement?.role !== 'provider') refusal = `no agreement ${m.agreementId}`;
    else if (agreement.agreement.assignee !== caller.value.did)
      refusal = `agreement ${m.agreementId} is not assigned to ${caller.value.did}`;
    else if (negotiation?.state !== 'FINALIZED')
      refusal = `the negotiation of agreement ${m.agreementId} is ${negotiation?.state ?? 'unknown'}, not FINALIZED`;
    else if (m.format !== PULL_FORMAT) refusal = `format ${m.format} is not offered; use ${PULL_FORMAT}`;
    if (refusal) {
      c.audit({
        actor: caller.value.did,
        action: 'transfer.TransferRequestMessage.received',
        outcome: 'refused',
        agreementId: m.agreementId,
        detail: refusal,
        message: m,
      });
      return transferProblem(
        c,
        reply,
        refusal.startsWith('format') ? 400 : 403,
        pids,
        refusal,
        caller.value.did,
      );
    }
    const state = transitionTransfer(undefined, m, 'consumer');
    if (!state.ok) return transferProblem(c, reply, 400, pids, state.reason, caller.value.did);
    const now = c.now().toISOString();
    const providerPid = `urn:uuid:${randomUUID()}`;
    const t: TransferRecord = {
      id: providerPid,
      role: 'provider',
      providerPid,
      consumerPid,
      agreementId: m.agreementId,
      counterparty: caller.value.did,
      peerAddress: m.callbackAddress.replace(/\/$/, ''),
      state: state.value,
      format: m.format,
      createdAt: now,
      updatedAt: now,
    };
    c.store.putTransfer(t);
    c.audit({
      actor: caller.value.did,
      action: 'transfer.TransferRequestMessage.received',
      outcome: 'ok',
      transferId: providerPid,
      agreementId: m.agreementId,
      message: m,
    });
    const ack = transferProcess(transferPids(t), t.state);
    c.audit({
      actor: c.identity.did,
      action: 'transfer.TransferProcess.answered',
      outcome: 'ok',
      transferId: providerPid,
      agreementId: m.agreementId,
      message: ack,
    });
    afterReply(c, 'starting a transfer', () => start(providerPid));
    return reply.code(201).send(ack);
  });

  async function start(providerPid: string): Promise<void> {
    const t = c.store.getTransfer('provider', providerPid);
    const agreement = t && c.store.getAgreement(t.agreementId);
    if (!t || !agreement || t.state !== 'REQUESTED') return;
    const endpoint = sharedEndpoint(c, t.agreementId);
    const token = issueAccessToken(
      {
        issuer: c.identity.did,
        subject: t.counterparty,
        audience: endpoint,
        agreementId: t.agreementId,
        transferId: providerPid,
        target: agreement.agreement.target,
        now: c.now().toISOString(),
        ttlS: c.publication.accessTokenTtlS,
        jti: randomUUID(),
      },
      c.identity.key,
    );
    const m = transferStartMessage(transferPids(t), httpDataAddress(endpoint, token));
    const next = transitionTransfer(t.state, m, 'provider');
    if (!next.ok) return;
    const saved = saveTransfer(c, t, next.value);
    c.audit({
      actor: c.identity.did,
      action: 'transfer.token.issued',
      outcome: 'ok',
      transferId: providerPid,
      agreementId: t.agreementId,
      detail: `access token for ${t.counterparty}, valid ${c.publication.accessTokenTtlS} s`,
    });
    const sent = await sendTransferMessage(
      c,
      saved,
      `${saved.peerAddress}/transfers/${encodeURIComponent(saved.consumerPid)}/start`,
      m,
    );
    if (!sent.ok) saveTransfer(c, saved, 'TERMINATED', { reason: sent.reason });
  }

  app.get<{ Params: { pid: string } }>(`${DSP_PATH}/transfers/:pid`, async (request, reply) => {
    const caller = await c.authenticate(request);
    const pids = { providerPid: request.params.pid, consumerPid: '' };
    if (!caller.ok) return transferProblem(c, reply, 401, pids, caller.reason, 'unknown');
    const t = c.store.getTransfer('provider', request.params.pid);
    if (!t || t.counterparty !== caller.value.did)
      return transferProblem(
        c,
        reply,
        404,
        pids,
        `no transfer process ${request.params.pid}`,
        caller.value.did,
      );
    const answer = transferProcess(transferPids(t), t.state);
    c.audit({
      actor: caller.value.did,
      action: 'transfer.TransferProcess.answered',
      outcome: 'ok',
      transferId: t.id,
      agreementId: t.agreementId,
      message: answer,
    });
    return answer;
  });

  // Messages to an existing process, on the provider's endpoint and on the consumer's callback.
  for (const [role, prefix] of [
    ['provider', `${DSP_PATH}/transfers`],
    ['consumer', `${CALLBACK_PATH}/transfers`],
  ] as const) {
    for (const [type, path] of Object.entries(PATHS) as [TransferMessage['@type'], string][]) {
      if (type === 'TransferRequestMessage') continue;
      app.post<{ Params: { pid: string } }>(`${prefix}/:pid/${path}`, async (request, reply) => {
        const caller = await c.authenticate(request);
        const pids = {
          providerPid: role === 'provider' ? request.params.pid : '',
          consumerPid: role === 'consumer' ? request.params.pid : '',
        };
        if (!caller.ok) return transferProblem(c, reply, 401, pids, caller.reason, 'unknown');
        const body = rawBody(request)?.json;
        const known = c.store.getTransfer(role, request.params.pid);
        if (
          known &&
          !known.providerPid &&
          isObject(body) &&
          typeof body.providerPid === 'string' &&
          known.counterparty === caller.value.did
        ) {
          c.store.putTransfer({ ...known, providerPid: body.providerPid });
        }
        const r = receiveTransfer(c, role, request.params.pid, caller.value, body, [type]);
        if (!r.ok)
          return transferProblem(c, reply, r.status, r.pids, r.reason, caller.value.did, request.params.pid);
        const patch: Partial<TransferRecord> = {};
        if (r.message['@type'] === 'TransferStartMessage' && role === 'consumer' && r.message.dataAddress)
          patch.dataAddress = r.message.dataAddress;
        if ('reason' in r.message && Array.isArray(r.message.reason))
          patch.reason = r.message.reason.map(String).join('; ');
        saveTransfer(c, r.record, r.next, patch);
        return reply.code(200).send();
      });
    }
  }

  // twinbox API: the consumer starts a transfer under one of its agreements.
  app.post('/twinbox/v1/transfers', async (request, reply) => {
    const body = rawBody(request)?.json;
    if (!isObject(body) || typeof body.agreementId !== 'string')
      return sendProblem(reply, 'BadRequestData', 'agreementId must be a string');
    const r = await requestTransfer(c, body.agreementId);
    if (!r.ok) {
      return r.transfer ? reply.code(502).send(redact(r.transfer)) : sendProblem(reply, r.problem, r.reason);
    }
    return reply
      .code(201)
      .header('location', `/twinbox/v1/transfers/${encodeURIComponent(r.transfer.id)}`)
      .send(redact(r.transfer));
  });

  app.get('/twinbox/v1/transfers', async () => c.store.listTransfers().map(redact));
  app.get<{ Params: { id: string } }>('/twinbox/v1/transfers/:id', async (request, reply) => {
    const t =
      c.store.getTransfer('consumer', request.params.id) ??
      c.store.getTransfer('provider', request.params.id);
    return t ? redact(t) : sendProblem(reply, 'ResourceNotFound', `no transfer process ${request.params.id}`);
  });

  // twinbox API: either side suspends, resumes, completes or terminates a transfer it holds.
  const actions = {
    suspend: (p: ReturnType<typeof transferPids>) =>
      transferSuspensionMessage(p, 'suspended', ['suspended by the operator']),
    resume: (p: ReturnType<typeof transferPids>) => transferStartMessage(p),
    complete: (p: ReturnType<typeof transferPids>) => transferCompletionMessage(p),
    terminate: (p: ReturnType<typeof transferPids>) =>
      transferTerminationMessage(p, 'terminated', ['terminated by the operator']),
  };
  for (const [action, build] of Object.entries(actions)) {
    app.post<{ Params: { id: string } }>(`/twinbox/v1/transfers/:id/${action}`, async (request, reply) => {
      const t =
        c.store.getTransfer('consumer', request.params.id) ??
        c.store.getTransfer('provider', request.params.id);
      if (!t) return sendProblem(reply, 'ResourceNotFound', `no transfer process ${request.params.id}`);
      const m = build(transferPids(t));
      const r = await changeTransfer(
        c,
        t,
        m,
        m['@type'] === 'TransferStartMessage' ? undefined : `${action} by the ${t.role}`,
      );
      if (!r.ok) return sendProblem(reply, r.conflict ? 'Conflict' : 'GatewayTimeout', r.reason);
      return redact(r.transfer);
    });
  }
}

/**
 * Moves a transfer we hold on with `m` (suspend, resume, complete, terminate), saves the new state
 * and tells the other party. `conflict`: the state machine does not allow `m` from where it is.
 */
export async function changeTransfer(
  c: Connector,
  t: TransferRecord,
  m: TransferMessage,
  reason?: string,
): Promise<{ ok: true; transfer: TransferRecord } | { ok: false; conflict: boolean; reason: string }> {
  const next = transitionTransfer(t.state, m, t.role);
  if (!next.ok) return { ok: false, conflict: true, reason: next.reason };
  const saved = saveTransfer(c, t, next.value, reason === undefined ? {} : { reason });
  const pid = t.role === 'consumer' ? t.providerPid : t.consumerPid;
  const sent = await sendTransferMessage(
    c,
    saved,
    `${t.peerAddress}/transfers/${encodeURIComponent(pid ?? '')}/${PATHS[m['@type']]}`,
    m,
  );
  if (!sent.ok) return { ok: false, conflict: false, reason: sent.reason };
  return { ok: true, transfer: c.store.getTransfer(t.role, t.id)! };
}

/** A transfer as the twinbox API shows it: the access token stays inside the connector. */
function redact(t: TransferRecord): TransferRecord {
  if (!t.dataAddress?.endpointProperties) return t;
  return {
    ...t,
    dataAddress: {
      ...t.dataAddress,
      endpointProperties: t.dataAddress.endpointProperties.map((p) =>
        p.name === 'authorization' ? { ...p, value: '(redacted)' } : p,
      ),
    },
  };
}
