import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import {
  checkParticipant,
  didDocument,
  didWeb,
  didWebDocumentUrl,
  emptyTrustList,
  issueAccessToken,
  offboard,
  onboard,
  peekHeader,
  type SigningKey,
  signCompact,
  signDetached,
  signingKey,
  signRequest,
  signTrustList,
  verificationKey,
  verifyAccessToken,
  verifyCompact,
  verifyDetached,
  verifyRequest,
  verifyTrustList,
} from '../../src/dataspace/index.ts';

const LEIPZIG = didWeb('leipzig.twinbox.example');
const BOLOGNA = didWeb('bologna.twinbox.example');
const AUTHORITY = didWeb('governance.twinbox.example');

function keys(did: string, kind: 'ed25519' | 'p256' = 'ed25519'): SigningKey {
  const pair =
    kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signingKey(pair, `${did}#key-1`);
}

test('did:web names and document locations follow the did:web method', () => {
  assert.equal(LEIPZIG, 'did:web:leipzig.twinbox.example');
  assert.equal(didWeb('localhost:8443', ['cities', 'leipzig']), 'did:web:localhost%3A8443:cities:leipzig');
  assert.deepEqual(didWebDocumentUrl(LEIPZIG), {
    ok: true,
    value: 'https://leipzig.twinbox.example/.well-known/did.json',
  });
  assert.deepEqual(didWebDocumentUrl('did:web:localhost%3A8443:cities:leipzig'), {
    ok: true,
    value: 'https://localhost:8443/cities/leipzig/did.json',
  });
  assert.equal(didWebDocumentUrl('did:key:z6Mk').ok, false);
});

test('the DID document publishes only the public key and the DSP catalogue service', () => {
  const key = keys(LEIPZIG);
  const doc = didDocument({
    did: LEIPZIG,
    publicJwk: { ...key.publicJwk, d: 'secret' },
    catalogEndpoint: 'https://leipzig.twinbox.example/dsp/catalog',
  });
  assert.equal(doc.verificationMethod[0].id, key.kid);
  assert.equal('d' in doc.verificationMethod[0].publicKeyJwk, false);
  assert.deepEqual(doc.authentication, [key.kid]);
  assert.equal(doc.service?.[0].type, 'CatalogService');
  assert.deepEqual(verificationKey(doc, key.kid), {
    ok: true,
    value: doc.verificationMethod[0].publicKeyJwk,
  });
  assert.equal(verificationKey(doc, `${BOLOGNA}#key-1`).ok, false);
});

for (const kind of ['ed25519', 'p256'] as const) {
  test(`compact and detached JWS sign and verify with ${kind}`, () => {
    const key = keys(LEIPZIG, kind);
    const jws = signCompact({ hello: 'world' }, key);
    assert.equal(peekHeader(jws).ok, true);
    const v = verifyCompact(jws, key.publicJwk);
    assert.ok(v.ok);
    assert.deepEqual(v.value.payload, { hello: 'world' });
    assert.equal(v.value.header.alg, kind === 'ed25519' ? 'EdDSA' : 'ES256');

    const other = keys(BOLOGNA, kind);
    assert.deepEqual(verifyCompact(jws, other.publicJwk), {
      ok: false,
      reason: 'JWS signature does not verify',
    });
    const [h, p, s] = jws.split('.');
    const forged = `${h}.${Buffer.from('{"hello":"mars"}').toString('base64url')}.${s}`;
    assert.equal(verifyCompact(forged, key.publicJwk).ok, false);
    assert.equal(verifyCompact(`${h}.${p}`, key.publicJwk).ok, false);

    const body = '{"@type":"ContractRequestMessage"}';
    const detached = signDetached(body, key);
    assert.equal(detached.split('.')[1], '');
    assert.equal(verifyDetached(detached, body, key.publicJwk).ok, true);
    assert.equal(verifyDetached(detached, `${body} `, key.publicJwk).ok, false);
  });
}

test('a key of another algorithm than the header says is refused', () => {
  const ed = keys(LEIPZIG);
  const ec = keys(LEIPZIG, 'p256');
  const v = verifyCompact(signCompact({ a: 1 }, ed), ec.publicJwk);
  assert.deepEqual(v, { ok: false, reason: 'JWS alg EdDSA does not match the key' });
});

