import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  actionIncludes,
  addXsdDuration,
  evaluatePolicy,
  type OdrlRequest,
  type Policy,
  parseXsdDateTime,
} from '../../src/dataspace/index.ts';

const BOLOGNA = 'did:web:bologna.twinbox.example';
const DATASET = 'urn:twinbox:leipzig:dataset:ev-charging';

function offer(extra: Partial<Policy> = {}): Policy {
  return {
    '@id': 'urn:twinbox:leipzig:offer:1',
    '@type': 'Offer',
    target: DATASET,
    permission: [
      {
        action: 'use',
        constraint: [
          { leftOperand: 'purpose', operator: 'eq', rightOperand: 'mobility-planning' },
          {
            leftOperand: 'dateTime',
            operator: 'lt',
            rightOperand: { '@value': '2026-01-01', '@type': 'xsd:date' },
          },
        ],
      },
    ],
    ...extra,
  };
}

function request(extra: Partial<OdrlRequest> = {}): OdrlRequest {
  return {
    assignee: BOLOGNA,
    action: 'odrl:read',
    target: DATASET,
    purpose: 'mobility-planning',
    now: '2025-05-01T10:00:00Z',
    ...extra,
  };
}

test('a request within purpose and time is permitted through the policy-level target', () => {
  const d = evaluatePolicy(offer(), request());
  assert.equal(d.permitted, true);
  assert.equal(d.refusal, undefined);
  assert.deepEqual(d.rules[0].premises, { action: true, target: true });
});

test('another purpose is refused, naming the rule and the constraint', () => {
  const d = evaluatePolicy(offer(), request({ purpose: 'marketing' }));
  assert.equal(d.permitted, false);
  assert.equal(d.refusal?.rule, 'urn:twinbox:leipzig:offer:1#permission/0');
  assert.match(d.refusal!.reason, /purpose eq 'mobility-planning': request purpose is 'marketing'/);
});

test('a request without purpose and one after expiry are refused with their reasons', () => {
  assert.match(evaluatePolicy(offer(), request({ purpose: undefined })).refusal!.reason, /states no purpose/);
  const late = evaluatePolicy(offer(), request({ now: '2026-01-01T00:00:00Z' }));
  assert.equal(late.permitted, false);
  assert.match(late.refusal!.reason, /dateTime lt '2026-01-01'/);
});

test('another target or a transfer action does not match the premises', () => {
  assert.match(
    evaluatePolicy(offer(), request({ target: 'urn:other' })).refusal!.reason,
    /target .* does not cover/,
  );
  assert.match(
    evaluatePolicy(offer(), request({ action: 'sell' })).refusal!.reason,
    /use does not include sell/,
  );
});

test('an active prohibition wins over an active permission', () => {
  const p = offer({
    prohibition: [{ '@id': 'urn:p:no-bologna', action: 'distribute', assignee: BOLOGNA }],
  });
  assert.equal(evaluatePolicy(p, request()).permitted, true);
  const d = evaluatePolicy(p, request({ action: 'distribute' }));
  assert.equal(d.permitted, false);
  assert.equal(d.refusal?.rule, 'urn:p:no-bologna');
});

test('count limits the number of uses: the 3rd is allowed under lteq 3, the 4th is not', () => {
  const p = offer({
    permission: [
      { action: 'use', constraint: [{ leftOperand: 'count', operator: 'lteq', rightOperand: '3' }] },
    ],
  });
  assert.equal(evaluatePolicy(p, request({ usageCount: 2 })).permitted, true);
  assert.equal(evaluatePolicy(p, request({ usageCount: 3 })).permitted, false);
});

test('elapsedTime counts from the first use on the calendar', () => {
  const p = offer({
    permission: [
      { action: 'use', constraint: [{ leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: 'P1M' }] },
    ],
  });
  const first = '2025-01-31T00:00:00Z';
  assert.equal(
    evaluatePolicy(p, request({ firstUseAt: first, now: '2025-03-03T00:00:00Z' })).permitted,
    true,
  );
  assert.equal(
    evaluatePolicy(p, request({ firstUseAt: first, now: '2025-03-03T00:00:01Z' })).permitted,
    false,
  );
  assert.equal(
    evaluatePolicy(p, request({ now: '2030-01-01T00:00:00Z' })).permitted,
    true,
    'never used before',
  );
});

