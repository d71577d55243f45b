import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CSourceRegistration,
  compactRegistration,
  matchingInformation,
  parseRegistration,
  registeredOperations,
} from '../../src/ngsi/csource-registration.ts';
import { TermMap } from '../../src/ngsi/index.ts';

const NOW = '2025-01-01T00:00:00Z';
const terms = TermMap.core();
const V = 'https://uri.etsi.org/ngsi-ld/default-context/Vehicle';
const SPEED = 'https://uri.etsi.org/ngsi-ld/default-context/speed';

function parsed(body: Record<string, unknown>): CSourceRegistration {
  const r = parseRegistration(
    { type: 'ContextSourceRegistration', endpoint: 'http://cs.example:1026', ...body },
    terms,
    { now: NOW },
  );
  assert.ok(r.ok, r.ok ? '' : r.problem.detail);
  return {
    id: 'urn:r:1',
    mode: 'inclusive',
    operations: ['federationOps'],
    properties: {},
    information: [],
    endpoint: '',
    ...r.value,
  } as CSourceRegistration;
}

test('parseRegistration expands names, defaults mode and operations, keeps csource properties', () => {
  const reg = parsed({
    information: [{ entities: [{ type: 'Vehicle' }], propertyNames: ['speed'] }],
    owner: 'city',
  });
  assert.deepEqual(reg.information, [{ entities: [{ type: [V] }], propertyNames: [SPEED] }]);
  assert.equal(reg.mode, 'inclusive');
  assert.deepEqual(reg.operations, ['federationOps']);
  assert.equal(reg.properties['https://uri.etsi.org/ngsi-ld/default-context/owner'], 'city');
  assert.deepEqual(compactRegistration(reg, terms).information, [
    { entities: [{ type: 'Vehicle' }], propertyNames: ['speed'] },
  ]);
});

test('parseRegistration refuses what clause 5.2.9 forbids, saying where', () => {
  const bad = (body: Record<string, unknown>, detail: RegExp) => {
    const r = parseRegistration(
      {
        type: 'ContextSourceRegistration',
        endpoint: 'http://cs',
        information: [{ entities: [{ type: 'V' }] }],
        ...body,
      },
      terms,
      { now: NOW },
    );
    assert.ok(!r.ok);
    assert.match(r.problem.detail, detail);
  };
  bad({ information: null }, /information/);
  bad({ information: [{}] }, /information\[0\] needs/);
  bad({ information: [{ entities: [{ id: 'x' }] }] }, /entities\[0\]\.type/);
  bad({ mode: 'sometimes' }, /mode 'sometimes'/);
  bad({ operations: ['teleport'] }, /unknown operation 'teleport'/);
  bad({ expiresAt: '2020-01-01T00:00:00Z' }, /in the past/);
  bad({ endpoint: 'not a uri' }, /endpoint/);
  bad({ type: 'Building' }, /ContextSourceRegistration/);
});

test('operation groups expand (redirectionOps includes retrieveEntity and createEntity)', () => {
  const ops = registeredOperations({ operations: ['redirectionOps'] });
  assert.ok(ops.has('retrieveEntity') && ops.has('createEntity') && ops.has('queryEntity'));
  assert.ok(!registeredOperations({ operations: ['updateOps'] }).has('queryEntity'));
});

test('matchingInformation: by type, id, idPattern and attributes', () => {
  const reg = parsed({
    information: [
      { entities: [{ type: 'Vehicle', id: 'urn:v:1' }], propertyNames: ['speed'] },
      { entities: [{ type: 'Vehicle', idPattern: '^urn:v:9' }] },
      { propertyNames: ['speed'] },
    ],
  });
  assert.equal(matchingInformation(reg, { types: [V] }).length, 2);
  assert.equal(matchingInformation(reg, { types: [V], ids: ['urn:v:1'] }).length, 1);
  assert.equal(matchingInformation(reg, { types: [V], ids: ['urn:v:99'] }).length, 1);
  assert.equal(matchingInformation(reg, { types: [V], attrs: ['urn:other'] }).length, 1);
  assert.equal(matchingInformation(reg, { attrs: [SPEED] }).length, 3);
  assert.equal(matchingInformation(reg, { types: ['urn:Bus'] }).length, 0);
});
