/**
 * Short-lived access tokens bound to a contract agreement (JWT, RFC 7519), which a provider puts in
 * the DataAddress of a TransferStartMessage for a pull transfer, and signed requests between
 * participants (a JWS over method, URL, time and body digest, in the manner of DPoP, RFC 9449 §4.2).
 */
import type { JsonWebKey } from 'node:crypto';
import { ok, type Result, refuse } from './result.ts';
import { type SigningKey, sha256Base64url, signCompact, verifyCompact } from './trust-jws.ts';

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  /** Epoch seconds (RFC 7519 §4.1.4, §4.1.6). */
  iat: number;
  exp: number;
  jti: string;
  /** The contract agreement the access is granted under. */
  agreementId: string;
  /** The transfer process it was issued for (its providerPid). */
  transferId?: string;
  /** The dataset (the agreement's target). */
  target?: string;
}

const EPOCH_S = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Issues a token for `subject` (the consumer's DID) to read `audience` (the provider's data endpoint)
 * under `agreementId` until `now + ttlS`.
 */
export function issueAccessToken(
  a: {
    issuer: string;
    subject: string;
    audience: string;
    agreementId: string;
    transferId?: string;
    target?: string;
    now: string;
    ttlS: number;
    jti: string;
  },
  key: SigningKey,
): string {
  const iat = EPOCH_S(a.now);
  const claims: AccessTokenClaims = {
    iss: a.issuer,
    sub: a.subject,
    aud: a.audience,
    iat,
    exp: iat + a.ttlS,
    jti: a.jti,
    agreementId: a.agreementId,
  };
  if (a.transferId !== undefined) claims.transferId = a.transferId;
  if (a.target !== undefined) claims.target = a.target;
  return signCompact(claims, key, 'at+jwt');
}

/** Allowed clock difference between participants, in seconds (RFC 7519 §4.1.4 "some small leeway"). */
export const CLOCK_SKEW_S = 30;

/** Verifies signature, issuer, audience, validity window and (when given) the agreement the caller expects. */
export function verifyAccessToken(
  token: string,
  expect: { issuerJwk: JsonWebKey; issuer: string; audience: string; now: string; agreementId?: string },
): Result<AccessTokenClaims> {
  const v = verifyCompact<AccessTokenClaims>(token, expect.issuerJwk);
  if (!v.ok) return refuse(`access token: ${v.reason}`);
  const c = v.value.payload;
  const now = EPOCH_S(expect.now);
  if (v.value.header.typ !== 'at+jwt') return refuse('access token: not an at+jwt');
  if (c.iss !== expect.issuer) return refuse(`access token: issued by ${c.iss}, not ${expect.issuer}`);
  if (c.aud !== expect.audience) return refuse(`access token: audience is ${c.aud}, not ${expect.audience}`);
  if (typeof c.exp !== 'number' || now >= c.exp + CLOCK_SKEW_S) {
    return refuse(`access token: expired at ${new Date(c.exp * 1000).toISOString()}`);
  }
  if (typeof c.iat !== 'number' || c.iat > now + CLOCK_SKEW_S)
    return refuse('access token: issued in the future');
  if (expect.agreementId !== undefined && c.agreementId !== expect.agreementId) {
    return refuse(`access token: bound to agreement ${c.agreementId}, not ${expect.agreementId}`);
  }
  return ok(c);
}

export interface RequestSignatureClaims {
  /** The signer's DID. */
  iss: string;
  htm: string;
  htu: string;
  iat: number;
  jti: string;
  /** base64url SHA-256 of the body bytes; absent for a request without body. */
  bodySha256?: string;
}

/** Signs an outgoing request between participants; the JWS goes in a header beside the unchanged body. */
export function signRequest(
  r: { issuer: string; method: string; url: string; body?: string | Buffer; now: string; jti: string },
  key: SigningKey,
): string {
  const claims: RequestSignatureClaims = {
    iss: r.issuer,
    htm: r.method.toUpperCase(),
    htu: r.url,
    iat: EPOCH_S(r.now),
    jti: r.jti,
  };
  if (r.body !== undefined && r.body.length > 0) claims.bodySha256 = sha256Base64url(r.body);
  return signCompact(claims, key, 'request+jwt');
}

/**
 * Verifies a signed request against what actually arrived; replay of the same `jti` within the
 * window is for the caller to reject (it holds the store of seen ids).
 */
export function verifyRequest(
  jws: string,
  r: {
    method: string;
    url: string;
    body?: string | Buffer;
    now: string;
    signerJwk: JsonWebKey;
    maxAgeS?: number;
  },
): Result<RequestSignatureClaims> {
  const v = verifyCompact<RequestSignatureClaims>(jws, r.signerJwk);
  if (!v.ok) return refuse(`request signature: ${v.reason}`);
  const c = v.value.payload;
  if (!v.value.header.kid.startsWith(`${c.iss}#`))
    return refuse(`request signature: key ${v.value.header.kid} is not ${c.iss}'s`);
  if (c.htm !== r.method.toUpperCase() || c.htu !== r.url) {
    return refuse(
      `request signature: signed for ${c.htm} ${c.htu}, received ${r.method.toUpperCase()} ${r.url}`,
    );
  }
  const digest = r.body !== undefined && r.body.length > 0 ? sha256Base64url(r.body) : undefined;
  if (c.bodySha256 !== digest) return refuse('request signature: body does not match the signed digest');
  const age = EPOCH_S(r.now) - c.iat;
  const maxAge = r.maxAgeS ?? 60;
  if (age > maxAge || age < -CLOCK_SKEW_S)
    return refuse(`request signature: signed ${age} s ago, outside ${maxAge} s`);
  return ok(c);
}
