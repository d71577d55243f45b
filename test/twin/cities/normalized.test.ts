import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toTemporalFragments } from '../../../src/twin/cities/index.ts';
import {
  entityId,
  geoProperty,
  modelledData,
  property,
  relationship,
  safeIdPart,
  toKeyValues,
} from '../../../src/twin/cities/normalized.ts';

test('entityId reduces source ids to URN-safe characters', () => {
  assert.equal(entityId('Garden', 'leipzig', 'way/4376425'), 'urn:ngsi-ld:Garden:leipzig:way-4376425');
  assert.equal(
    entityId('TrafficFlowObserved', 'bologna', '0.127 2.9 8 1'),
    'urn:ngsi-ld:TrafficFlowObserved:bologna:0.127-2.9-8-1',
  );
  assert.equal(safeIdPart(' Lützner Str. '), 'Lutzner-Str.');
});

test('toKeyValues keeps values and relationship objects, drops metadata and sub-attributes', () => {
  const kv = toKeyValues({
    id: 'urn:ngsi-ld:X:c:1',
    type: 'X',
    '@context': ['ctx'],
    a: property(3, { observedAt: '2024-01-01T00:00:00Z', unitCode: 'MTR' }),
    r: relationship('urn:ngsi-ld:Y:c:2'),
    g: geoProperty({ type: 'Point', coordinates: [1, 2] }),
    dataProvenance: modelledData(['a'], 'assumed for the test'),
  });
  assert.deepEqual(kv, {
    id: 'urn:ngsi-ld:X:c:1',
    type: 'X',
    '@context': ['ctx'],
    a: 3,
    r: 'urn:ngsi-ld:Y:c:2',
    g: { type: 'Point', coordinates: [1, 2] },
    dataProvenance: 'modelled',
  });
});

test('toTemporalFragments groups rows per entity and splits long series', () => {
  const rows = [0, 1, 2].map((h) => ({
    entityId: 'urn:ngsi-ld:T:c:1',
    entityType: 'T',
    attribute: 'intensity',
    observedAt: `2024-01-01T0${h}:00:00Z`,
    value: h * 10,
  }));
  const fragments = toTemporalFragments(rows, ['ctx'], 2);
  assert.equal(fragments.length, 2);
  assert.deepEqual(fragments[1], {
    id: 'urn:ngsi-ld:T:c:1',
    type: 'T',
    '@context': ['ctx'],
    intensity: [{ type: 'Property', value: 20, observedAt: '2024-01-01T02:00:00Z' }],
  });
  assert.equal((fragments[0].intensity as unknown[]).length, 2);
});
