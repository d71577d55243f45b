import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  contractAgreementMessage,
  contractAgreementVerificationMessage,
  contractNegotiationEventMessage,
  contractNegotiationTerminationMessage,
  contractOfferMessage,
  contractRequestMessage,
  type DspRole,
  NEGOTIATION_STATES,
  type NegotiationMessage,
  type NegotiationState,
  TRANSFER_STATES,
  type TransferMessage,
  type TransferState,
  transferCompletionMessage,
  transferRequestMessage,
  transferStartMessage,
  transferSuspensionMessage,
  transferTerminationMessage,
  transitionNegotiation,
  transitionTransfer,
} from '../../src/dataspace/index.ts';

const pids = { providerPid: 'urn:p', consumerPid: 'urn:c' };
const offer = { '@id': 'urn:o', '@type': 'Offer' as const, target: 'urn:d', permission: [{ action: 'use' }] };
const agreement = {
  '@id': 'urn:a',
  '@type': 'Agreement' as const,
  target: 'urn:d',
  assigner: 'urn:p1',
  assignee: 'urn:p2',
};

const negotiationMessages: Record<string, NegotiationMessage> = {
  request: contractRequestMessage({ ...pids, offer }),
  offer: contractOfferMessage({ ...pids, offer }),
  accepted: contractNegotiationEventMessage(pids, 'ACCEPTED'),
  agreement: contractAgreementMessage({ ...pids, agreement }),
  verification: contractAgreementVerificationMessage(pids),
  finalized: contractNegotiationEventMessage(pids, 'FINALIZED'),
  termination: contractNegotiationTerminationMessage(pids),
};

/**
 * The arrows of contract.negotiation.state.machine.png (DSP 2025-1), read off the figure:
 * from (- for the initial node), message, sender(s), to.
 */
const NEGOTIATION_FIGURE = `
-          request      C   REQUESTED
-          offer        P   OFFERED
REQUESTED  offer        P   OFFERED
OFFERED    request      C   REQUESTED
REQUESTED  agreement    P   AGREED
OFFERED    accepted     C   ACCEPTED
ACCEPTED   agreement    P   AGREED
AGREED     verification C   VERIFIED
VERIFIED   finalized    P   FINALIZED
REQUESTED  termination  CP  TERMINATED
OFFERED    termination  CP  TERMINATED
ACCEPTED   termination  P   TERMINATED
AGREED     termination  C   TERMINATED
VERIFIED   termination  P   TERMINATED`;

function edges(figure: string) {
  return figure
    .trim()
    .split('\n')
    .flatMap((line) => {
      const [from, message, senders, to] = line.trim().split(/\s+/);
      return [...senders].map((s) => ({
        from: from === '-' ? undefined : from,
        message,
        sender: (s === 'C' ? 'consumer' : 'provider') as DspRole,
        to,
      }));
    });
}

test('negotiation: every arrow of the figure is a transition, and nothing else is except termination', () => {
  const figure = edges(NEGOTIATION_FIGURE);
  for (const from of [undefined, ...NEGOTIATION_STATES]) {
    for (const [name, message] of Object.entries(negotiationMessages)) {
      for (const sender of ['provider', 'consumer'] as DspRole[]) {
        const r = transitionNegotiation(from as NegotiationState | undefined, message, sender);
        const arrow = figure.find((e) => e.from === from && e.message === name && e.sender === sender);
        const where = `${from ?? 'new'} --${name}/${sender}-->`;
        if (arrow) assert.deepEqual(r, { ok: true, value: arrow.to }, where);
        else if (
          name === 'termination' &&
          from !== undefined &&
          from !== 'FINALIZED' &&
          from !== 'TERMINATED'
        ) {
          // §Contract Negotiation Termination Message: "MAY be sent at any state"; the figure omits some senders.
          assert.deepEqual(r, { ok: true, value: 'TERMINATED' }, where);
        } else assert.equal(r.ok, false, where);
      }
    }
  }
});

test('negotiation refusals explain what is expected', () => {
  const r = transitionNegotiation('REQUESTED', negotiationMessages.verification, 'consumer');
  assert.deepEqual(r, {
    ok: false,
    reason:
      'ContractAgreementVerificationMessage from the consumer is not allowed in state REQUESTED; it is sent by the consumer in AGREED',
  });
  const late = transitionNegotiation('FINALIZED', negotiationMessages.termination, 'provider');
  assert.equal(late.ok, false);
  assert.match(late.ok ? '' : late.reason, /FINALIZED, a terminal state/);
  const wrongSide = transitionNegotiation('OFFERED', negotiationMessages.accepted, 'provider');
  assert.match(wrongSide.ok ? '' : wrongSide.reason, /sent by the consumer in OFFERED/);
});

test('negotiation: a consumer-initiated run reaches FINALIZED', () => {
  const steps: [keyof typeof negotiationMessages, DspRole][] = [
    ['request', 'consumer'],
    ['offer', 'provider'],
    ['accepted', 'consumer'],
    ['agreement', 'provider'],
    ['verification', 'consumer'],
    ['finalized', 'provider'],
  ];
  let state: NegotiationState | undefined;
  for (const [m, who] of steps) {
    const r = transitionNegotiation(state, negotiationMessages[m], who);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    state = r.value;
  }
  assert.equal(state, 'FINALIZED');
});

const transferMessages: Record<string, TransferMessage> = {
  request: transferRequestMessage({
    consumerPid: 'urn:c',
    agreementId: 'urn:a',
    format: 'HttpData-PULL',
    callbackAddress: 'https://c.example/cb',
  }),
  start: transferStartMessage(pids),
  suspension: transferSuspensionMessage(pids),
  completion: transferCompletionMessage(pids),
  termination: transferTerminationMessage(pids),
};

/** The arrows of transfer-process-state-machine.png (DSP 2025-1). */
const TRANSFER_FIGURE = `
-          request      C   REQUESTED
REQUESTED  start        P   STARTED
STARTED    suspension   PC  SUSPENDED
SUSPENDED  start        PC  STARTED
STARTED    completion   PC  COMPLETED
REQUESTED  termination  CP  TERMINATED
STARTED    termination  PC  TERMINATED
SUSPENDED  termination  PC  TERMINATED`;

test('transfer: the transition function is exactly the figure', () => {
  const figure = edges(TRANSFER_FIGURE);
  for (const from of [undefined, ...TRANSFER_STATES]) {
    for (const [name, message] of Object.entries(transferMessages)) {
      for (const sender of ['provider', 'consumer'] as DspRole[]) {
        const r = transitionTransfer(from as TransferState | undefined, message, sender);
        const arrow = figure.find((e) => e.from === from && e.message === name && e.sender === sender);
        const where = `${from ?? 'new'} --${name}/${sender}-->`;
        if (arrow) assert.deepEqual(r, { ok: true, value: arrow.to }, where);
        else assert.equal(r.ok, false, where);
      }
    }
  }
});

test('transfer refusals name the state and the legal senders', () => {
  const r = transitionTransfer('REQUESTED', transferMessages.start, 'consumer');
  assert.equal(r.ok, false);
  assert.match(
    r.ok ? '' : r.reason,
    /TransferStartMessage from the consumer is not allowed in state REQUESTED/,
  );
  const done = transitionTransfer('COMPLETED', transferMessages.suspension, 'provider');
  assert.match(done.ok ? '' : done.reason, /COMPLETED, a terminal state/);
});
