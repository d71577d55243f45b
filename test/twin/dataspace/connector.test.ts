/**
 * End to end between two real twinbox processes with the data-space connector: the provider (and
 * governance authority) and a consumer it onboards. Catalogue, negotiation, agreement, transfer,
 * data; the refusals (anonymous, no agreement, another purpose, another type, suspended, count,
 * expiry); the audit log; and every DSP message either side sent or answered against the schemas.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Parser } from 'n3';
import { runDataspaceDemo } from '../../../src/twin/dataspace/index.ts';
import {
  dspValidator,
  freePort,
  json,
  negotiateAndTransfer,
  SCHEMA_OF_TYPE,
  startTwin,
  type TwinProcess,
} from './helpers.ts';

const PURPOSE = 'mobility planning';
const check = dspValidator();
let root: string;
let provider: TwinProcess;
let consumer: TwinProcess;
let consumerDid: string;
/** When the `until-soon` offer lapses (dateTime constraint). */
let soonEnds: number | undefined;
let soon: { agreementId: string };

const station = (n: number) => ({
  id: `urn:ngsi-ld:EVChargingStation:test-${n}`,
  type: 'EVChargingStation',
  name: { type: 'Property', value: `Station ${n}` },
  location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [12.37 + n / 100, 51.34] } },
});

const purposeAnd = (...more: object[]) => [
  {
    action: 'use',
    constraint: [{ and: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: PURPOSE }, ...more] }],
  },
];

/** The provider's offers; `until-soon` lapses at `soonEnds` (a dateTime constraint) once that is set. */
function providerPublication() {
  const offers: object[] = [
    {
      name: 'mobility-planning',
      permission: purposeAnd({
        leftOperand: 'count',
        operator: 'lteq',
        rightOperand: { '@value': '4', '@type': 'xsd:integer' },
      }),
      prohibition: [{ action: 'distribute' }],
    },
    {
      name: 'trial',
      permission: purposeAnd({
        leftOperand: 'elapsedTime',
        operator: 'lteq',
        rightOperand: { '@value': 'PT1S', '@type': 'xsd:duration' },
      }),
    },
  ];
  if (soonEnds !== undefined) {
    offers.push({
      name: 'until-soon',
      permission: purposeAnd({
        leftOperand: 'dateTime',
        operator: 'lt',
        rightOperand: { '@value': new Date(soonEnds).toISOString(), '@type': 'xsd:dateTime' },
      }),
    });
  }
  return {
    participant: 'provider',
    publisher: 'Test City',
    governance: { authority: 'self', approve: ['consumer'] },
    accessTokenTtlS: 120,
    datasets: [
      {
        name: 'ev-charging',
        title: 'EV charging stations',
        description: 'Charging stations as NGSI-LD entities',
        entityTypes: ['EVChargingStation'],
        theme: 'TRAN',
        license: 'http://publications.europa.eu/resource/authority/licence/CC_BY_4_0',
        offers,
      },
    ],
  };
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'twinbox-dataspace-'));
  const [pp, cp] = [await freePort(), await freePort()];
  consumerDid = `did:web:127.0.0.1%3A${cp}`;
  const providerDir = join(root, 'provider');
  const consumerDir = join(root, 'consumer');
  mkdirSync(providerDir);
  mkdirSync(consumerDir);
  writeFileSync(join(providerDir, 'publish.json'), JSON.stringify(providerPublication()));
  writeFileSync(
    join(consumerDir, 'publish.json'),
    JSON.stringify({ participant: 'consumer', governance: { authority: 'provider' } }),
  );
  [provider, consumer] = await Promise.all([
    startTwin(pp, providerDir, [`consumer=http://127.0.0.1:${cp}`]),
    startTwin(cp, consumerDir, [`provider=http://127.0.0.1:${pp}`]),
  ]);
  for (const e of [
    station(1),
    station(2),
    station(3),
    { id: 'urn:ngsi-ld:Building:test-1', type: 'Building' },
  ]) {
    const r = await json('POST', `${provider.url}/ngsi-ld/v1/entities`, e);
    assert.equal(r.status, 201, r.text);
  }
  // The data owner adds an offer that lapses shortly; the running provider reads publish.json again.
  soonEnds = Date.now() + 4000;
  writeFileSync(join(providerDir, 'publish.json'), JSON.stringify(providerPublication()));
  soon = await negotiate('until-soon');
  const first = await readShared(soon.agreementId);
  assert.equal(first.status, 200, first.text);
});

