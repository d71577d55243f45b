import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ErrorType } from '../../src/ngsi/errors.ts';
import type { TypeNode } from '../../src/ngsi/query-ast.ts';
import { evaluateTypeQuery, expandTypeQuery, parseTypeQuery } from '../../src/ngsi/type-query.ts';

function parsed(type: string): TypeNode {
  const r = parseTypeQuery(type);
  assert.ok(r.ok, r.ok ? '' : r.problem.detail);
  return r.value;
}

const t = (name: string): TypeNode => ({ kind: 'type', name });

describe('parseTypeQuery', () => {
  test('one type, lists and OR', () => {
    assert.deepEqual(parsed('Building'), t('Building'));
    assert.deepEqual(parsed('Building,Vehicle'), { kind: 'or', children: [t('Building'), t('Vehicle')] });
    assert.deepEqual(parsed('Building|Vehicle|Tree'), {
      kind: 'or',
      children: [t('Building'), t('Vehicle'), t('Tree')],
    });
  });

  test('AND binds tighter than OR; parentheses group', () => {
    assert.deepEqual(parsed('A;B|C'), {
      kind: 'or',
      children: [{ kind: 'and', children: [t('A'), t('B')] }, t('C')],
    });
    assert.deepEqual(parsed('(A;B)'), { kind: 'and', children: [t('A'), t('B')] });
    assert.deepEqual(parsed('A;(B|C)'), {
      kind: 'and',
      children: [t('A'), { kind: 'or', children: [t('B'), t('C')] }],
    });
  });

  test('IRIs and compact IRIs are type names', () => {
    assert.deepEqual(
      parsed('https://ngsi-ld-test-suite/context#Building'),
      t('https://ngsi-ld-test-suite/context#Building'),
    );
    assert.deepEqual(parsed('schema:Place'), t('schema:Place'));
  });

  const errors: [string, string][] = [
    ['', 'type: empty expression'],
    ['(A;B', 'type: unbalanced parenthesis at position 0'],
    ['A;B)', 'type: unbalanced parenthesis at position 3'],
    ['A,,B', "type: expected a type name at position 2, found ','"],
    ['A;', 'type: expected a type name at end of expression'],
    ['(A B)', "type: unexpected 'B' at position 3"],
  ];
  for (const [input, detail] of errors) {
    test(`error: ${JSON.stringify(input)}`, () => {
      const r = parseTypeQuery(input);
      assert.ok(!r.ok);
      assert.equal(r.problem.type, ErrorType.BadRequestData);
      assert.equal(r.problem.detail, detail);
    });
  }

  test('arbitrary strings parse or give BadRequestData, never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = parseTypeQuery(s);
        if (!r.ok) assert.equal(r.problem.type, ErrorType.BadRequestData);
      }),
      { numRuns: 2000 },
    );
    assert.ok(!parseTypeQuery(`${'('.repeat(10000)}A`).ok);
  });
});

describe('expandTypeQuery and evaluateTypeQuery', () => {
  const expand = (name: string) => `https://ex.org/${name}`;
  const selects = (type: string, types: string[]) =>
    evaluateTypeQuery(expandTypeQuery(parsed(type), expand), types.map(expand));

  test('ETSI 019_08: one type, AND, OR', () => {
    assert.ok(selects('Building', ['Building']));
    assert.ok(!selects('Building', ['Vehicle']));
    assert.ok(selects('Building;Landmark', ['Building', 'Landmark']));
    assert.ok(!selects('Building;Landmark', ['Building']));
    assert.ok(selects('Building|Vehicle', ['Vehicle']));
    assert.ok(selects('(Building;Landmark)|Vehicle', ['Vehicle']));
    assert.ok(!selects('(Building;Landmark)|Vehicle', ['Landmark']));
  });

  test('agrees with boolean evaluation on generated expressions', () => {
    const names = ['A', 'B', 'C'];
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(...names),
        fc.tuple(tie('e'), fc.constantFrom(';', '|', ','), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, fc.subarray(names), (e, types) => {
        // The same expression in JS syntax gives the reference answer.
        const js = e
          .replace(/;/g, '&&')
          .replace(/[|,]/g, '||')
          .replace(/[ABC]/g, (n) => String(types.includes(n)));
        const reference = Function(`return ${js}`)() as boolean;
        assert.equal(selects(e, types), reference, e);
      }),
      { numRuns: 500 },
    );
  });
});
