/**
 * The participant's identity: an Ed25519 key pair kept in the instance's data folder (made on first
 * start, readable by the owner only) and the did:web DID of the instance's public URL.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DidDocument, didDocument, didWeb, type SigningKey, signingKey } from '../../dataspace/index.ts';

export interface Identity {
  did: string;
  key: SigningKey;
  document: DidDocument;
}

export const KEY_FILE = 'dataspace-key.jwk.json';

/** The did:web of an instance URL: host and port, with the port's colon percent-encoded (did:web §3.2). */
export function didForUrl(url: string): string {
  return didWeb(new URL(url).host);
}

export function loadOrCreateIdentity(dataDir: string, publicUrl: string, catalogEndpoint: string): Identity {
  const file = join(dataDir, KEY_FILE);
  let privateJwk: JsonWebKey;
  if (existsSync(file)) {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JsonWebKey;
  } else {
    mkdirSync(dataDir, { recursive: true });
    privateJwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    // 0600: the private key is the participant's identity in the data space.
    writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const did = didForUrl(publicUrl);
  const key = signingKey({ publicKey, privateKey }, `${did}#key-1`);
  return { did, key, document: didDocument({ did, publicJwk: key.publicJwk, catalogEndpoint }) };
}
