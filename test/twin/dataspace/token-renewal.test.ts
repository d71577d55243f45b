/**
 * Access tokens are short-lived, agreements are not: between two real twinbox processes, a
 * consumer whose token has expired gets a new one under the same agreement, completes the transfer
 * it replaces, and reads on. Both connectors' clocks are moved ahead together (connector-server.ts
 * --clock-file), so the token expires without the test waiting for it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLOCK_SKEW_S } from '../../../src/dataspace/index.ts';
import { freePort, json, negotiateAndTransfer, startTwin, type TwinProcess } from './helpers.ts';

const PURPOSE = 'heat planning';
const TOKEN_TTL_S = 60;
let root: string;
let clockFile: string;
let provider: TwinProcess;
let consumer: TwinProcess;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'twinbox-token-'));
  clockFile = join(root, 'clock');
  writeFileSync(clockFile, '0');
  const [pp, cp] = [await freePort(), await freePort()];
  const providerDir = join(root, 'provider');
  const consumerDir = join(root, 'consumer');
  mkdirSync(providerDir);
  mkdirSync(consumerDir);
  writeFileSync(
    join(providerDir, 'publish.json'),
    JSON.stringify({
      participant: 'provider',
      publisher: 'Test City',
      governance: { authority: 'self', approve: ['consumer'] },
      accessTokenTtlS: TOKEN_TTL_S,
      datasets: [
        {
          name: 'buildings',
          title: 'Buildings',
          description: 'Buildings as NGSI-LD entities',
          entityTypes: ['Building'],
          theme: 'ENER',
          license: 'http://publications.europa.eu/resource/authority/licence/CC_BY_4_0',
          offers: [
            {
              name: 'planning',
              permission: [
                {
                  action: 'use',
                  constraint: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: PURPOSE }],
                },
              ],
            },
          ],
        },
      ],
    }),
  );
  writeFileSync(
    join(consumerDir, 'publish.json'),
    JSON.stringify({ participant: 'consumer', governance: { authority: 'provider' } }),
  );
  [provider, consumer] = await Promise.all([
    startTwin(pp, providerDir, [`consumer=http://127.0.0.1:${cp}`], clockFile),
    startTwin(cp, consumerDir, [`provider=http://127.0.0.1:${pp}`], clockFile),
  ]);
  const r = await json('POST', `${provider.url}/ngsi-ld/v1/entities`, {
    id: 'urn:ngsi-ld:Building:token-1',
    type: 'Building',
    name: { type: 'Property', value: 'Town hall' },
  });
  assert.equal(r.status, 201, r.text);
});

after(async () => {
  await Promise.all([provider?.stop(), consumer?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

const read = (agreementId: string) =>
  json(
    'GET',
    `${consumer.url}/twinbox/v1/federation/entities?agreementId=${encodeURIComponent(agreementId)}&type=Building&purpose=${encodeURIComponent(PURPOSE)}`,
  );

test('an expired access token is replaced once under the same agreement, and the reads go on', async () => {
  const { agreementId, transferId } = await negotiateAndTransfer(
    consumer,
    provider,
    'urn:twinbox:provider:dataset:buildings',
    'urn:twinbox:provider:offer:buildings:planning',
    PURPOSE,
  );
  const first = await read(agreementId);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(
    (first.body as Array<{ id: string }>).map((e) => e.id),
    ['urn:ngsi-ld:Building:token-1'],
  );

  // past the token's lifetime and the allowed clock difference; three reads at once share one renewal
  writeFileSync(clockFile, String(TOKEN_TTL_S + CLOCK_SKEW_S + 5));
  const later = await Promise.all([read(agreementId), read(agreementId), read(agreementId)]);
  for (const r of later) {
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      (r.body as Array<{ id: string }>).map((e) => e.id),
      ['urn:ngsi-ld:Building:token-1'],
    );
  }

  const transfers = (await json('GET', `${consumer.url}/twinbox/v1/transfers`)).body as Array<{
    id: string;
    agreementId: string;
    state: string;
  }>;
  const ours = transfers.filter((t) => t.agreementId === agreementId);
  assert.equal(ours.length, 2, JSON.stringify(ours));
  const renewed = ours.find((t) => t.id !== transferId)!;
  assert.equal(renewed.state, 'STARTED');
  // the replaced transfer is completed on both sides
  assert.equal(ours.find((t) => t.id === transferId)?.state, 'COMPLETED');
  const providerSide = (await json('GET', `${provider.url}/twinbox/v1/transfers`)).body as Array<{
    consumerPid: string;
    state: string;
  }>;
  assert.equal(providerSide.find((t) => t.consumerPid === transferId)?.state, 'COMPLETED');
  assert.equal(providerSide.find((t) => t.consumerPid === renewed.id)?.state, 'STARTED');

  type AuditRow = { action: string; outcome: string; detail?: string; transferId?: string };
  const consumerAudit = (await json('GET', `${consumer.url}/twinbox/v1/audit`)).body as AuditRow[];
  const renewal = consumerAudit.find((a) => a.action === 'shared.token.renewed');
  assert.equal(renewal?.transferId, renewed.id);
  const providerAudit = (await json('GET', `${provider.url}/twinbox/v1/audit`)).body as AuditRow[];
  assert.ok(
    providerAudit.some(
      (a) =>
        a.action === 'shared.access' &&
        a.outcome === 'refused' &&
        /access token: expired/.test(a.detail ?? ''),
    ),
    'the provider refused the expired token before the renewal',
  );
});
