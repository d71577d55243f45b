import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedOffsetToUtc, localToUtc } from '../../../src/twin/cities/local-time.ts';

test('localToUtc follows the zone offset in winter and summer', () => {
  assert.equal(localToUtc('2024-01-15', 8, 0, 'Europe/Rome'), '2024-01-15T07:00:00Z');
  assert.equal(localToUtc('2024-07-15', 8, 30, 'Europe/Rome'), '2024-07-15T06:30:00Z');
  assert.equal(localToUtc('2024-07-15', 0, 0, 'Europe/Berlin'), '2024-07-14T22:00:00Z');
});

test('localToUtc: the spring-forward hour does not exist, neighbours stay one hour apart', () => {
  assert.equal(localToUtc('2024-03-31', 1, 0, 'Europe/Rome'), '2024-03-31T00:00:00Z');
  assert.equal(localToUtc('2024-03-31', 2, 0, 'Europe/Rome'), undefined);
  assert.equal(localToUtc('2024-03-31', 3, 0, 'Europe/Rome'), '2024-03-31T01:00:00Z');
});

test('localToUtc: in the autumn overlap the earlier instant wins', () => {
  assert.equal(localToUtc('2024-10-27', 2, 0, 'Europe/Rome'), '2024-10-27T00:00:00Z');
  assert.equal(localToUtc('2024-10-27', 3, 0, 'Europe/Rome'), '2024-10-27T02:00:00Z');
});

test('fixedOffsetToUtc crosses the year boundary', () => {
  assert.equal(fixedOffsetToUtc('2024-01-01 00:00', 1), '2023-12-31T23:00:00Z');
  assert.equal(fixedOffsetToUtc('2024-06-30 13:00', 1), '2024-06-30T12:00:00Z');
});