test('trust list: onboarding, validity, roles, offboarding and the signed list', () => {
  const authority = keys(AUTHORITY);
  const t0 = '2025-01-01T00:00:00Z';
  const added = onboard(
    emptyTrustList(AUTHORITY, t0),
    { did: BOLOGNA, name: 'Bologna', roles: ['consumer'], validFrom: t0, validUntil: '2026-01-01T00:00:00Z' },
    t0,
  );
  assert.ok(added.ok);
  const list = added.value;
  assert.equal(checkParticipant(list, BOLOGNA, '2025-06-01T00:00:00Z', 'consumer').ok, true);
  assert.match(
    refusal(checkParticipant(list, BOLOGNA, '2025-06-01T00:00:00Z', 'provider')),
    /does not hold the role provider/,
  );
  assert.match(refusal(checkParticipant(list, BOLOGNA, '2026-01-01T00:00:00Z')), /membership expired/);
  assert.match(refusal(checkParticipant(list, BOLOGNA, '2024-12-31T23:59:59Z')), /onboarded only from/);
  assert.match(refusal(checkParticipant(list, LEIPZIG, '2025-06-01T00:00:00Z')), /not on the trust list/);
  assert.equal(checkParticipant(offboard(list, BOLOGNA, t0), BOLOGNA, '2025-06-01T00:00:00Z').ok, false);
  assert.equal(onboard(list, { did: LEIPZIG, roles: [], validFrom: t0, validUntil: t0 }, t0).ok, false);

  const signed = signTrustList(list, authority);
  assert.deepEqual(verifyTrustList(signed, AUTHORITY, authority.publicJwk), { ok: true, value: list });
  const impostor = keys(LEIPZIG);
  assert.equal(verifyTrustList(signTrustList(list, impostor), AUTHORITY, impostor.publicJwk).ok, false);
});

test('access tokens are bound to an agreement, an audience and a lifetime', () => {
  const provider = keys(LEIPZIG);
  const token = issueAccessToken(
    {
      issuer: LEIPZIG,
      subject: BOLOGNA,
      audience: 'https://leipzig.twinbox.example/ngsi-ld/v1',
      agreementId: 'urn:uuid:agreement-1',
      transferId: 'urn:uuid:transfer-1',
      now: '2025-05-01T10:00:00Z',
      ttlS: 300,
      jti: 'urn:uuid:token-1',
    },
    provider,
  );
  const expect = {
    issuerJwk: provider.publicJwk,
    issuer: LEIPZIG,
    audience: 'https://leipzig.twinbox.example/ngsi-ld/v1',
    now: '2025-05-01T10:04:00Z',
    agreementId: 'urn:uuid:agreement-1',
  };
  const v = verifyAccessToken(token, expect);
  assert.ok(v.ok);
  assert.equal(v.value.sub, BOLOGNA);
  assert.equal(v.value.exp - v.value.iat, 300);
  assert.match(
    refusal(verifyAccessToken(token, { ...expect, now: '2025-05-01T10:05:30Z' })),
    /expired at 2025-05-01T10:05:00/,
  );
  assert.match(
    refusal(verifyAccessToken(token, { ...expect, agreementId: 'urn:uuid:other' })),
    /bound to agreement/,
  );
  assert.match(refusal(verifyAccessToken(token, { ...expect, audience: 'https://x.example' })), /audience/);
  assert.match(
    refusal(verifyAccessToken(token, { ...expect, issuerJwk: keys(BOLOGNA).publicJwk })),
    /does not verify/,
  );
  assert.match(refusal(verifyAccessToken(signCompact({ iss: LEIPZIG }, provider), expect)), /not an at\+jwt/);
});

test('signed requests bind method, URL, body and time', () => {
  const bologna = keys(BOLOGNA);
  const body = JSON.stringify({ '@type': 'CatalogRequestMessage' });
  const url = 'https://leipzig.twinbox.example/dsp/catalog/request';
  const jws = signRequest(
    { issuer: BOLOGNA, method: 'post', url, body, now: '2025-05-01T10:00:00Z', jti: 'n1' },
    bologna,
  );
  const arrived = { method: 'POST', url, body, now: '2025-05-01T10:00:05Z', signerJwk: bologna.publicJwk };
  assert.equal(verifyRequest(jws, arrived).ok, true);
  assert.match(refusal(verifyRequest(jws, { ...arrived, body: `${body} ` })), /body does not match/);
  assert.match(refusal(verifyRequest(jws, { ...arrived, url: `${url}x` })), /signed for POST/);
  assert.match(refusal(verifyRequest(jws, { ...arrived, now: '2025-05-01T10:02:00Z' })), /outside 60 s/);
  const get = signRequest(
    { issuer: BOLOGNA, method: 'GET', url, now: '2025-05-01T10:00:00Z', jti: 'n2' },
    bologna,
  );
  assert.equal(verifyRequest(get, { ...arrived, method: 'GET', body: undefined }).ok, true);
  const stolen = signRequest(
    { issuer: LEIPZIG, method: 'GET', url, now: '2025-05-01T10:00:00Z', jti: 'n3' },
    bologna,
  );
  assert.match(
    refusal(verifyRequest(stolen, { ...arrived, method: 'GET', body: undefined })),
    /is not did:web:leipzig/,
  );
});

function refusal(r: { ok: true } | { ok: false; reason: string }): string {
  assert.equal(r.ok, false);
  return r.ok ? '' : r.reason;
}
