/**
 * Contract negotiation messages on either side (DSP 2025-1 §Contract Negotiation): the sender
 * must be the negotiation's counterparty, the pids must match, and the state machine must allow
 * the message; otherwise the answer is a ContractNegotiationError that says why. The checks,
 * saving and sending are dsp-process.ts's, shared with transfer processes.
 */
import {
  contractNegotiationError,
  type NegotiationMessage,
  type NegotiationState,
  transitionNegotiation,
} from '../../dataspace/index.ts';
import type { NegotiationRecord } from '../../store/index.ts';
import { type DspProcess, processOps } from './dsp-process.ts';

export { pidsOf } from './dsp-process.ts';

const NEGOTIATION: DspProcess<NegotiationRecord, NegotiationState, NegotiationMessage> = {
  name: 'negotiation',
  noun: 'contract negotiation',
  idField: 'negotiationId',
  find: (store, role, id) => store.getNegotiation(role, id),
  put: (store, record) => store.putNegotiation(record),
  transition: transitionNegotiation,
  error: contractNegotiationError,
  logged: (message) => message,
};

export const {
  refuse: negotiationError,
  receive: receiveNegotiation,
  save: saveNegotiation,
  send: sendNegotiationMessage,
} = processOps(NEGOTIATION);