test('spatial regions follow partOf; spatialCoordinates test the position against a polygon', () => {
  const region = offer({
    permission: [
      {
        action: 'use',
        constraint: [{ leftOperand: 'spatial', operator: 'isPartOf', rightOperand: { '@id': 'urn:EU' } }],
      },
    ],
  });
  const partOf = { 'urn:IT': ['urn:EU'], 'urn:IT-Bologna': ['urn:IT'] };
  assert.equal(evaluatePolicy(region, request({ spatial: ['urn:IT-Bologna'], partOf })).permitted, true);
  assert.equal(evaluatePolicy(region, request({ spatial: ['urn:CH'], partOf })).permitted, false);

  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [11, 44],
        [12, 44],
        [12, 45],
        [11, 45],
        [11, 44],
      ],
    ],
  };
  const area = offer({
    permission: [
      {
        action: 'use',
        constraint: [
          { leftOperand: 'spatialCoordinates', operator: 'isPartOf', rightOperand: JSON.stringify(square) },
        ],
      },
    ],
  });
  assert.equal(evaluatePolicy(area, request({ position: [11.34, 44.49] })).permitted, true);
  const out = evaluatePolicy(area, request({ position: [12.37, 51.34] }));
  assert.match(out.refusal!.reason, /position \[12.37, 51.34\] is outside/);
});

test('role and recipient operands use set operators', () => {
  const p = offer({
    permission: [
      {
        action: 'use',
        constraint: [
          { leftOperand: 'role', operator: 'isAnyOf', rightOperand: ['analyst', 'steward'] },
          { leftOperand: 'recipient', operator: 'isNoneOf', rightOperand: ['did:web:blocked.example'] },
        ],
      },
    ],
  });
  assert.equal(evaluatePolicy(p, request({ roles: ['citizen', 'analyst'] })).permitted, true);
  assert.equal(evaluatePolicy(p, request({ roles: ['citizen'] })).permitted, false);
  assert.equal(
    evaluatePolicy(p, request({ roles: ['analyst'], recipient: 'did:web:blocked.example' })).permitted,
    false,
  );
});

test('logical constraints: or, xone and and over profile operands', () => {
  const gold = { leftOperand: 'partner', operator: 'eq', rightOperand: 'gold' } as const;
  const silver = { leftOperand: 'partner', operator: 'eq', rightOperand: 'silver' } as const;
  const withC = (c: Policy['permission']) => offer({ permission: c });
  const or = withC([{ action: 'use', constraint: [{ or: [gold, silver] }] }]);
  const xone = withC([{ action: 'use', constraint: [{ xone: [gold, silver] }] }]);
  const and = withC([{ action: 'use', constraint: [{ and: [gold, silver] }] }]);
  assert.equal(evaluatePolicy(or, request({ operands: { partner: 'silver' } })).permitted, true);
  assert.equal(evaluatePolicy(or, request({ operands: { partner: 'bronze' } })).permitted, false);
  assert.equal(evaluatePolicy(xone, request({ operands: { partner: 'gold' } })).permitted, true);
  const both = evaluatePolicy(xone, request({ operands: { partner: ['gold', 'silver'] } }));
  assert.match(both.refusal!.reason, /xone: 2 of 2 members are satisfied/);
  assert.equal(evaluatePolicy(and, request({ operands: { partner: ['gold', 'silver'] } })).permitted, true);
  assert.equal(evaluatePolicy(and, request({ operands: { partner: 'gold' } })).permitted, false);
});

test('a violated duty deactivates its permission; a duty not yet due does not', () => {
  const p = offer({
    permission: [{ action: 'use', duty: [{ '@id': 'urn:duty:attribute', action: 'attribute' }] }],
  });
  assert.equal(evaluatePolicy(p, request()).permitted, true);
  assert.equal(evaluatePolicy(p, request({ duties: { 'urn:duty:attribute': 'Fulfilled' } })).permitted, true);
  const d = evaluatePolicy(p, request({ duties: { 'urn:duty:attribute': 'Violated' } }));
  assert.match(d.refusal!.reason, /duty urn:duty:attribute \(attribute\) is violated/);
});

test('action hierarchy and XSD value parsing', () => {
  assert.equal(actionIncludes('use', 'http://www.w3.org/ns/odrl/2/display'), true);
  assert.equal(actionIncludes('play', 'display'), true);
  assert.equal(actionIncludes('use', 'give'), false);
  assert.equal(actionIncludes('transfer', 'sell'), true);
  assert.equal(actionIncludes('use', 'write'), true);
  assert.equal(parseXsdDateTime('2017-12-19T15:00:00'), Date.UTC(2017, 11, 19, 15));
  assert.equal(parseXsdDateTime('2023-12-31T06:00Z'), Date.UTC(2023, 11, 31, 6));
  assert.equal(parseXsdDateTime('yesterday'), undefined);
  assert.equal(addXsdDuration(Date.UTC(2025, 0, 1), 'P1DT2H'), Date.UTC(2025, 0, 2, 2));
  assert.equal(addXsdDuration(0, 'P'), undefined);
});
