/**
 * Requests to other participants: every request is signed (a JWS over method, URL, time and body
 * digest in the `Twinbox-Signature` header), and DID documents are resolved over did:web.
 */
import { randomUUID } from 'node:crypto';
import { type DidDocument, didWebDocumentUrl, signRequest } from '../../dataspace/index.ts';
import type { Identity } from './identity.ts';

export const SIGNATURE_HEADER = 'twinbox-signature';

/** A peer that does not answer within this time is reported as unreachable, not waited for. */
const PEER_TIMEOUT_MS = 10_000;
/** DID documents change when a participant rotates its key; re-read them after this long. */
const DID_CACHE_MS = 60_000;

export interface PeerResponse {
  status: number;
  body: unknown;
  text: string;
  /** The WWW-Authenticate header of a refusal (RFC 6750 §3), if any. */
  authenticate?: string;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * did:web requires HTTPS (did:web §3.2); an instance on the loopback interface is reached over
 * plain HTTP, since that traffic never leaves the machine.
 */
export function didDocumentUrl(did: string): string | undefined {
  const url = didWebDocumentUrl(did);
  if (!url.ok) return undefined;
  const u = new URL(url.value);
  if (LOOPBACK.test(u.host)) u.protocol = 'http:';
  return u.toString();
}

export function createPeerClient(identity: Identity, now: () => Date) {
  const dids = new Map<string, { doc: DidDocument; at: number }>();

  async function send(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<PeerResponse> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const signature = signRequest(
      { issuer: identity.did, method, url, body: text, now: now().toISOString(), jti: randomUUID() },
      identity.key,
    );
    const h: Record<string, string> = {
      [SIGNATURE_HEADER]: signature,
      accept: 'application/json',
      ...headers,
    };
    if (text !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(url, {
      method,
      headers: h,
      body: text,
      signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
    });
    const answer = await res.text();
    let parsed: unknown;
    try {
      parsed = answer === '' ? undefined : JSON.parse(answer);
    } catch {
      parsed = undefined;
    }
    const authenticate = res.headers.get('www-authenticate');
    return { status: res.status, body: parsed, text: answer, ...(authenticate ? { authenticate } : {}) };
  }

  async function resolveDid(did: string, fresh = false): Promise<DidDocument | undefined> {
    if (did === identity.did) return identity.document;
    const cached = dids.get(did);
    if (cached && !fresh && Date.now() - cached.at < DID_CACHE_MS) return cached.doc;
    const url = didDocumentUrl(did);
    if (!url) return undefined;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(PEER_TIMEOUT_MS) });
      if (!res.ok) return undefined;
      const doc = (await res.json()) as DidDocument;
      if (doc.id !== did) return undefined;
      dids.set(did, { doc, at: Date.now() });
      return doc;
    } catch {
      return undefined;
    }
  }

  return { send, resolveDid };
}

export type PeerClient = ReturnType<typeof createPeerClient>;
