/**
 * Dataspace Protocol 2025-1 messages (https://eclipse-dataspace-protocol-base.github.io/DataspaceProtocol/2025-1-err1/):
 * the catalog, contract negotiation and transfer process message types, and builders that produce
 * exactly what the DSP JSON Schemas accept. Builders take ids from the caller: the core makes none up.
 */
import type { Duty, Permission, Policy, Prohibition } from './odrl.ts';

export const DSP_CONTEXT = 'https://w3id.org/dspace/2025/1/context.jsonld';
export const DSP_VERSION = '2025-1';

type Context = { '@context': string[] };

function context(extra: string[] = []): string[] {
  return [DSP_CONTEXT, ...extra.filter((c) => c !== DSP_CONTEXT)];
}

/** An Offer as it sits in a catalogue (contract-schema `Offer`: no `target`, the dataset is the target). */
export interface CatalogOffer {
  '@id': string;
  '@type': 'Offer';
  profile?: string | string[];
  permission?: Permission[];
  prohibition?: Prohibition[];
  obligation?: Duty[];
}

/** An Offer inside a negotiation message (contract-schema `MessageOffer`). */
export interface MessageOffer extends CatalogOffer {
  target: string;
}

export interface Agreement {
  '@id': string;
  '@type': 'Agreement';
  target: string;
  assigner: string;
  assignee: string;
  /** xsd:dateTime the agreement was concluded. */
  timestamp?: string;
  profile?: string | string[];
  permission?: Permission[];
  prohibition?: Prohibition[];
  obligation?: Duty[];
}

/** An Offer or Agreement as an ODRL policy the evaluator reads. */
export function asPolicy(p: CatalogOffer | MessageOffer | Agreement): Policy {
  return p as Policy;
}

// Catalog protocol (catalog.protocol.md)

export interface DataService {
  '@id': string;
  '@type': 'DataService';
  endpointURL: string;
  servesDataset?: { '@id': string }[];
}

export interface DspDistribution {
  '@type': 'Distribution';
  format: string;
  accessService: string | DataService;
  hasPolicy?: CatalogOffer[];
}

export interface DspDataset {
  '@id': string;
  '@type': 'Dataset';
  hasPolicy: CatalogOffer[];
  distribution: DspDistribution[];
  [dcatProperty: string]: unknown;
}

export interface DspCatalog {
  '@id': string;
  '@type': 'Catalog';
  dataset?: DspDataset[];
  catalog?: DspCatalog[];
  service?: DataService[];
  [dcatProperty: string]: unknown;
}

export type RootCatalog = Context & DspCatalog & { participantId: string };
export type RootDataset = Context & DspDataset;

export interface CatalogRequestMessage extends Context {
  '@type': 'CatalogRequestMessage';
  filter?: unknown[];
}

export interface DatasetRequestMessage extends Context {
  '@type': 'DatasetRequestMessage';
  dataset: string;
}

export interface CatalogError extends Context {
  '@type': 'CatalogError';
  code?: string;
  reason?: unknown[];
}

export function catalogRequestMessage(filter?: unknown[]): CatalogRequestMessage {
  const m: CatalogRequestMessage = { '@context': context(), '@type': 'CatalogRequestMessage' };
  if (filter) m.filter = filter;
  return m;
}

export function datasetRequestMessage(dataset: string): DatasetRequestMessage {
  return { '@context': context(), '@type': 'DatasetRequestMessage', dataset };
}

export function rootCatalog(
  catalog: DspCatalog,
  participantId: string,
  extraContexts?: string[],
): RootCatalog {
  return { '@context': context(extraContexts), ...catalog, participantId };
}

export function rootDataset(dataset: DspDataset, extraContexts?: string[]): RootDataset {
  return { '@context': context(extraContexts), ...dataset };
}

export function catalogError(code?: string, reason?: string[]): CatalogError {
  return withCode<CatalogError>({ '@context': context(), '@type': 'CatalogError' }, code, reason);
}

