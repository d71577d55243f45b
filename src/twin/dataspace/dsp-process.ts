/**
 * What a contract negotiation and a transfer process have in common on either side (DSP 2025-1):
 * a message arrives and is checked (the sender is the counterparty, the pids match, the state
 * machine allows it), a state change is saved and audited, a message is sent to the other party,
 * and a refusal is answered with the process's error message. negotiation-messages.ts and
 * transfer-messages.ts each describe their process once and use these.
 */
import type { FastifyReply } from 'fastify';
import type { DspRole } from '../../dataspace/index.ts';
import type { AuditInput, DataspaceStore } from '../../store/index.ts';
import { type Caller, type Connector, isObject } from './connector.ts';

export interface ProcessPids {
  providerPid: string;
  consumerPid: string;
}

/** The fields both process records have. */
export interface ProcessRecord<S> {
  id: string;
  role: DspRole;
  providerPid?: string;
  consumerPid: string;
  counterparty: string;
  state: S;
  reason?: string;
  agreementId?: string;
  updatedAt: string;
}

type Refused = { ok: false; reason: string };

/** One DSP process: its names, its records, its state machine and its error message. */
export interface DspProcess<R extends ProcessRecord<S>, S extends string, M extends { '@type': string }> {
  /** the audit action prefix: `negotiation`, `transfer` */
  name: string;
  /** how a refusal names a process: `contract negotiation`, `transfer process` */
  noun: string;
  /** the audit record's field for the process id */
  idField: 'negotiationId' | 'transferId';
  find(store: DataspaceStore, role: DspRole, id: string): R | undefined;
  put(store: DataspaceStore, record: R): void;
  transition(state: S, message: M, sender: DspRole): { ok: true; value: S } | Refused;
  error(pids: ProcessPids, code: string, reasons: string[]): unknown;
  /** the message as the audit log keeps it (a bearer token is not kept) */
  logged(message: M): unknown;
}

export const otherRole = (role: DspRole): DspRole => (role === 'provider' ? 'consumer' : 'provider');

export function pidsOf(r: { providerPid?: string; consumerPid: string }): ProcessPids {
  return { providerPid: r.providerPid ?? '', consumerPid: r.consumerPid };
}

function related<S>(p: { idField: 'negotiationId' | 'transferId' }, record: ProcessRecord<S>) {
  return {
    [p.idField]: record.id,
    ...(record.agreementId ? { agreementId: record.agreementId } : {}),
  } as Pick<AuditInput, 'negotiationId' | 'transferId' | 'agreementId'>;
}

export type Received<R, S, M> =
  | { ok: true; record: R; next: S; message: M }
  | { ok: false; status: number; reason: string; pids: ProcessPids };

/**
 * The operations of one process. Each process module binds them once and exports them under its
 * own names (receiveNegotiation, saveTransfer, ...).
 */
export function processOps<R extends ProcessRecord<S>, S extends string, M extends { '@type': string }>(
  p: DspProcess<R, S, M>,
) {
  return {
    /** Answers a refusal with the process's error message and records it. */
    refuse(
      c: Connector,
      reply: FastifyReply,
      status: number,
      pids: ProcessPids,
      reason: string,
      actor: string,
      processId?: string,
    ) {
      const answer = p.error(pids, String(status), [reason]);
      c.audit({
        actor,
        action: `${p.name}.error.answered`,
        outcome: 'refused',
        detail: reason,
        message: answer,
        ...(processId ? { [p.idField]: processId } : {}),
      });
      return reply.code(status).header('content-type', 'application/json').send(answer);
    },

    /**
     * Checks an incoming message of one of `types` for the process `id` held in `role` and
     * returns the record and the state it moves to; the caller saves it.
     */
    receive(
      c: Connector,
      role: DspRole,
      id: string,
      caller: Caller,
      body: unknown,
      types: M['@type'][],
    ): Received<R, S, M> {
      const record = p.find(c.store, role, id);
      if (!record || record.counterparty !== caller.did) {
        const unknownPids = {
          providerPid: role === 'provider' ? id : '',
          consumerPid: role === 'consumer' ? id : '',
        };
        const reason = record ? `no ${p.noun} ${id} with ${caller.did}` : `no ${p.noun} ${id}`;
        return { ok: false, status: 404, reason, pids: unknownPids };
      }
      const pids = pidsOf(record);
      if (!isObject(body) || !types.includes(body['@type'] as M['@type'])) {
        return { ok: false, status: 400, reason: `the body must be a ${types.join(' or ')}`, pids };
      }
      if (
        body.consumerPid !== record.consumerPid ||
        (record.providerPid !== undefined && body.providerPid !== record.providerPid)
      ) {
        return {
          ok: false,
          status: 400,
          reason: `the message names providerPid ${String(body.providerPid)} and consumerPid ${String(body.consumerPid)}, not this ${p.noun}'s`,
          pids,
        };
      }
      const message = body as unknown as M;
      const next = p.transition(record.state, message, otherRole(role));
      if (!next.ok) return { ok: false, status: 409, reason: next.reason, pids };
      c.audit({
        actor: caller.did,
        action: `${p.name}.${message['@type']}.received`,
        outcome: 'ok',
        message: p.logged(message),
        ...related(p, record),
      });
      return { ok: true, record, next: next.value, message };
    },

    /** Saves a state change with its time, and records it in the audit log. */
    save(c: Connector, record: R, state: S, patch: Partial<R> = {}): R {
      const next: R = { ...record, ...patch, state, updatedAt: c.now().toISOString() };
      p.put(c.store, next);
      if (state !== record.state) {
        const why = next.reason && (state === 'TERMINATED' || patch.reason !== undefined);
        c.audit({
          actor: c.identity.did,
          action: `${p.name}.state.${state}`,
          outcome: state === 'TERMINATED' ? 'refused' : 'ok',
          detail: `${record.role} ${record.id}: ${record.state} -> ${state}${why ? `: ${next.reason}` : ''}`,
          ...related(p, next),
        });
      }
      return next;
    },

    /** Sends a message to the other party and records it; an answer outside 2xx is returned as a reason. */
    async send(
      c: Connector,
      record: R,
      url: string,
      message: M,
    ): Promise<{ ok: true; body: unknown } | Refused> {
      const sent = {
        actor: c.identity.did,
        action: `${p.name}.${message['@type']}.sent`,
        message: p.logged(message),
        ...related(p, record),
      };
      try {
        const res = await c.peers.send('POST', url, message);
        if (res.status >= 300) {
          const reason = `${message['@type']} to ${url} answered ${res.status}: ${res.text}`;
          c.audit({ ...sent, outcome: 'failed', detail: reason });
          return { ok: false, reason };
        }
        c.audit({ ...sent, outcome: 'ok' });
        if (isObject(res.body) && typeof res.body['@type'] === 'string') {
          c.audit({
            actor: record.counterparty,
            action: `${p.name}.${res.body['@type']}.received`,
            outcome: 'ok',
            message: res.body,
            ...related(p, record),
          });
        }
        return { ok: true, body: res.body };
      } catch (err) {
        const reason = `${message['@type']} to ${url} failed: ${(err as Error).message}`;
        c.audit({ ...sent, outcome: 'failed', detail: reason });
        return { ok: false, reason };
      }
    },
  };
}
