/**
 * Bad input never crashes the broker: every malformed request answers a 4xx ProblemDetails whose
 * detail says what is wrong, and leaves the store unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { parseEntity, TermMap } from '../../src/ngsi/index.ts';
import { buildTestApp } from '../helpers/app.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };

function assertProblem(res: { statusCode: number; body: string }, status: number, detail: RegExp): void {
  assert.equal(res.statusCode, status, res.body);
  const body = JSON.parse(res.body) as { type: string; detail: string; status: number };
  assert.match(body.type, /^https:\/\/uri\.etsi\.org\/ngsi-ld\/errors\//);
  assert.equal(body.status, status);
  assert.match(body.detail, detail);
}

describe('bad input answers 4xx with a clear detail', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp({ bodyLimit: 4096 });
  });
  after(async () => app.close());

  const post = (payload: unknown, headers: Record<string, string> = JSON_HEADERS) =>
    app.inject({
      method: 'POST',
      url: '/ngsi-ld/v1/entities',
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers,
    });

  test('malformed JSON', async () => assertProblem(await post('{"id": "urn:x:1", '), 400, /not valid JSON/));
  test('a body that is not an object', async () => assertProblem(await post([1, 2]), 400, /JSON object/));
  test('an id that is not a URI', async () =>
    assertProblem(await post({ id: 'not a uri', type: 'T' }), 400, /id 'not a uri' is not a URI/));
  test('a missing type', async () => assertProblem(await post({ id: 'urn:x:1' }), 400, /'type' is missing/));
  test('a wrong member type', async () =>
    assertProblem(
      await post({ id: 'urn:x:1', type: 'T', rel: { type: 'Relationship', object: 42 } }),
      400,
      /Relationship needs an object/,
    ));
  test('a Property without value', async () =>
    assertProblem(
      await post({ id: 'urn:x:1', type: 'T', p: { type: 'Property' } }),
      400,
      /needs a non-null value/,
    ));
  test('an unknown attribute type', async () =>
    assertProblem(
      await post({ id: 'urn:x:1', type: 'T', p: { type: 'Prop', value: 1 } }),
      400,
      /not an NGSI-LD attribute type/,
    ));
  test('a forbidden attribute name', async () =>
    assertProblem(await post({ id: 'urn:x:1', type: 'T', 'a(b)': 1 }), 400, /forbidden characters/));
  test('an unclosed polygon ring', async () =>
    assertProblem(
      await post({
        id: 'urn:x:1',
        type: 'T',
        location: {
          type: 'GeoProperty',
          value: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 1],
              ],
            ],
          },
        },
      }),
      400,
      /ring|closed/,
    ));
  test('coordinates out of range', async () =>
    assertProblem(
      await post({
        id: 'urn:x:1',
        type: 'T',
        location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [200, 95] } },
      }),
      400,
      /longitude|latitude|range/,
    ));
  test('an oversized body', async () =>
    assertProblem(
      await post({ id: 'urn:x:1', type: 'T', p: { type: 'Property', value: 'x'.repeat(5000) } }),
      413,
      /exceeds the limit/,
    ));
  test('an unsupported content type', async () =>
    assertProblem(await post('id=1', { 'content-type': 'text/plain' }), 415, /Content-Type/));
  test('an @context in the body of application/json', async () =>
    assertProblem(
      await post({
        id: 'urn:x:1',
        type: 'T',
        '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld',
      }),
      400,
      /application\/ld\+json/,
    ));
  test('an unknown query option', async () =>
    assertProblem(
      await app.inject({ method: 'GET', url: '/ngsi-ld/v1/entities?type=T&options=fancy' }),
      400,
      /options: unknown value 'fancy'/,
    ));
  test('an unknown query parameter', async () =>
    assertProblem(
      await app.inject({ method: 'GET', url: '/ngsi-ld/v1/entities?type=T&colour=red' }),
      400,
      /unknown query parameter 'colour'/,
    ));
  test('an invalid q', async () =>
    assertProblem(
      await app.inject({
        method: 'GET',
        url: `/ngsi-ld/v1/entities?type=T&q=${encodeURIComponent('(a==1')}`,
      }),
      400,
      /^q: /,
    ));
  test('an invalid geoQ', async () =>
    assertProblem(
      await app.inject({
        method: 'GET',
        url: '/ngsi-ld/v1/entities?type=T&georel=near&geometry=Point&coordinates=[1,2]',
      }),
      400,
      /distance|near/i,
    ));
  test('a limit over the maximum', async () =>
    assertProblem(
      await app.inject({ method: 'GET', url: '/ngsi-ld/v1/entities?type=T&limit=5000' }),
      403,
      /maximum of 1000/,
    ));
  test('an unknown tenant on read', async () =>
    assertProblem(
      await app.inject({
        method: 'GET',
        url: '/ngsi-ld/v1/entities?type=T',
        headers: { 'ngsild-tenant': 'nobody' },
      }),
      404,
      /tenant 'nobody'/,
    ));
  test('an unacceptable Accept', async () =>
    assertProblem(
      await app.inject({
        method: 'GET',
        url: '/ngsi-ld/v1/entities?type=T',
        headers: { accept: 'text/csv' },
      }),
      406,
      /Accept/,
    ));

  test('a failed batch entity is reported and never half written', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/ngsi-ld/v1/entityOperations/create',
      payload: JSON.stringify([
        { id: 'urn:x:good', type: 'T' },
        { id: 'urn:x:bad', type: 'T', p: { type: 'Property' } },
      ]),
      headers: JSON_HEADERS,
    });
    assert.equal(res.statusCode, 207);
    const body = JSON.parse(res.body);
    assert.deepEqual(body.success, ['urn:x:good']);
    assert.equal(body.errors[0].entityId, 'urn:x:bad');
    const bad = await app.inject({ method: 'GET', url: '/ngsi-ld/v1/entities/urn:x:bad' });
    assert.equal(bad.statusCode, 404);
  });

  test('arbitrary JSON bodies never make a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const res = await post(value);
        assert.ok(res.statusCode < 500, `${res.statusCode} for ${JSON.stringify(value)}: ${res.body}`);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  test('arbitrary query strings never make a 5xx', async () => {
    const names = fc.constantFrom(
      'type',
      'q',
      'georel',
      'geometry',
      'coordinates',
      'attrs',
      'limit',
      'offset',
      'options',
      'idPattern',
      'id',
      'pick',
      'omit',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(names, fc.string({ maxLength: 20 })), { maxLength: 4 }),
        async (pairs) => {
          const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const res = await app.inject({ method: 'GET', url: `/ngsi-ld/v1/entities?type=T&${qs}` });
          assert.ok(res.statusCode < 500, `${res.statusCode} for ${qs}: ${res.body}`);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});

describe('the payload parser', () => {
  const attribute = fc.oneof(
    fc.record({ type: fc.constant('Property'), value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({ type: fc.constant('Relationship'), object: fc.oneof(fc.webUrl(), fc.string()) }),
    fc.record({
      type: fc.constantFrom(
        'GeoProperty',
        'LanguageProperty',
        'VocabProperty',
        'JsonProperty',
        'ListProperty',
        'Nonsense',
      ),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
    fc.jsonValue({ maxDepth: 2 }),
  );
  test('arbitrary entities either parse or yield BadRequestData, never throw', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), attribute, { maxKeys: 5 }),
        fc.oneof(fc.constant('urn:ngsi-ld:T:1'), fc.string()),
        (attrs, id) => {
          const r = parseEntity({ ...attrs, id, type: 'T' }, TermMap.core());
          if (!r.ok) assert.equal(r.problem.type, 'https://uri.etsi.org/ngsi-ld/errors/BadRequestData');
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });
});
