/**
 * A governance authority's trust list: the participants it has onboarded into the data space, with
 * their roles and validity (the role SIMPL's governance authority plays). Signed as a compact JWS so
 * any participant can check a peer without asking the authority each time.
 */
import type { JsonWebKey } from 'node:crypto';
import { ok, type Result, refuse } from './result.ts';
import { type SigningKey, signCompact, verifyCompact } from './trust-jws.ts';

export interface TrustedParticipant {
  did: string;
  name?: string;
  /** Roles in the data space, e.g. `provider`, `consumer`, `governance-authority`. */
  roles: string[];
  /** xsd:dateTime bounds of the membership. */
  validFrom: string;
  validUntil: string;
}

export interface TrustList {
  /** The authority's DID. */
  issuer: string;
  /** xsd:dateTime of this version. */
  issued: string;
  participants: TrustedParticipant[];
}

export function emptyTrustList(issuer: string, issued: string): TrustList {
  return { issuer, issued, participants: [] };
}

/** Adds or replaces a participant; returns a new list (the authority stores versions, not edits). */
export function onboard(list: TrustList, participant: TrustedParticipant, issued: string): Result<TrustList> {
  const from = Date.parse(participant.validFrom);
  const until = Date.parse(participant.validUntil);
  if (Number.isNaN(from) || Number.isNaN(until))
    return refuse(`${participant.did}: validity is not xsd:dateTime`);
  if (until <= from) return refuse(`${participant.did}: validUntil must be after validFrom`);
  if (!participant.did.startsWith('did:')) return refuse(`${participant.did} is not a DID`);
  const participants = list.participants.filter((p) => p.did !== participant.did).concat(participant);
  return ok({ ...list, issued, participants });
}

export function offboard(list: TrustList, did: string, issued: string): TrustList {
  return { ...list, issued, participants: list.participants.filter((p) => p.did !== did) };
}

/**
 * Whether `did` is a member at `now` (and holds `role`, when given); the refusal says which check failed.
 *
 * @example checkParticipant(list, 'did:web:bologna.example', '2025-05-01T10:00:00Z', 'consumer')
 */
export function checkParticipant(
  list: TrustList,
  did: string,
  now: string,
  role?: string,
): Result<TrustedParticipant> {
  const p = list.participants.find((x) => x.did === did);
  if (!p) return refuse(`${did} is not on the trust list of ${list.issuer}`);
  const t = Date.parse(now);
  if (t < Date.parse(p.validFrom)) return refuse(`${did} is onboarded only from ${p.validFrom}`);
  if (t >= Date.parse(p.validUntil)) return refuse(`${did}'s membership expired at ${p.validUntil}`);
  if (role !== undefined && !p.roles.includes(role)) return refuse(`${did} does not hold the role ${role}`);
  return ok(p);
}

export function signTrustList(list: TrustList, authority: SigningKey): string {
  return signCompact(list, authority, 'trust-list+jwt');
}

/** Verifies a signed trust list with the authority's key and that the authority issued it. */
export function verifyTrustList(
  jws: string,
  authorityDid: string,
  authorityJwk: JsonWebKey,
): Result<TrustList> {
  const v = verifyCompact<TrustList>(jws, authorityJwk);
  if (!v.ok) return v;
  if (v.value.payload.issuer !== authorityDid)
    return refuse(`trust list is issued by ${v.value.payload.issuer}, not ${authorityDid}`);
  if (!v.value.header.kid.startsWith(`${authorityDid}#`))
    return refuse(`trust list is signed with ${v.value.header.kid}`);
  return ok(v.value.payload);
}
