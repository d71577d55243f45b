/**
 * JSON Web Signatures (RFC 7515) in compact and detached form, with Ed25519 (`EdDSA`, RFC 8037) or
 * P-256 (`ES256`, RFC 7518 §3.4) keys, built on node:crypto so no token library is trusted with keys.
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject, sign, verify } from 'node:crypto';
import { ok, type Result, refuse } from './result.ts';

export type JwsAlgorithm = 'EdDSA' | 'ES256';

export interface JwsHeader {
  alg: JwsAlgorithm;
  kid: string;
  typ?: string;
  /** RFC 7797: `false` for a detached, unencoded payload. */
  b64?: boolean;
  crit?: string[];
}

/** A participant's signing key: the private key stays in the caller's hands, the JWK is published. */
export interface SigningKey {
  kid: string;
  alg: JwsAlgorithm;
  privateKey: KeyObject;
  publicJwk: JsonWebKey;
}

/**
 * Wraps a key pair from `crypto.generateKeyPairSync('ed25519')` or `('ec', { namedCurve: 'P-256' })`.
 *
 * @example signingKey(generateKeyPairSync('ed25519'), 'did:web:leipzig.example#key-1')
 */
export function signingKey(pair: { publicKey: KeyObject; privateKey: KeyObject }, kid: string): SigningKey {
  const publicJwk = pair.publicKey.export({ format: 'jwk' });
  const alg = algorithmOf(publicJwk);
  // A wrong key type is a configuration bug, caught at start-up, not an expected failure.
  if (!alg) throw new Error(`unsupported key type ${publicJwk.kty}/${publicJwk.crv}: use Ed25519 or P-256`);
  return { kid, alg, privateKey: pair.privateKey, publicJwk };
}

function algorithmOf(jwk: JsonWebKey): JwsAlgorithm | undefined {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  return undefined;
}

export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export function sha256Base64url(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('base64url');
}

function rawSign(alg: JwsAlgorithm, input: Buffer, key: KeyObject): Buffer {
  // JWS ES256 wants the raw r||s signature (RFC 7518 §3.4), not node's default DER.
  return alg === 'EdDSA' ? sign(null, input, key) : sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
}

function rawVerify(alg: JwsAlgorithm, input: Buffer, jwk: JsonWebKey, signature: Buffer): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return false;
  }
  return alg === 'EdDSA'
    ? verify(null, input, key, signature)
    : verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** A compact JWS over a JSON payload (a JWT when the payload holds registered claims). */
export function signCompact(payload: object, key: SigningKey, typ = 'JWT'): string {
  const header: JwsHeader = { alg: key.alg, kid: key.kid, typ };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${rawSign(key.alg, Buffer.from(input), key.privateKey).toString('base64url')}`;
}

/** The header of a compact or detached JWS, unverified: to pick the key by `kid`. */
export function peekHeader(jws: string): Result<JwsHeader> {
  try {
    const header = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8')) as JwsHeader;
    if (header.alg !== 'EdDSA' && header.alg !== 'ES256')
      return refuse(`unsupported JWS alg ${String(header.alg)}`);
    if (typeof header.kid !== 'string') return refuse('JWS header has no kid');
    return ok(header);
  } catch {
    return refuse('JWS header is not base64url JSON');
  }
}

/** Verifies a compact JWS with the signer's public JWK and returns its header and JSON payload. */
export function verifyCompact<T = Record<string, unknown>>(
  jws: string,
  publicJwk: JsonWebKey,
): Result<{ header: JwsHeader; payload: T }> {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] === '') return refuse('not a compact JWS');
  const header = peekHeader(jws);
  if (!header.ok) return header;
  if (header.value.alg !== algorithmOf(publicJwk))
    return refuse(`JWS alg ${header.value.alg} does not match the key`);
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!rawVerify(header.value.alg, input, publicJwk, Buffer.from(parts[2], 'base64url'))) {
    return refuse('JWS signature does not verify');
  }
  try {
    return ok({
      header: header.value,
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as T,
    });
  } catch {
    return refuse('JWS payload is not JSON');
  }
}

/**
 * A detached JWS with an unencoded payload (RFC 7797 with RFC 7515 Appendix F): `header..signature`,
 * sent beside an HTTP body so the body travels as is and is signed byte for byte.
 */
export function signDetached(body: string | Buffer, key: SigningKey): string {
  const header: JwsHeader = { alg: key.alg, kid: key.kid, b64: false, crit: ['b64'] };
  const protectedHeader = base64url(JSON.stringify(header));
  const input = Buffer.concat([Buffer.from(`${protectedHeader}.`), Buffer.from(body)]);
  return `${protectedHeader}..${rawSign(key.alg, input, key.privateKey).toString('base64url')}`;
}

export function verifyDetached(jws: string, body: string | Buffer, publicJwk: JsonWebKey): Result<JwsHeader> {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] !== '') return refuse('not a detached JWS');
  const header = peekHeader(jws);
  if (!header.ok) return header;
  if (header.value.b64 !== false) return refuse('detached JWS must declare b64: false');
  if (header.value.alg !== algorithmOf(publicJwk))
    return refuse(`JWS alg ${header.value.alg} does not match the key`);
  const input = Buffer.concat([Buffer.from(`${parts[0]}.`), Buffer.from(body)]);
  if (!rawVerify(header.value.alg, input, publicJwk, Buffer.from(parts[2], 'base64url'))) {
    return refuse('detached JWS signature does not verify against the body');
  }
  return ok(header.value);
}
