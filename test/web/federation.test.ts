/**
 * The web app's pure federation helpers: reading a DCAT-AP catalogue as the Federation panel
 * lists it, the purpose of an agreement, shared layer keys and styles, and the traffic slider's
 * first instant.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constraintValues, providerBase } from '../../web/src/api/dataspace-client.ts';
import { licenceLabel, readCatalogue } from '../../web/src/api/dcat-catalogue.ts';
import { sharedKey, sharedType, shortAgreementId } from '../../web/src/federation/shared-layers.ts';
import { SHARED_OUTLINE, styleFor } from '../../web/src/map/layer-styles.ts';
import { bestInstant } from '../../web/src/map/time-values.ts';

/** The shape `GET /twinbox/v1/catalogue` answers: a flattened graph with prefixed keys. */
function catalogue() {
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      odrl: 'http://www.w3.org/ns/odrl/2/',
      skos: 'http://www.w3.org/2004/02/skos/core#',
    },
    '@graph': [
      {
        '@id': 'http://x/twinbox/v1/catalogue',
        '@type': ['dcat:Catalog'],
        'dct:title': [{ '@value': 'Leipzig digital twin', '@language': 'en' }],
        'dct:publisher': [{ '@id': 'http://x/#publisher' }],
        'dcat:dataset': [{ '@id': 'urn:d' }],
      },
      { '@id': 'http://x/#publisher', '@type': ['foaf:Agent'], 'foaf:name': [{ '@value': 'Stadt Leipzig' }] },
      {
        '@id': 'urn:d',
        '@type': ['dcat:Dataset'],
        'dct:title': [{ '@value': 'EV charging stations of Leipzig', '@language': 'en' }],
        'dct:publisher': [{ '@id': 'http://x/#publisher' }],
        'dcat:theme': [{ '@id': 'http://t/TRAN' }],
        'dcat:keyword': [{ '@value': 'charging' }],
        'dcat:distribution': [{ '@id': 'urn:d:dist' }],
        'odrl:hasPolicy': [{ '@id': 'urn:twinbox:leipzig:offer:ev-charging:mobility-planning' }],
      },
      { '@id': 'http://t/TRAN', 'skos:prefLabel': [{ '@value': 'Transport', '@language': 'en' }] },
      {
        '@id': 'urn:d:dist',
        'dct:license': [{ '@id': 'http://publications.europa.eu/resource/authority/licence/CC_BY_4_0' }],
      },
      {
        '@id': 'urn:twinbox:leipzig:offer:ev-charging:mobility-planning',
        'odrl:permission': [{ '@id': 'urn:p' }],
        'odrl:prohibition': [{ '@id': 'urn:q' }],
      },
      { '@id': 'urn:p', 'odrl:constraint': [{ '@id': '_:b0' }] },
      { '@id': '_:b0', 'odrl:and': [{ '@id': '_:b1' }, { '@id': '_:b2' }] },
      {
        '@id': '_:b1',
        'odrl:leftOperand': [{ '@id': 'http://www.w3.org/ns/odrl/2/purpose' }],
        'odrl:operator': [{ '@id': 'http://www.w3.org/ns/odrl/2/eq' }],
        'odrl:rightOperand': [{ '@value': 'mobility planning' }],
      },
      {
        '@id': '_:b2',
        'odrl:leftOperand': [{ '@id': 'http://www.w3.org/ns/odrl/2/count' }],
        'odrl:operator': [{ '@id': 'http://www.w3.org/ns/odrl/2/lteq' }],
        'odrl:rightOperand': [{ '@value': '10000' }],
      },
      { '@id': 'urn:q', 'odrl:action': [{ '@id': 'http://www.w3.org/ns/odrl/2/distribute' }] },
    ],
  };
}

test('a DCAT-AP catalogue reads as titles, publisher, licence and offers with purposes', () => {
  const c = readCatalogue(catalogue());
  assert.equal(c.title, 'Leipzig digital twin');
  assert.equal(c.publisher, 'Stadt Leipzig');
  assert.equal(c.datasets.length, 1);
  const d = c.datasets[0];
  assert.equal(d.title, 'EV charging stations of Leipzig');
  assert.equal(d.publisher, 'Stadt Leipzig');
  assert.deepEqual(d.themes, ['Transport']);
  assert.deepEqual(d.keywords, ['charging']);
  assert.deepEqual(d.licences.map(licenceLabel), ['CC BY 4.0']);
  assert.deepEqual(d.offers, [
    {
      id: 'urn:twinbox:leipzig:offer:ev-charging:mobility-planning',
      purposes: ['mobility planning'],
      conditions: ['count lteq 10000'],
      prohibited: ['distribute'],
    },
  ]);
});

test("an agreement's purpose is found through logical constraints", () => {
  const rules = [
    {
      action: 'use',
      constraint: [{ and: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: 'mobility planning' }] }],
    },
  ];
  assert.deepEqual(constraintValues(rules, 'purpose'), ['mobility planning']);
  assert.equal(providerBase('http://127.0.0.1:1026/dsp'), 'http://127.0.0.1:1026');
});

test('a shared layer has a key without colons, its type, and an outlined style', () => {
  const key = sharedKey('urn:uuid:ead0f317-b600-43e3-9775-92a05673f7cc', 'EVChargingStation');
  assert.ok(!key.includes(':'), key);
  assert.equal(sharedType(key), 'EVChargingStation');
  assert.equal(sharedType('EVChargingStation'), undefined);
  assert.equal(shortAgreementId('urn:uuid:ead0f317-b600-43e3-9775-92a05673f7cc'), 'ead0f317…');
  const own = styleFor('EVChargingStation');
  const shared = styleFor(key);
  assert.equal(shared.colour, own.colour);
  assert.equal(shared.outline, SHARED_OUTLINE);
  assert.ok(shared.order > own.order);
});

test('the traffic slider starts at the latest hour most counters report', () => {
  const h = 3600;
  const histories = new Map([
    ['a', { attribute: 'intensity', times: [h, 2 * h, 3 * h], values: [1, 2, 3] }],
    ['b', { attribute: 'intensity', times: [h, 2 * h], values: [1, 2] }],
    ['c', { attribute: 'intensity', times: [h, 2 * h], values: [1, 2] }],
  ]);
  // at 3h only one of three reports; 2h is the latest hour all three do
  assert.equal(bestInstant(histories, [h, 2 * h, 3 * h]), 1);
  assert.equal(bestInstant(new Map(), []), 0);
});