// Contract negotiation protocol (contract.negotiation.protocol.md)

export const NEGOTIATION_STATES = [
  'REQUESTED',
  'OFFERED',
  'ACCEPTED',
  'AGREED',
  'VERIFIED',
  'FINALIZED',
  'TERMINATED',
] as const;
export type NegotiationState = (typeof NEGOTIATION_STATES)[number];

interface Pids {
  providerPid: string;
  consumerPid: string;
}

export interface ContractRequestMessage extends Context {
  '@type': 'ContractRequestMessage';
  consumerPid: string;
  /** Absent on the consumer's first message: the provider has not assigned its id yet. */
  providerPid?: string;
  offer: MessageOffer;
  callbackAddress?: string;
}

export interface ContractOfferMessage extends Context {
  '@type': 'ContractOfferMessage';
  providerPid: string;
  consumerPid?: string;
  offer: MessageOffer;
  callbackAddress?: string;
}

export interface ContractAgreementMessage extends Context, Pids {
  '@type': 'ContractAgreementMessage';
  agreement: Agreement;
  callbackAddress?: string;
}

export interface ContractAgreementVerificationMessage extends Context, Pids {
  '@type': 'ContractAgreementVerificationMessage';
}

export interface ContractNegotiationEventMessage extends Context, Pids {
  '@type': 'ContractNegotiationEventMessage';
  eventType: 'ACCEPTED' | 'FINALIZED';
}

export interface ContractNegotiationTerminationMessage extends Context, Pids {
  '@type': 'ContractNegotiationTerminationMessage';
  code?: string;
  reason?: unknown[];
}

export interface ContractNegotiation extends Context, Pids {
  '@type': 'ContractNegotiation';
  state: NegotiationState;
}

export interface ContractNegotiationError extends Context, Pids {
  '@type': 'ContractNegotiationError';
  code?: string;
  reason?: unknown[];
}

export type NegotiationMessage =
  | ContractRequestMessage
  | ContractOfferMessage
  | ContractAgreementMessage
  | ContractAgreementVerificationMessage
  | ContractNegotiationEventMessage
  | ContractNegotiationTerminationMessage;

export function contractRequestMessage(a: {
  consumerPid: string;
  providerPid?: string;
  offer: MessageOffer;
  callbackAddress?: string;
}): ContractRequestMessage {
  const m: ContractRequestMessage = {
    '@context': context(),
    '@type': 'ContractRequestMessage',
    consumerPid: a.consumerPid,
    offer: a.offer,
  };
  if (a.providerPid !== undefined) m.providerPid = a.providerPid;
  if (a.callbackAddress !== undefined) m.callbackAddress = a.callbackAddress;
  return m;
}

export function contractOfferMessage(a: {
  providerPid: string;
  consumerPid?: string;
  offer: MessageOffer;
  callbackAddress?: string;
}): ContractOfferMessage {
  const m: ContractOfferMessage = {
    '@context': context(),
    '@type': 'ContractOfferMessage',
    providerPid: a.providerPid,
    offer: a.offer,
  };
  if (a.consumerPid !== undefined) m.consumerPid = a.consumerPid;
  if (a.callbackAddress !== undefined) m.callbackAddress = a.callbackAddress;
  return m;
}

/**
 * The Agreement a provider concludes from the offer the consumer requested: same rules, the
 * offer's target, the two participants, and the instant (the caller's `now`).
 */
export function agreementFromOffer(
  offer: MessageOffer,
  a: { id: string; assigner: string; assignee: string; timestamp: string },
): Agreement {
  const agreement: Agreement = {
    '@id': a.id,
    '@type': 'Agreement',
    target: offer.target,
    assigner: a.assigner,
    assignee: a.assignee,
    timestamp: a.timestamp,
  };
  if (offer.profile !== undefined) agreement.profile = offer.profile;
  if (offer.permission) agreement.permission = offer.permission;
  if (offer.prohibition) agreement.prohibition = offer.prohibition;
  if (offer.obligation) agreement.obligation = offer.obligation;
  return agreement;
}

