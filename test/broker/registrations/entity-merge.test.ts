import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeById, mergeFragments } from '../../../src/broker/registrations/index.ts';
import type { Entity } from '../../../src/ngsi/index.ts';

const e = (attrs: Entity['attrs'], type = ['urn:T']): Entity => ({ id: 'urn:e:1', type, attrs });

test('the same attribute and datasetId: the most recent observedAt, else modifiedAt, wins', () => {
  const local = e({
    speed: [{ type: 'Property', value: 1, observedAt: '2024-01-01T00:00:00Z' }],
    name: [{ type: 'Property', value: 'a', modifiedAt: '2024-01-02T00:00:00Z' }],
  });
  const remote = e(
    {
      speed: [{ type: 'Property', value: 2, observedAt: '2024-06-01T00:00:00Z' }],
      name: [{ type: 'Property', value: 'b', modifiedAt: '2024-01-01T00:00:00Z' }],
    },
    ['urn:U'],
  );
  const merged = mergeFragments([{ entity: local }, { entity: remote }]);
  assert.equal(merged.attrs.speed[0].value, 2);
  assert.equal(merged.attrs.name[0].value, 'a');
  assert.deepEqual(merged.type, ['urn:T', 'urn:U']);
});

test('different datasetIds are kept side by side; auxiliary fragments only fill gaps', () => {
  const local = e({ speed: [{ type: 'Property', value: 1 }] });
  const aux = e({
    speed: [
      { type: 'Property', value: 9, observedAt: '2030-01-01T00:00:00Z' },
      { type: 'Property', value: 3, datasetId: 'urn:d:1' },
    ],
    color: [{ type: 'Property', value: 'red' }],
  });
  const merged = mergeFragments([{ entity: local }, { entity: aux, auxiliary: true }]);
  assert.deepEqual(
    merged.attrs.speed.map((a) => a.value),
    [1, 3],
  );
  assert.equal(merged.attrs.color[0].value, 'red');
});

test('mergeById groups by id and sorts', () => {
  const out = mergeById([
    { entity: { ...e({}), id: 'urn:b' } },
    { entity: { ...e({}), id: 'urn:a' } },
    { entity: { ...e({}), id: 'urn:b' } },
  ]);
  assert.deepEqual(
    out.map((x) => x.id),
    ['urn:a', 'urn:b'],
  );
});
