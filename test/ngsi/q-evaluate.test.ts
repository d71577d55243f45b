import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Attribute, Entity } from '../../src/ngsi/entity.ts';
import { evaluateQ } from '../../src/ngsi/q-evaluate.ts';
import { expandQ, parseQ } from '../../src/ngsi/q-parser.ts';

const VOCAB = 'https://ngsi-ld-test-suite/context#';
const CORE = 'https://uri.etsi.org/ngsi-ld/';
const CORE_TERMS = new Set(['observedAt', 'unitCode', 'datasetId', 'createdAt', 'modifiedAt']);
const expand = (t: string) => (t.includes(':') ? t : CORE_TERMS.has(t) ? CORE + t : VOCAB + t);

function matches(q: string, entity: Entity): boolean {
  const r = parseQ(q);
  assert.ok(r.ok, r.ok ? '' : r.problem.detail);
  return evaluateQ(expandQ(r.value, expand), entity);
}

function building(id: string, attrs: Record<string, Attribute[]>): Entity {
  const expanded: Record<string, Attribute[]> = {};
  for (const [k, v] of Object.entries(attrs)) expanded[VOCAB + k] = v;
  return { id, type: [`${VOCAB}Building`], attrs: expanded };
}

const prop = (value: unknown, extra: Partial<Attribute> = {}): Attribute[] => [
  { type: 'Property', value, ...extra },
];

/** The three buildings of the ETSI suite's 019_09 (building-simple-attributes*.jsonld). */
function etsiBuildings(): Entity[] {
  return [
    building('urn:ngsi-ld:Building:1', {
      name: prop('Eiffel Tower'),
      subCategory: prop('tourism'),
      airQualityLevel: prop(4, { unitCode: 'C62', observedAt: '2020-09-09T16:40:00.000Z' }),
      almostFull: prop(false),
    }),
    building('urn:ngsi-ld:Building:2', {
      name: prop('Pisa Tower'),
      subCategory: prop('tourism'),
      airQualityLevel: prop(6, { unitCode: 'C62', observedAt: '2020-10-10T16:40:00.000Z' }),
      almostFull: prop(true),
    }),
    building('urn:ngsi-ld:Building:3', {
      name: prop('Pisa Tower'),
      subCategory: prop('sightseeing'),
      airQualityLevel: prop(7, { unitCode: 'C62', observedAt: '2023-10-10T16:40:00.000Z' }),
      almostFull: prop(false),
      locatedIn: [{ type: 'Relationship', object: 'urn:ngsi-ld:City:Pisa' }],
    }),
  ];
}

describe('evaluateQ: ETSI 019_09 expected counts', () => {
  const cases: [string, number][] = [
    ['name=="Eiffel Tower"', 1],
    ['name=="Pisa Tower";almostFull==false', 1],
    ['name=="Pisa Tower"|almostFull==false', 3],
    ['(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false', 2],
    ['airQualityLevel==4', 1],
    ['airQualityLevel>=4;airQualityLevel<7', 2],
    ['locatedIn==urn:ngsi-ld:City:Pisa', 1],
    ['locatedIn==urn:ngsi-ld:City:Paris', 0],
    ['locatedIn==urn:ngsi-ld:City:Pisa|locatedIn==urn:ngsi-ld:City:Paris', 1],
  ];
  for (const [q, count] of cases) {
    test(q, () => assert.equal(etsiBuildings().filter((e) => matches(q, e)).length, count));
  }
});

