/**
 * Reads the instance's data-space connector: its contract agreements, the negotiations that
 * concluded them, the transfer processes started under them, and the data a provider shares
 * under an agreement (read through the consumer's connector, which holds the access token and
 * signs the request; the browser never sees either).
 */
import { trimBase } from './instance.ts';

/** An ODRL constraint as the connector stores it: a leaf, or a logical one over others. */
export interface OdrlConstraint {
  leftOperand?: string;
  operator?: string;
  rightOperand?: unknown;
  and?: OdrlConstraint[];
  or?: OdrlConstraint[];
  xone?: OdrlConstraint[];
  andSequence?: OdrlConstraint[];
}

export interface OdrlRule {
  '@id'?: string;
  action: string;
  constraint?: OdrlConstraint[];
}

/** `GET /twinbox/v1/agreements`: one record per agreement, as provider or consumer. */
export interface AgreementRecord {
  agreement: {
    '@id': string;
    target: string;
    assigner: string;
    assignee: string;
    timestamp?: string;
    permission?: OdrlRule[];
    prohibition?: OdrlRule[];
  };
  role: 'provider' | 'consumer';
  negotiationId: string;
  /** consumer side: the provider's Dataspace Protocol base URL */
  peerAddress: string;
  usageCount: number;
  createdAt: string;
}

export interface NegotiationRecord {
  id: string;
  role: 'provider' | 'consumer';
  state: string;
  datasetId: string;
  agreementId?: string;
  purpose?: string;
  reason?: string;
}

export interface TransferRecord {
  id: string;
  role: 'provider' | 'consumer';
  agreementId: string;
  state: string;
  reason?: string;
  updatedAt: string;
}

/** What the connector answered when it refused: its detail and, from a policy, the rule. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly rule?: string,
  ) {
    super(detail);
    this.name = 'Refusal';
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { detail?: string; rule?: string };
    throw new Refusal(res.status, body.detail ?? `${res.status} ${res.statusText}`, body.rule);
  }
  return (await res.json()) as T;
}

export interface ConnectorState {
  agreements: AgreementRecord[];
  negotiations: NegotiationRecord[];
  transfers: TransferRecord[];
}

/** Agreements, negotiations and transfers of the instance at `base`; all empty without a connector. */
export async function fetchConnectorState(base: string, signal?: AbortSignal): Promise<ConnectorState> {
  const b = trimBase(base);
  const [agreements, negotiations, transfers] = await Promise.all([
    getJson<AgreementRecord[]>(`${b}/twinbox/v1/agreements`, signal),
    getJson<NegotiationRecord[]>(`${b}/twinbox/v1/negotiations`, signal),
    getJson<TransferRecord[]>(`${b}/twinbox/v1/transfers`, signal),
  ]);
  return { agreements, negotiations, transfers };
}

/** The values a leaf constraint on `operand` compares with, through logical constraints. */
export function constraintValues(rules: OdrlRule[] | undefined, operand: string): unknown[] {
  const out: unknown[] = [];
  const walk = (c: OdrlConstraint) => {
    if (localTerm(c.leftOperand ?? '') === operand) out.push(c.rightOperand);
    for (const list of [c.and, c.or, c.xone, c.andSequence]) list?.forEach(walk);
  };
  for (const r of rules ?? []) r.constraint?.forEach(walk);
  return out;
}

/** `odrl:purpose` or `http://www.w3.org/ns/odrl/2/purpose` -> `purpose` */
export function localTerm(iri: string): string {
  return iri.replace(/^.*[/#:]/, '');
}

/** Where the provider answers: its origin, from the Dataspace Protocol address the consumer keeps. */
export function providerBase(peerAddress: string): string | undefined {
  try {
    return new URL(peerAddress).origin;
  } catch {
    return undefined;
  }
}

/** A page of shared entities; NGSI-LD answers at most 1000 per request (clause 6.4.3.2). */
const SHARED_PAGE = 1000;
/** Every read counts as one use of the agreement (ODRL `count`): a bounded number of pages. */
const MAX_SHARED_PAGES = 20;

/**
 * The entities of `type` the provider shares under `agreementId` for `purpose`, normalized
 * (`GET /twinbox/v1/federation/entities` on the consumer). A refusal throws a Refusal.
 */
export async function fetchSharedEntities(
  base: string,
  q: { agreementId: string; type: string; purpose: string },
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 0; page < MAX_SHARED_PAGES; page++) {
    const params = new URLSearchParams({
      agreementId: q.agreementId,
      type: q.type,
      purpose: q.purpose,
      limit: String(SHARED_PAGE),
      offset: String(page * SHARED_PAGE),
    });
    const body = await getJson<unknown>(`${trimBase(base)}/twinbox/v1/federation/entities?${params}`, signal);
    if (!Array.isArray(body)) throw new Refusal(502, 'the provider answered something other than a list of entities');
    out.push(...(body as Record<string, unknown>[]));
    if (body.length < SHARED_PAGE) break;
  }
  return out;
}