after(async () => {
  await Promise.all([provider?.stop(), consumer?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

const consumerApi = (path: string) => `${consumer.url}/twinbox/v1${path}`;
const readShared = (agreementId: string, purpose = PURPOSE, type = 'EVChargingStation') =>
  json(
    'GET',
    consumerApi(
      `/federation/entities?agreementId=${encodeURIComponent(agreementId)}&type=${type}&purpose=${encodeURIComponent(purpose)}`,
    ),
  );

const negotiate = (offer: string) =>
  negotiateAndTransfer(
    consumer,
    provider,
    'urn:twinbox:provider:dataset:ev-charging',
    `urn:twinbox:provider:offer:ev-charging:${offer}`,
    PURPOSE,
  );

test('identity: did:web documents and the DSP version document', async () => {
  const did = await json('GET', `${provider.url}/.well-known/did.json`);
  assert.equal(did.status, 200);
  assert.match(did.body.id as string, /^did:web:127\.0\.0\.1%3A\d+$/);
  const service = (did.body.service as unknown[])[0];
  assert.equal(check('common/did-service-schema.json', service), undefined);
  const version = await json('GET', `${provider.url}/.well-known/dspace-version`);
  assert.equal(check('common/protocol-version-schema.json', version.body), undefined);
  assert.equal((await json('GET', `${consumer.url}/.well-known/did.json`)).body.id, consumerDid);
});

test('no anonymous cross-city access: unsigned DSP and data requests are refused', async () => {
  const r = await json('POST', `${provider.url}/dsp/catalog/request`, {
    '@context': ['https://w3id.org/dspace/2025/1/context.jsonld'],
    '@type': 'CatalogRequestMessage',
  });
  assert.equal(r.status, 401);
  assert.equal(check(SCHEMA_OF_TYPE.CatalogError, r.body), undefined);
  assert.match(String((r.body.reason as string[])[0]), /unsigned request/);
  const n = await json('POST', `${provider.url}/dsp/negotiations/request`, {});
  assert.equal(n.status, 401);
  assert.equal(check(SCHEMA_OF_TYPE.ContractNegotiationError, n.body), undefined);
});

test('catalogue: the consumer finds the provider datasets; DCAT-AP export as JSON-LD and Turtle', async () => {
  const cat = await json(
    'GET',
    consumerApi(`/federation/catalogue?provider=${encodeURIComponent(provider.url)}`),
  );
  assert.equal(cat.status, 200, cat.text);
  assert.equal(check(SCHEMA_OF_TYPE.Catalog, cat.body), undefined);
  const datasets = cat.body.dataset as { '@id': string; hasPolicy: { '@id': string }[] }[];
  assert.deepEqual(
    datasets.map((d) => d['@id']),
    ['urn:twinbox:provider:dataset:ev-charging'],
  );
  assert.deepEqual(
    datasets[0].hasPolicy.map((p) => p['@id'].split(':').pop()),
    ['mobility-planning', 'trial', 'until-soon'],
  );

  const jsonld = await fetch(`${provider.url}/twinbox/v1/catalogue`, {
    headers: { accept: 'application/ld+json' },
  });
  assert.match(jsonld.headers.get('content-type') ?? '', /ld\+json/);
  const graph = ((await jsonld.json()) as { '@graph': { '@type'?: string[] }[] })['@graph'];
  assert.ok(graph.some((n) => n['@type']?.includes('dcat:Dataset')));
  const ttl = await fetch(`${provider.url}/twinbox/v1/catalogue`, { headers: { accept: 'text/turtle' } });
  assert.match(ttl.headers.get('content-type') ?? '', /turtle/);
  const quads = new Parser().parse(await ttl.text());
  assert.ok(quads.some((q) => q.object.value === 'http://www.w3.org/ns/dcat#Catalog'));
});

test('negotiation, agreement, transfer and data; refusals with the rule that refused', async () => {
  const { agreementId, transferId } = await negotiate('mobility-planning');
  const providerNegotiations = await json('GET', `${provider.url}/twinbox/v1/negotiations`);
  const pn = (providerNegotiations.body as { role: string; state: string; agreementId?: string }[]).find(
    (n) => n.agreementId === agreementId,
  );
  assert.equal(pn?.state, 'FINALIZED');
  assert.equal(pn?.role, 'provider');

  const data = await readShared(agreementId); // use 1 of 4
  assert.equal(data.status, 200, data.text);
  assert.deepEqual(
    (data.body as { id: string }[]).map((e) => e.id).sort(),
    [1, 2, 3].map((n) => station(n).id),
  );

  const wrongPurpose = await readShared(agreementId, 'marketing');
  assert.equal(wrongPurpose.status, 403);
  assert.match(
    wrongPurpose.body.detail as string,
    /purpose eq 'mobility planning': request purpose is 'marketing'/,
  );
  assert.equal(
    wrongPurpose.body.rule,
    'urn:twinbox:provider:offer:ev-charging:mobility-planning:permission:0',
  );

  const otherType = await readShared(agreementId, PURPOSE, 'Building');
  assert.equal(otherType.status, 403);
  assert.match(otherType.body.detail as string, /not part of dataset/);

  const none = await json(
    'GET',
    consumerApi(
      `/federation/entities?agreementId=urn:uuid:none&provider=${encodeURIComponent(provider.url)}&type=EVChargingStation&purpose=${encodeURIComponent(PURPOSE)}`,
    ),
  );
  assert.equal(none.status, 403, none.text);
  assert.match(none.body.detail as string, /no agreement urn:uuid:none/);

  const anonymous = await json(
    'GET',
    `${provider.url}/twinbox/v1/shared/${encodeURIComponent(agreementId)}/entities?type=EVChargingStation&purpose=${encodeURIComponent(PURPOSE)}`,
  );
  assert.equal(anonymous.status, 401);

  // Suspended: the token is valid but the transfer is not running.
  assert.equal(
    (await json('POST', consumerApi(`/transfers/${encodeURIComponent(transferId)}/suspend`))).status,
    200,
  );
  const suspended = await readShared(agreementId);
  assert.equal(suspended.status, 403);
  assert.match(suspended.body.detail as string, /SUSPENDED, not STARTED/);
  assert.equal(
    (await json('POST', consumerApi(`/transfers/${encodeURIComponent(transferId)}/resume`))).status,
    200,
  );

  for (let use = 2; use <= 4; use++) assert.equal((await readShared(agreementId)).status, 200, `use ${use}`);
  const fifth = await readShared(agreementId);
  assert.equal(fifth.status, 403);
  assert.match(fifth.body.detail as string, /count lteq '4': request count is '5'/);

  const done = await json('POST', consumerApi(`/transfers/${encodeURIComponent(transferId)}/complete`));
  assert.equal(done.body.state, 'COMPLETED');
  const providerSide = await json('GET', `${provider.url}/twinbox/v1/transfers`);
  assert.ok(
    (providerSide.body as { agreementId: string; state: string }[]).some(
      (t) => t.agreementId === agreementId && t.state === 'COMPLETED',
    ),
  );
  assert.ok(!JSON.stringify(providerSide.body).includes('eyJ'), 'tokens are not shown');
});

test('after expiry: an agreement whose dateTime constraint has passed is refused', async () => {
  const { agreementId } = soon;
  const wait = (soonEnds ?? 0) - Date.now() + 200;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const late = await readShared(agreementId);
  assert.equal(late.status, 403);
  assert.match(late.body.detail as string, /dateTime lt '.*': request dateTime is/);
  assert.equal(late.body.rule, 'urn:twinbox:provider:offer:ev-charging:until-soon:permission:0');
});

test('the demo: the consumer negotiates, reads the stations, and sees each refusal with its reason', async () => {
  const report = await runDataspaceDemo({
    consumer: consumer.url,
    provider: provider.url,
    expiringOffer: 'trial',
    expiryWaitMs: 1300,
  });
  assert.equal(report.entities.length, 3);
  const reasons = Object.fromEntries(report.refusals.map((r) => [r.case, `${r.status} ${r.detail}`]));
  assert.match(reasons['another purpose'], /^403 .*purpose/);
  assert.match(reasons['no agreement'], /^403 no agreement/);
  assert.match(reasons['anonymous request'], /^401 unsigned request/);
  assert.match(
    reasons['negotiation for another purpose'],
    /^403 offer .* does not permit purpose 'marketing'/,
  );
  assert.match(reasons['after expiry'], /^403 .*elapsedTime lteq 'PT1S'/);
});

test('audit: the data owner sees every step, agreement, transfer and access; every DSP message validates', async () => {
  const audit = await json('GET', `${provider.url}/twinbox/v1/audit`);
  assert.equal(audit.status, 200);
  const records = audit.body as {
    action: string;
    actor: string;
    outcome: string;
    agreementId?: string;
    message?: { '@type'?: string };
  }[];
  const actions = new Set(records.map((r) => r.action));
  for (const a of [
    'governance.onboarding',
    'catalog.request.received',
    'negotiation.ContractRequestMessage.received',
    'agreement.concluded',
    'negotiation.ContractAgreementMessage.sent',
    'negotiation.ContractAgreementVerificationMessage.received',
    'negotiation.state.FINALIZED',
    'transfer.TransferRequestMessage.received',
    'transfer.token.issued',
    'transfer.TransferStartMessage.sent',
    'transfer.TransferSuspensionMessage.received',
    'transfer.TransferCompletionMessage.received',
    'shared.access',
  ]) {
    assert.ok(actions.has(a), `audit has ${a}`);
  }
  const accesses = records.filter((r) => r.action === 'shared.access');
  assert.ok(accesses.some((r) => r.outcome === 'ok' && r.actor === consumerDid && r.agreementId));
  assert.ok(accesses.some((r) => r.outcome === 'refused'));
  const refusedOnly = await json('GET', `${provider.url}/twinbox/v1/audit?action=shared&outcome=refused`);
  assert.ok((refusedOnly.body as unknown[]).length >= 5);

  const consumerAudit = (await json('GET', consumerApi('/audit'))).body as typeof records;
  let validated = 0;
  const failures: string[] = [];
  for (const r of [...records, ...consumerAudit]) {
    const type = r.message?.['@type'];
    if (!type || type === 'Agreement') continue;
    const schema = SCHEMA_OF_TYPE[type];
    if (!schema) {
      failures.push(`no schema for ${type}`);
      continue;
    }
    const problem = check(schema, r.message);
    if (problem) failures.push(`${r.action}: ${problem}`);
    validated++;
  }
  assert.deepEqual(failures, []);
  const types = new Set([...records, ...consumerAudit].map((r) => r.message?.['@type']).filter(Boolean));
  for (const t of [
    'CatalogRequestMessage',
    'Catalog',
    'Dataset',
    'CatalogError',
    'ContractRequestMessage',
    'ContractNegotiation',
    'ContractAgreementMessage',
    'ContractAgreementVerificationMessage',
    'ContractNegotiationEventMessage',
    'ContractNegotiationError',
    'TransferRequestMessage',
    'TransferProcess',
    'TransferStartMessage',
    'TransferSuspensionMessage',
    'TransferCompletionMessage',
  ]) {
    assert.ok(types.has(t), `a ${t} was exchanged and validated`);
  }
  assert.ok(validated > 30, `${validated} messages validated`);
});
