import type { NegotiationMessage, NegotiationState, TransferMessage, TransferState } from './dsp.ts';
import { ok, type Result, refuse } from './result.ts';

/** Who sent a message. Both participants hold the same state (DSP 2025-1 §Contract Negotiation), so one machine serves both. */
export type DspRole = 'provider' | 'consumer';

type NegotiationKey =
  | NegotiationMessage['@type']
  | 'ContractNegotiationEventMessage:ACCEPTED'
  | 'ContractNegotiationEventMessage:FINALIZED';

/**
 * Contract negotiation state machine, figure "Contract Negotiation State Machine" of DSP 2025-1
 * (contract.negotiation.state.machine.png): [message, sender, from (undefined: a new negotiation), to].
 */
export const NEGOTIATION_TRANSITIONS: readonly [
  NegotiationKey,
  DspRole,
  NegotiationState | undefined,
  NegotiationState,
][] = [
  ['ContractRequestMessage', 'consumer', undefined, 'REQUESTED'],
  ['ContractOfferMessage', 'provider', undefined, 'OFFERED'],
  ['ContractOfferMessage', 'provider', 'REQUESTED', 'OFFERED'],
  ['ContractRequestMessage', 'consumer', 'OFFERED', 'REQUESTED'],
  ['ContractAgreementMessage', 'provider', 'REQUESTED', 'AGREED'],
  ['ContractNegotiationEventMessage:ACCEPTED', 'consumer', 'OFFERED', 'ACCEPTED'],
  ['ContractAgreementMessage', 'provider', 'ACCEPTED', 'AGREED'],
  ['ContractAgreementVerificationMessage', 'consumer', 'AGREED', 'VERIFIED'],
  ['ContractNegotiationEventMessage:FINALIZED', 'provider', 'VERIFIED', 'FINALIZED'],
];

const NEGOTIATION_TERMINAL: ReadonlySet<NegotiationState> = new Set(['FINALIZED', 'TERMINATED']);

function negotiationKey(m: NegotiationMessage): NegotiationKey {
  return m['@type'] === 'ContractNegotiationEventMessage' ? `${m['@type']}:${m.eventType}` : m['@type'];
}

/**
 * The state a negotiation enters when `message`, sent by `sender`, is acknowledged; `state` is
 * undefined for a message that would open a new negotiation. Termination is accepted from either
 * party in any non-terminal state: the figure draws only the likely arrows, the text of
 * §Contract Negotiation Termination Message says it "MAY be sent at any state".
 *
 * @example transitionNegotiation('OFFERED', acceptedEvent, 'consumer') // { ok: true, value: 'ACCEPTED' }
 */
export function transitionNegotiation(
  state: NegotiationState | undefined,
  message: NegotiationMessage,
  sender: DspRole,
): Result<NegotiationState> {
  const key = negotiationKey(message);
  if (state !== undefined && NEGOTIATION_TERMINAL.has(state)) {
    return refuse(`negotiation is ${state}, a terminal state: ${key} from the ${sender} is not accepted`);
  }
  if (message['@type'] === 'ContractNegotiationTerminationMessage') {
    return state === undefined ? refuse('there is no negotiation to terminate') : ok('TERMINATED');
  }
  const edge = NEGOTIATION_TRANSITIONS.find(([k, r, from]) => k === key && r === sender && from === state);
  if (edge) return ok(edge[3]);
  const legal = NEGOTIATION_TRANSITIONS.filter(([k]) => k === key);
  const expected = legal.map(([, r, from]) => `${r} in ${from ?? 'a new negotiation'}`).join(' or ');
  return refuse(
    `${key} from the ${sender} is not allowed ${state === undefined ? 'to open a negotiation' : `in state ${state}`}` +
      (expected ? `; it is sent by the ${expected}` : ''),
  );
}

/**
 * Transfer process state machine, figure "Transfer Process State Machine" of DSP 2025-1
 * (transfer-process-state-machine.png): [message, senders, from, to].
 */
export const TRANSFER_TRANSITIONS: readonly [
  TransferMessage['@type'],
  readonly DspRole[],
  TransferState | undefined,
  TransferState,
][] = [
  ['TransferRequestMessage', ['consumer'], undefined, 'REQUESTED'],
  ['TransferStartMessage', ['provider'], 'REQUESTED', 'STARTED'],
  ['TransferSuspensionMessage', ['provider', 'consumer'], 'STARTED', 'SUSPENDED'],
  ['TransferStartMessage', ['provider', 'consumer'], 'SUSPENDED', 'STARTED'],
  ['TransferCompletionMessage', ['provider', 'consumer'], 'STARTED', 'COMPLETED'],
  ['TransferTerminationMessage', ['provider', 'consumer'], 'REQUESTED', 'TERMINATED'],
  ['TransferTerminationMessage', ['provider', 'consumer'], 'STARTED', 'TERMINATED'],
  ['TransferTerminationMessage', ['provider', 'consumer'], 'SUSPENDED', 'TERMINATED'],
];

/**
 * The state a transfer process enters when `message`, sent by `sender`, is acknowledged; `state`
 * is undefined for a TransferRequestMessage that opens a new process.
 *
 * @example transitionTransfer('STARTED', suspension, 'provider') // { ok: true, value: 'SUSPENDED' }
 */
export function transitionTransfer(
  state: TransferState | undefined,
  message: TransferMessage,
  sender: DspRole,
): Result<TransferState> {
  const type = message['@type'];
  if (state === 'COMPLETED' || state === 'TERMINATED') {
    return refuse(
      `transfer process is ${state}, a terminal state: ${type} from the ${sender} is not accepted`,
    );
  }
  const edge = TRANSFER_TRANSITIONS.find(
    ([t, roles, from]) => t === type && roles.includes(sender) && from === state,
  );
  if (edge) return ok(edge[3]);
  const legal = TRANSFER_TRANSITIONS.filter(([t]) => t === type);
  const expected = legal
    .map(([, roles, from]) => `${roles.join(' or ')} in ${from ?? 'a new process'}`)
    .join('; ');
  return refuse(
    `${type} from the ${sender} is not allowed ${state === undefined ? 'to open a transfer process' : `in state ${state}`}` +
      (expected ? `; it is sent by the ${expected}` : ''),
  );
}