describe('evaluateQ: semantics', () => {
  test('ranges, lists and != with missing attributes', () => {
    const [a, b, c] = etsiBuildings();
    assert.deepEqual(
      [a, b, c].map((e) => matches('airQualityLevel==5..7', e)),
      [false, true, true],
    );
    assert.deepEqual(
      [a, b, c].map((e) => matches('airQualityLevel!=5..7', e)),
      [true, false, false],
    );
    assert.deepEqual(
      [a, b, c].map((e) => matches('airQualityLevel==4,7', e)),
      [true, false, true],
    );
    assert.deepEqual(
      [a, b, c].map((e) => matches('locatedIn!=urn:ngsi-ld:City:Paris', e)),
      [false, false, true],
    );
  });

  test('a kind mismatch is false for every operator', () => {
    const e = etsiBuildings()[0];
    assert.equal(matches('airQualityLevel=="4"', e), false);
    assert.equal(matches('airQualityLevel!="4"', e), false);
    assert.equal(matches('name>3', e), false);
    assert.equal(matches('almostFull==0', e), false);
  });

  test('strings compare lexicographically, dateTimes by instant', () => {
    const e = building('urn:x:1', {
      name: prop('Mango'),
      seen: prop('2020-01-01T01:00:00+01:00'),
    });
    assert.ok(matches('name>"Apple";name<"Zebra"', e));
    assert.ok(!matches('name<"Apple"', e));
    assert.ok(matches('seen==2020-01-01T00:00:00Z', e));
    assert.ok(matches('seen<2020-01-01T00:00:01Z', e));
  });

  test('sub-attributes and the observedAt/unitCode members', () => {
    const e = building('urn:x:1', {
      temperature: prop(21, {
        observedAt: '2020-09-09T16:40:00Z',
        unitCode: 'CEL',
        sub: { [`${VOCAB}accuracy`]: prop(0.5) },
      }),
    });
    assert.ok(matches('temperature.observedAt>=2020-09-01T00:00:00Z', e));
    assert.ok(!matches('temperature.observedAt>=2021-01-01T00:00:00Z', e));
    assert.ok(matches('temperature.unitCode=="CEL"', e));
    assert.ok(matches('temperature.accuracy<1', e));
    assert.ok(matches('temperature.accuracy', e));
    assert.ok(!matches('temperature.precision', e));
    assert.ok(!matches('temperature.datasetId', e));
  });

  test('compound paths index into JSON object values', () => {
    const e = building('urn:x:1', {
      address: prop({ streetAddress: 'Main St', number: { value: 5 }, tags: ['a', 'b'] }),
      config: [{ type: 'JsonProperty', json: { mode: 'eco' } }],
    });
    assert.ok(matches('address[streetAddress]=="Main St"', e));
    assert.ok(matches('address[number][value]>4', e));
    assert.ok(matches('address[tags]=="b"', e));
    assert.ok(matches('address[number]', e));
    assert.ok(!matches('address[missing]', e));
    assert.ok(matches('config[mode]=="eco"', e));
  });

  test('multi-attributes match if any instance matches', () => {
    const e = building('urn:x:1', {
      speed: [
        { type: 'Property', value: 10, datasetId: 'urn:ds:gps' },
        { type: 'Property', value: 80, datasetId: 'urn:ds:radar' },
      ],
    });
    assert.ok(matches('speed>50', e));
    assert.ok(matches('speed<50', e));
    assert.ok(matches('speed!=10', e));
    assert.ok(matches('speed.datasetId==urn:ds:radar', e));
    assert.ok(!matches('speed>100', e));
  });

  test('every attribute type compares its own member', () => {
    const e = building('urn:x:1', {
      label: [{ type: 'LanguageProperty', languageMap: { en: 'Bridge', de: ['Brücke', 'Steg'] } }],
      category: [{ type: 'VocabProperty', vocab: ['https://ex.org/Bridge'] }],
      readings: [{ type: 'ListProperty', valueList: [1, 2, 3] }],
      parts: [{ type: 'ListRelationship', objectList: ['urn:p:1', 'urn:p:2'] }],
      owners: [{ type: 'Relationship', object: ['urn:o:1', 'urn:o:2'] }],
    });
    assert.ok(matches('label=="Steg"', e));
    assert.ok(matches('label~=(?i)^brü', e));
    assert.ok(matches('category==https://ex.org/Bridge', e));
    assert.ok(matches('readings==3', e));
    assert.ok(!matches('readings>3', e));
    assert.ok(matches('parts==urn:p:2', e));
    assert.ok(matches('owners=="urn:o:2"', e));
    assert.ok(!matches('owners!=urn:o:2', e));
  });

  test('regular expressions', () => {
    const [a, b] = etsiBuildings();
    assert.ok(matches('name~=^Eif', a));
    assert.ok(!matches('name~=^Eif', b));
    assert.ok(matches('name!~=^Eif', b));
    assert.ok(matches('name~=(?i)TOWER$', b));
    assert.ok(!matches('airQualityLevel~=4', a));
    assert.ok(!matches('airQualityLevel!~=4', a));
  });

  test('JSON-LD value objects stand for their value', () => {
    const e = building('urn:x:1', { at: prop({ '@type': 'DateTime', '@value': '2024-05-01T00:00:00Z' }) });
    assert.ok(matches('at>2024-04-30T00:00:00Z', e));
  });
});

describe('evaluateQ: agrees with a reference on generated entities', () => {
  test('numeric terms under AND/OR', () => {
    const names = ['a', 'b', 'c'] as const;
    const ops = ['==', '!=', '>', '>=', '<', '<='] as const;
    type Term = { attr: (typeof names)[number]; op: (typeof ops)[number]; value: number };
    const term = fc.record({
      attr: fc.constantFrom(...names),
      op: fc.constantFrom(...ops),
      value: fc.integer({ min: -3, max: 3 }),
    });
    const query = fc.array(fc.array(term, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 });
    const entityValues = fc.record(
      { a: fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 2 }), b: fc.integer({ min: -3, max: 3 }) },
      { requiredKeys: [] },
    );
    const holds: Record<Term['op'], (x: number, y: number) => boolean> = {
      '==': (x, y) => x === y,
      '!=': (x, y) => x !== y,
      '>': (x, y) => x > y,
      '>=': (x, y) => x >= y,
      '<': (x, y) => x < y,
      '<=': (x, y) => x <= y,
    };
    fc.assert(
      fc.property(query, entityValues, (dnf, values) => {
        const attrs: Record<string, Attribute[]> = {};
        // `a` is a multi-attribute (one instance per value), `b` a single one, `c` never present.
        if (values.a)
          attrs.a = values.a.map((v, i) => ({ type: 'Property', value: v, datasetId: `urn:ds:${i}` }));
        if (values.b !== undefined) attrs.b = prop(values.b);
        const entity = building('urn:x:1', attrs);
        const instances = (name: string): number[] =>
          name === 'a' ? (values.a ?? []) : name === 'b' && values.b !== undefined ? [values.b] : [];
        const reference = dnf.some((conj) =>
          conj.every((t) => instances(t.attr).some((v) => holds[t.op](v, t.value))),
        );
        const q = dnf.map((conj) => conj.map((t) => `${t.attr}${t.op}${t.value}`).join(';')).join('|');
        assert.equal(matches(q, entity), reference, q);
      }),
      { numRuns: 1000 },
    );
  });
});