export function contractAgreementMessage(
  pids: Pids & { agreement: Agreement; callbackAddress?: string },
): ContractAgreementMessage {
  const m: ContractAgreementMessage = {
    '@context': context(),
    '@type': 'ContractAgreementMessage',
    providerPid: pids.providerPid,
    consumerPid: pids.consumerPid,
    agreement: pids.agreement,
  };
  if (pids.callbackAddress !== undefined) m.callbackAddress = pids.callbackAddress;
  return m;
}

export function contractAgreementVerificationMessage(pids: Pids): ContractAgreementVerificationMessage {
  return { '@context': context(), '@type': 'ContractAgreementVerificationMessage', ...pick(pids) };
}

export function contractNegotiationEventMessage(
  pids: Pids,
  eventType: ContractNegotiationEventMessage['eventType'],
): ContractNegotiationEventMessage {
  return { '@context': context(), '@type': 'ContractNegotiationEventMessage', ...pick(pids), eventType };
}

export function contractNegotiationTerminationMessage(
  pids: Pids,
  code?: string,
  reason?: string[],
): ContractNegotiationTerminationMessage {
  return withCode<ContractNegotiationTerminationMessage>(
    { '@context': context(), '@type': 'ContractNegotiationTerminationMessage', ...pick(pids) },
    code,
    reason,
  );
}

/** The ACK: the negotiation as the answering party now holds it. */
export function contractNegotiation(pids: Pids, state: NegotiationState): ContractNegotiation {
  return { '@context': context(), '@type': 'ContractNegotiation', ...pick(pids), state };
}

export function contractNegotiationError(
  pids: Pids,
  code?: string,
  reason?: string[],
): ContractNegotiationError {
  return withCode<ContractNegotiationError>(
    { '@context': context(), '@type': 'ContractNegotiationError', ...pick(pids) },
    code,
    reason,
  );
}

// Transfer process protocol (transfer.process.protocol.md)

