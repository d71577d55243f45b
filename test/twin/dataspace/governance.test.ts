/**
 * Onboarding into the data space with real servers on loopback: a participant the authority's
 * operator has not approved is refused everywhere until the operator approves it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/http/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { dataspacePlugin, parsePublication } from '../../../src/twin/dataspace/index.ts';
import { freePort, json } from './helpers.ts';

async function instance(
  dir: string,
  port: number,
  publish: unknown,
): Promise<{ app: FastifyInstance; url: string }> {
  mkdirSync(dir, { recursive: true });
  const store = openStore({ engine: 'sqlite', path: join(dir, 'twin.sqlite') });
  const url = `http://127.0.0.1:${port}`;
  const publication = parsePublication(publish, 'test');
  const app = await buildApp({
    store,
    publicUrl: url,
    logLevel: 'silent',
    plugins: [dataspacePlugin({ store, dataDir: dir, publicUrl: url, publication })],
  });
  app.addHook('onClose', async () => store.close());
  await app.listen({ port, host: '127.0.0.1' });
  return { app, url };
}

/** The consumer asks the provider's catalogue through its connector. */
const catalogue = (consumer: string, provider: string) =>
  json('GET', `${consumer}/twinbox/v1/federation/catalogue?provider=${encodeURIComponent(provider)}`);

/** The authority's operator approves a participant's onboarding. */
const approve = (authority: string, did: string) =>
  json('POST', `${authority}/twinbox/v1/governance/onboarding/${encodeURIComponent(did)}/approve`);

test('an unapproved participant is pending and refused; after the operator approves it, it is served', async () => {
  const root = mkdtempSync(join(tmpdir(), 'twinbox-governance-'));
  const [ap, pp] = [await freePort(), await freePort()];
  const authority = await instance(join(root, 'a'), ap, { participant: 'authority', datasets: [] });
  const newcomer = await instance(join(root, 'n'), pp, {
    participant: 'newcomer',
    governance: { authority: `http://127.0.0.1:${ap}` },
  });
  try {
    const did = `did:web:127.0.0.1%3A${pp}`;
    const before = await catalogue(newcomer.url, authority.url);
    assert.equal(before.status, 403);
    assert.match(
      before.body.detail as string,
      /not on the trust list of .* yet: the onboarding request awaits approval/,
    );

    const pending = await json('GET', `${authority.url}/twinbox/v1/governance/onboarding`);
    assert.deepEqual(
      (pending.body as { did: string; status: string }[]).map((r) => [r.did, r.status]),
      [[did, 'pending']],
    );
    const list = await json('GET', `${authority.url}/twinbox/v1/governance/trust-list`);
    assert.ok(!(list.body.participants as { did: string }[]).some((p) => p.did === did));

    const approved = await approve(authority.url, did);
    assert.equal(approved.status, 200, approved.text);
    const after = await catalogue(newcomer.url, authority.url);
    assert.equal(after.status, 200, after.text);
    assert.equal(after.body.participantId, `did:web:127.0.0.1%3A${ap}`);

    const audit = await json('GET', `${authority.url}/twinbox/v1/audit?action=governance`);
    const steps = (audit.body as { action: string; outcome: string }[]).map(
      (r) => `${r.action} ${r.outcome}`,
    );
    for (const step of [
      'governance.onboarding refused',
      'governance.approve ok',
      'governance.onboarding ok',
    ]) {
      assert.ok(steps.includes(step), `audit has ${step}: ${steps.join(', ')}`);
    }
  } finally {
    await newcomer.app.close();
    await authority.app.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('an authority started again on another port issues its trust list under its new identity', async () => {
  const root = mkdtempSync(join(tmpdir(), 'twinbox-governance-'));
  const [ap1, ap2, pp] = [await freePort(), await freePort(), await freePort()];
  const dir = join(root, 'a');
  const publish = { participant: 'authority', datasets: [] };
  const apps: FastifyInstance[] = [];
  const issuer = (body: Record<string, unknown>) =>
    JSON.parse(Buffer.from((body.trustList as string).split('.')[1], 'base64url').toString()).issuer;
  try {
    const first = await instance(dir, ap1, publish);
    apps.push(first.app);
    const old = await json('GET', `${first.url}/twinbox/v1/governance/trust-list`);
    assert.equal(issuer(old.body), `did:web:127.0.0.1%3A${ap1}`);
    await apps.pop()?.close();
    const authority = await instance(dir, ap2, publish);
    apps.push(authority.app);
    const newcomer = await instance(join(root, 'n'), pp, {
      participant: 'newcomer',
      governance: { authority: authority.url },
    });
    apps.push(newcomer.app);
    const list = await json('GET', `${authority.url}/twinbox/v1/governance/trust-list`);
    assert.equal(issuer(list.body), `did:web:127.0.0.1%3A${ap2}`);
    const roles = (list.body.participants as { did: string; roles: string[] }[]).find(
      (p) => p.did === `did:web:127.0.0.1%3A${ap2}`,
    )?.roles;
    assert.ok(roles?.includes('governance-authority'));
    // the newcomer asks to be onboarded (refused until approved), then is served
    await catalogue(newcomer.url, authority.url);
    const did = `did:web:127.0.0.1%3A${pp}`;
    const approved = await approve(authority.url, did);
    assert.equal(approved.status, 200, approved.text);
    const after = await catalogue(newcomer.url, authority.url);
    assert.equal(after.status, 200, after.text);
  } finally {
    for (const app of apps.reverse()) await app.close();
    rmSync(root, { recursive: true, force: true });
  }
});
