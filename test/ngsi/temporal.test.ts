import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compactTemporalEntity,
  parseDuration,
  parseTemporalEntity,
  type TemporalInstance,
  TermMap,
} from '../../src/ngsi/index.ts';

const terms = TermMap.core();
const header = { id: 'urn:ngsi-ld:Vehicle:1', type: ['https://example.org/Vehicle'], attrs: {} };

function instance(attr: string, attribute: TemporalInstance['attribute'], n: number): TemporalInstance {
  return {
    instanceId: `urn:ngsi-ld:Instance:${n}`,
    attr,
    attribute,
    createdAt: '2020-08-01T12:00:00.000Z',
    modifiedAt: '2020-08-01T12:00:00.000Z',
  };
}

test('parseDuration reads ISO 8601 durations and refuses the rest', () => {
  assert.deepEqual(parseDuration('PT1H'), { ok: true, value: 3_600_000 });
  assert.deepEqual(parseDuration('P1D'), { ok: true, value: 86_400_000 });
  assert.deepEqual(parseDuration('P1DT30M'), { ok: true, value: 88_200_000 });
  for (const bad of ['P', 'PT', '1H', 'P1H']) assert.equal(parseDuration(bad).ok, false, bad);
});

test('temporalValues keep the member name of LanguageProperty, JsonProperty and VocabProperty values (clause 4.5.9)', () => {
  const instances = [
    instance(
      'https://example.org/street',
      {
        type: 'LanguageProperty',
        languageMap: { fr: 'Grand Place' },
        observedAt: '2020-08-01T12:03:00.000Z',
      },
      1,
    ),
    instance(
      'https://example.org/config',
      { type: 'JsonProperty', json: { a: 1 }, observedAt: '2020-08-01T12:03:00Z' },
      2,
    ),
    instance(
      'https://example.org/speed',
      { type: 'Property', value: 80, observedAt: '2020-08-01T12:03:00.000Z' },
      3,
    ),
  ];
  const out = compactTemporalEntity(header, instances, [], terms, {
    format: 'temporalValues',
    timeproperty: 'observedAt',
  });
  assert.deepEqual(out['https://example.org/street'], {
    type: 'LanguageProperty',
    languageMaps: [[{ languageMap: { fr: 'Grand Place' } }, '2020-08-01T12:03:00Z']],
  });
  assert.deepEqual(out['https://example.org/config'], {
    type: 'JsonProperty',
    jsons: [[{ json: { a: 1 } }, '2020-08-01T12:03:00Z']],
  });
  assert.deepEqual(out['https://example.org/speed'], {
    type: 'Property',
    values: [[80, '2020-08-01T12:03:00Z']],
  });
});

test('an attribute whose instances lie on another page is shown empty', () => {
  const empty = { 'https://example.org/speed': 'Property' as const };
  const normalized = compactTemporalEntity(header, [], [], terms, {
    format: 'normalized',
    timeproperty: 'observedAt',
    emptyAttributes: empty,
  });
  assert.deepEqual(normalized['https://example.org/speed'], []);
  const simplified = compactTemporalEntity(header, [], [], terms, {
    format: 'temporalValues',
    timeproperty: 'observedAt',
    emptyAttributes: empty,
  });
  assert.deepEqual(simplified['https://example.org/speed'], { type: 'Property', values: [] });
});

test('aggregated buckets carry whole-second bounds', () => {
  const aggregates = [
    {
      attr: 'https://example.org/speed',
      startAt: '2020-08-01T12:03:00.000Z',
      endAt: '2020-08-01T13:03:00.000Z',
      values: { avg: 100 },
    },
  ];
  const out = compactTemporalEntity(header, [], aggregates, terms, {
    format: 'aggregatedValues',
    timeproperty: 'observedAt',
  });
  assert.deepEqual(out['https://example.org/speed'], {
    type: 'Property',
    avg: [[100, '2020-08-01T12:03:00Z', '2020-08-01T13:03:00Z']],
  });
});

test('parseTemporalEntity keeps every instance of an attribute', () => {
  const body = {
    id: 'urn:ngsi-ld:Vehicle:1',
    type: 'Vehicle',
    speed: [
      { type: 'Property', value: 1, observedAt: '2020-08-01T12:00:00Z' },
      { type: 'Property', value: 2, observedAt: '2020-08-01T12:01:00Z' },
    ],
  };
  const parsed = parseTemporalEntity(body, terms, true);
  assert.ok(parsed.ok);
  assert.equal(parsed.value.instances.length, 2);
  assert.equal(parseTemporalEntity({ type: 'Vehicle' }, terms, true).ok, false);
});