export const TRANSFER_STATES = ['REQUESTED', 'STARTED', 'SUSPENDED', 'COMPLETED', 'TERMINATED'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export interface EndpointProperty {
  '@type': 'EndpointProperty';
  name: string;
  value: string;
}

/** Where and how to fetch (pull) or deliver (push) the data, e.g. an endpoint and a bearer token. */
export interface DataAddress {
  '@type': 'DataAddress';
  endpointType: string;
  endpoint?: string;
  endpointProperties?: EndpointProperty[];
}

export interface TransferRequestMessage extends Context {
  '@type': 'TransferRequestMessage';
  consumerPid: string;
  agreementId: string;
  format: string;
  callbackAddress: string;
  dataAddress?: DataAddress;
}

export interface TransferStartMessage extends Context, Pids {
  '@type': 'TransferStartMessage';
  dataAddress?: DataAddress;
}

export interface TransferSuspensionMessage extends Context, Pids {
  '@type': 'TransferSuspensionMessage';
  code?: string;
  reason?: unknown[];
}

export interface TransferCompletionMessage extends Context, Pids {
  '@type': 'TransferCompletionMessage';
}

export interface TransferTerminationMessage extends Context, Pids {
  '@type': 'TransferTerminationMessage';
  code?: string;
  reason?: unknown[];
}

export interface TransferProcess extends Context, Pids {
  '@type': 'TransferProcess';
  state: TransferState;
}

export interface TransferError extends Context, Pids {
  '@type': 'TransferError';
  code?: string;
  reason?: unknown[];
}

export type TransferMessage =
  | TransferRequestMessage
  | TransferStartMessage
  | TransferSuspensionMessage
  | TransferCompletionMessage
  | TransferTerminationMessage;

/** A bearer-token HTTP data address (the pull transfer of issue 7: the token is bound to the agreement). */
export function httpDataAddress(endpoint: string, token?: string): DataAddress {
  const address: DataAddress = {
    '@type': 'DataAddress',
    endpointType: 'https://w3id.org/idsa/v4.1/HTTP',
    endpoint,
  };
  if (token !== undefined) {
    address.endpointProperties = [
      { '@type': 'EndpointProperty', name: 'authorization', value: token },
      { '@type': 'EndpointProperty', name: 'authType', value: 'bearer' },
    ];
  }
  return address;
}

export function transferRequestMessage(a: {
  consumerPid: string;
  agreementId: string;
  format: string;
  callbackAddress: string;
  dataAddress?: DataAddress;
}): TransferRequestMessage {
  const m: TransferRequestMessage = {
    '@context': context(),
    '@type': 'TransferRequestMessage',
    consumerPid: a.consumerPid,
    agreementId: a.agreementId,
    format: a.format,
    callbackAddress: a.callbackAddress,
  };
  if (a.dataAddress) m.dataAddress = a.dataAddress;
  return m;
}

export function transferStartMessage(pids: Pids, dataAddress?: DataAddress): TransferStartMessage {
  const m: TransferStartMessage = { '@context': context(), '@type': 'TransferStartMessage', ...pick(pids) };
  if (dataAddress) m.dataAddress = dataAddress;
  return m;
}

export function transferSuspensionMessage(
  pids: Pids,
  code?: string,
  reason?: string[],
): TransferSuspensionMessage {
  return withCode<TransferSuspensionMessage>(
    { '@context': context(), '@type': 'TransferSuspensionMessage', ...pick(pids) },
    code,
    reason,
  );
}

export function transferCompletionMessage(pids: Pids): TransferCompletionMessage {
  return { '@context': context(), '@type': 'TransferCompletionMessage', ...pick(pids) };
}

export function transferTerminationMessage(
  pids: Pids,
  code?: string,
  reason?: string[],
): TransferTerminationMessage {
  return withCode<TransferTerminationMessage>(
    { '@context': context(), '@type': 'TransferTerminationMessage', ...pick(pids) },
    code,
    reason,
  );
}

export function transferProcess(pids: Pids, state: TransferState): TransferProcess {
  return { '@context': context(), '@type': 'TransferProcess', ...pick(pids), state };
}

export function transferError(pids: Pids, code?: string, reason?: string[]): TransferError {
  return withCode<TransferError>(
    { '@context': context(), '@type': 'TransferError', ...pick(pids) },
    code,
    reason,
  );
}

// Common (common.protocol.md, "Exposure of Dataspace Protocol Versions")

export interface ProtocolVersion {
  version: string;
  path: string;
  binding: 'HTTPS';
  identifierType?: string;
  serviceId?: string;
  auth?: { protocol: string; version: string; profile?: string[] };
}

/** The `/.well-known/dspace-version` document: the versions this connector speaks and where. */
export function dspaceVersion(a: {
  path: string;
  identifierType?: string;
  serviceId?: string;
  auth?: ProtocolVersion['auth'];
}): {
  protocolVersions: ProtocolVersion[];
} {
  const v: ProtocolVersion = { version: DSP_VERSION, path: a.path, binding: 'HTTPS' };
  if (a.identifierType !== undefined) v.identifierType = a.identifierType;
  if (a.serviceId !== undefined) v.serviceId = a.serviceId;
  if (a.auth !== undefined) v.auth = a.auth;
  return { protocolVersions: [v] };
}

function pick(p: Pids): Pids {
  return { providerPid: p.providerPid, consumerPid: p.consumerPid };
}

function withCode<T extends { code?: string; reason?: unknown[] }>(
  m: T,
  code?: string,
  reason?: string[],
): T {
  if (code !== undefined) m.code = code;
  if (reason !== undefined && reason.length > 0) m.reason = reason;
  return m;
}
