/**
 * Transfer process messages on either side (DSP 2025-1 §Transfer Process Protocol): the same
 * checks as for negotiations — counterparty, pids, state machine — and a TransferError that says
 * why. The checks, saving and sending are dsp-process.ts's, shared with negotiations.
 */
import {
  type TransferMessage,
  type TransferState,
  transferError,
  transitionTransfer,
} from '../../dataspace/index.ts';
import type { TransferRecord } from '../../store/index.ts';
import { type DspProcess, processOps } from './dsp-process.ts';

export { pidsOf as transferPids } from './dsp-process.ts';

const TRANSFER: DspProcess<TransferRecord, TransferState, TransferMessage> = {
  name: 'transfer',
  noun: 'transfer process',
  idField: 'transferId',
  find: (store, role, id) => store.getTransfer(role, id),
  put: (store, record) => store.putTransfer(record),
  transition: transitionTransfer,
  error: transferError,
  logged: (message) => sanitize(message),
};

export const {
  refuse: transferProblem,
  receive: receiveTransfer,
  save: saveTransfer,
  send: sendTransferMessage,
} = processOps(TRANSFER);

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
