/**
 * What the data-space connector keeps: contract negotiations and transfer processes on both sides
 * (Dataspace Protocol 2025-1 §Contract Negotiation, §Transfer Process: "persisted" state machines),
 * concluded agreements with their usage, the governance authority's trust list and onboarding
 * requests, seen request ids (replay protection) and the audit log the data owner reads.
 *
 * The SQLite engine answers synchronously, so a handler reads a state, applies a transition and
 * writes the result without another request interleaving.
 */
import type {
  Agreement,
  DataAddress,
  DspRole,
  MessageOffer,
  NegotiationState,
  TransferState,
} from '../dataspace/index.ts';

export interface NegotiationRecord {
  /** The local process id: the providerPid on the provider, the consumerPid on the consumer. */
  id: string;
  role: DspRole;
  providerPid?: string;
  consumerPid: string;
  /** The other participant's DID. */
  counterparty: string;
  /** Where the other participant answers: the provider's DSP base, or the consumer's callback address. */
  peerAddress: string;
  state: NegotiationState;
  datasetId: string;
  offer: MessageOffer;
  agreementId?: string;
  /** The purpose the consumer stated when it started the negotiation (consumer side). */
  purpose?: string;
  /** Why the negotiation was terminated. */
  reason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AgreementRecord {
  agreement: Agreement;
  role: DspRole;
  negotiationId: string;
  /** The provider's DSP base (consumer side) or the consumer's callback address (provider side). */
  peerAddress: string;
  /** Accesses permitted so far, for ODRL `count`. */
  usageCount: number;
  /** xsd:dateTime of the first permitted access, for ODRL `elapsedTime`. */
  firstUseAt?: string;
  createdAt: string;
}

export interface TransferRecord {
  id: string;
  role: DspRole;
  providerPid?: string;
  consumerPid: string;
  agreementId: string;
  counterparty: string;
  peerAddress: string;
  state: TransferState;
  format: string;
  /** Consumer side: where and with which token to pull, from the TransferStartMessage. */
  dataAddress?: DataAddress;
  reason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface AuditRecord {
  seq: number;
  at: string;
  /** Who acted: a participant DID, or `operator` for the local operator. */
  actor: string;
  /** What happened, e.g. `negotiation.request.received`, `shared.access`. */
  action: string;
  outcome: 'ok' | 'refused' | 'failed';
  agreementId?: string;
  negotiationId?: string;
  transferId?: string;
  detail?: string;
  /** The DSP message sent or received, verbatim. */
  message?: unknown;
}

export type AuditInput = Omit<AuditRecord, 'seq' | 'at'> & { at?: string };

export interface AuditQuery {
  agreementId?: string;
  action?: string;
  actor?: string;
  outcome?: AuditRecord['outcome'];
  /** Only records after this sequence number. */
  after?: number;
  limit?: number;
}

export interface OnboardingRecord {
  did: string;
  name?: string;
  roles: string[];
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: string;
  decidedAt?: string;
}

export interface DataspaceStore {
  getNegotiation(role: DspRole, id: string): NegotiationRecord | undefined;
  putNegotiation(n: NegotiationRecord): void;
  listNegotiations(role?: DspRole): NegotiationRecord[];

  getAgreement(id: string): AgreementRecord | undefined;
  putAgreement(a: AgreementRecord): void;
  listAgreements(): AgreementRecord[];
  /** Counts one permitted access and returns the record as it was before. */
  recordUse(id: string, at: string): AgreementRecord | undefined;

  getTransfer(role: DspRole, id: string): TransferRecord | undefined;
  putTransfer(t: TransferRecord): void;
  listTransfers(role?: DspRole): TransferRecord[];

  audit(entry: AuditInput): AuditRecord;
  queryAudit(q: AuditQuery): AuditRecord[];

  getSetting(key: string): string | undefined;
  putSetting(key: string, value: string): void;

  getOnboarding(did: string): OnboardingRecord | undefined;
  putOnboarding(r: OnboardingRecord): void;
  listOnboarding(): OnboardingRecord[];

  /** Remembers a request id until `expiresMs`; false when it was seen before (a replay). */
  rememberRequestId(jti: string, expiresMs: number, nowMs: number): boolean;
}
