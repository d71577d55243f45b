/**
 * Participant identity as a `did:web` DID (W3C did:web Method Specification) whose document
 * publishes the participant's verification key and its DSP catalogue endpoint.
 */
import type { JsonWebKey } from 'node:crypto';
import { DSP_CONTEXT } from './dsp.ts';
import { ok, type Result, refuse } from './result.ts';

export interface VerificationMethod {
  id: string;
  type: 'JsonWebKey2020';
  controller: string;
  publicKeyJwk: JsonWebKey;
}

/** A DID service entry; DSP 2025-1 §Catalog Protocol "DID Service" types the catalogue endpoint `CatalogService`. */
export interface DidService {
  '@context'?: string[];
  id: string;
  type: string;
  serviceEndpoint: string;
}

export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: VerificationMethod[];
  authentication: string[];
  assertionMethod: string[];
  service?: DidService[];
}

/**
 * The did:web for a host and optional path (did:web §3.2: the port's colon is percent-encoded,
 * path segments are joined with colons).
 *
 * @example didWeb('leipzig.twinbox.example') // 'did:web:leipzig.twinbox.example'
 */
export function didWeb(host: string, path: string[] = []): string {
  return ['did:web', encodeURIComponent(host.toLowerCase()), ...path.map(encodeURIComponent)].join(':');
}

/** Where a did:web document is served (did:web §3.2 Read): `/.well-known/did.json` or `<path>/did.json`. */
export function didWebDocumentUrl(did: string): Result<string> {
  const m = /^did:web:([^:]+)((?::[^:]+)*)$/.exec(did);
  if (!m) return refuse(`${did} is not a did:web DID`);
  const host = decodeURIComponent(m[1]);
  if (host.includes('/')) return refuse(`${did}: the host must not contain '/'`);
  const path = m[2] ? m[2].slice(1).split(':').map(decodeURIComponent) : [];
  return ok(`https://${host}/${path.length ? `${path.join('/')}/did.json` : '.well-known/did.json'}`);
}

/**
 * The participant's DID document: one key for authentication and assertions (signed requests,
 * access tokens) and, when given, the DSP catalogue service.
 */
export function didDocument(a: {
  did: string;
  publicJwk: JsonWebKey;
  keyId?: string;
  catalogEndpoint?: string;
}): DidDocument {
  const kid = `${a.did}#${a.keyId ?? 'key-1'}`;
  const doc: DidDocument = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: a.did,
    verificationMethod: [
      { id: kid, type: 'JsonWebKey2020', controller: a.did, publicKeyJwk: publicOnly(a.publicJwk) },
    ],
    authentication: [kid],
    assertionMethod: [kid],
  };
  if (a.catalogEndpoint !== undefined) {
    doc.service = [
      {
        '@context': [DSP_CONTEXT, 'https://www.w3.org/ns/did/v1'],
        id: `${a.did}#dsp-catalog`,
        type: 'CatalogService',
        serviceEndpoint: a.catalogEndpoint,
      },
    ];
  }
  return doc;
}

/** Keeps only public members, so a private JWK handed in by mistake is never published. */
function publicOnly(jwk: JsonWebKey): JsonWebKey {
  const { kty, crv, x, y } = jwk;
  const out: JsonWebKey = { kty, crv, x };
  if (y !== undefined) out.y = y;
  return out;
}

/** The key a `kid` names in a DID document, if the document controls it (did-core §5.2). */
export function verificationKey(doc: DidDocument, kid: string): Result<JsonWebKey> {
  if (!kid.startsWith(`${doc.id}#`)) return refuse(`key ${kid} does not belong to ${doc.id}`);
  const method = doc.verificationMethod.find((m) => m.id === kid && m.controller === doc.id);
  if (!method) return refuse(`${doc.id} publishes no key ${kid}`);
  return ok(method.publicKeyJwk);
}
