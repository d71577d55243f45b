import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ErrorType, type Result } from '../../src/ngsi/errors.ts';
import { expandQ, parseQ } from '../../src/ngsi/q-parser.ts';
import type { QNode, QPath, QScalar } from '../../src/ngsi/query-ast.ts';

function parsed(q: string): QNode {
  const r = parseQ(q);
  assert.ok(r.ok, `expected ${q} to parse: ${r.ok ? '' : r.problem.detail}`);
  return r.value;
}

function detail(r: Result<unknown>): string {
  assert.ok(!r.ok, 'expected a problem');
  assert.equal(r.problem.type, ErrorType.BadRequestData);
  assert.equal(r.problem.status, 400);
  return r.problem.detail;
}

const path = (attr: string, sub: string[] = [], compound: string[] = []): QPath => ({ attr, sub, compound });

describe('parseQ: the ETSI conformance expressions (019_09)', () => {
  test('a quoted string', () => {
    assert.deepEqual(parsed('name=="Eiffel Tower"'), {
      kind: 'compare',
      path: path('name'),
      op: '==',
      value: { kind: 'string', value: 'Eiffel Tower' },
    });
  });

  test('AND of a string and a boolean', () => {
    const n = parsed('name=="Pisa Tower";almostFull==false');
    assert.equal(n.kind, 'and');
    assert.deepEqual(n.kind === 'and' && n.children[1], {
      kind: 'compare',
      path: path('almostFull'),
      op: '==',
      value: { kind: 'boolean', value: false },
    });
  });

  test('parentheses group an OR under an AND', () => {
    const n = parsed('(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false');
    assert.equal(n.kind, 'and');
    assert.ok(n.kind === 'and');
    assert.equal(n.children[0].kind, 'or');
    assert.equal(n.children.length, 2);
  });

  test('numeric comparisons', () => {
    const n = parsed('airQualityLevel>=4;airQualityLevel<7');
    assert.ok(n.kind === 'and');
    assert.deepEqual(
      n.children.map((c) => c.kind === 'compare' && [c.op, c.value]),
      [
        ['>=', { kind: 'number', value: 4 }],
        ['<', { kind: 'number', value: 7 }],
      ],
    );
  });

  test('relationship with an unquoted URI', () => {
    const n = parsed('locatedIn==urn:ngsi-ld:City:Pisa|locatedIn==urn:ngsi-ld:City:Paris');
    assert.ok(n.kind === 'or');
    assert.deepEqual(n.children[0], {
      kind: 'compare',
      path: path('locatedIn'),
      op: '==',
      value: { kind: 'uri', value: 'urn:ngsi-ld:City:Pisa' },
    });
  });
});

describe('parseQ: precedence', () => {
  test('AND binds tighter than OR', () => {
    const n = parsed('a==1|b==2;c==3');
    assert.ok(n.kind === 'or');
    assert.equal(n.children[0].kind, 'compare');
    assert.equal(n.children[1].kind, 'and');
  });

  test('parentheses override precedence, nested groups of one kind flatten', () => {
    const n = parsed('(a|b);c');
    assert.ok(n.kind === 'and');
    assert.equal(n.children[0].kind, 'or');
    const flat = parsed('a;(b;c);d');
    assert.ok(flat.kind === 'and');
    assert.equal(flat.children.length, 4);
  });

  test('a bare attribute is an existence test; whitespace between tokens is allowed', () => {
    assert.deepEqual(parsed(' ( speed ) '), { kind: 'exists', path: path('speed') });
    assert.equal(parsed('a == 1 ; b').kind, 'and');
  });
});

describe('parseQ: values', () => {
  const value = (q: string) => {
    const n = parsed(q);
    assert.ok(n.kind === 'compare');
    return n.value;
  };

  test('numbers, including negative and exponent forms', () => {
    assert.deepEqual(value('a==-2.5e3'), { kind: 'number', value: -2500 });
    assert.deepEqual(value('a>0'), { kind: 'number', value: 0 });
  });

  test('string escapes', () => {
    assert.deepEqual(value('a=="say \\"hi\\" \\\\ \\u00e9"'), { kind: 'string', value: 'say "hi" \\ é' });
    assert.deepEqual(value('a=="x;y|z)"'), { kind: 'string', value: 'x;y|z)' });
  });

  test('dateTime, date and time', () => {
    assert.deepEqual(value('observedAt>=2020-09-09T16:40:00.000Z'), {
      kind: 'dateTime',
      value: '2020-09-09T16:40:00.000Z',
      epochMs: Date.parse('2020-09-09T16:40:00.000Z'),
    });
    const offset = value('t<2020-09-09T18:40:00+02:00');
    assert.equal(offset.kind === 'dateTime' && offset.epochMs, Date.parse('2020-09-09T16:40:00Z'));
    assert.deepEqual(value('d==2021-02-28'), { kind: 'date', value: '2021-02-28' });
    assert.deepEqual(value('t>12:30:00'), { kind: 'time', value: '12:30:00' });
  });

  test('lists and ranges', () => {
    assert.deepEqual(value('a==1,"two",urn:x:3'), {
      kind: 'list',
      values: [
        { kind: 'number', value: 1 },
        { kind: 'string', value: 'two' },
        { kind: 'uri', value: 'urn:x:3' },
      ],
    });
    assert.deepEqual(value('a!=1.5..2.5'), {
      kind: 'range',
      from: { kind: 'number', value: 1.5 },
      to: { kind: 'number', value: 2.5 },
    });
    assert.equal(value('d==2020-01-01T00:00:00Z..2021-01-01T00:00:00Z').kind, 'range');
  });

  test('regular expressions, quoted or not, with an inline case flag', () => {
    assert.deepEqual(value('name~=(?i)tow(er|n)'), { kind: 'regex', pattern: 'tow(er|n)', flags: 'i' });
    assert.deepEqual(value('name!~="a;b"'), { kind: 'regex', pattern: 'a;b', flags: '' });
    const n = parsed('name~=^P[a|b]+;x==1');
    assert.ok(n.kind === 'and');
    assert.deepEqual(n.children[0].kind === 'compare' && n.children[0].value, {
      kind: 'regex',
      pattern: '^P[a|b]+',
      flags: '',
    });
  });
});

describe('parseQ: paths', () => {
  const pathOf = (q: string) => {
    const n = parsed(q);
    assert.ok(n.kind === 'compare' || n.kind === 'exists');
    return n.path;
  };

  test('sub-attributes, compound keys and both', () => {
    assert.deepEqual(
      pathOf('temperature.observedAt>=2020-01-01T00:00:00Z'),
      path('temperature', ['observedAt']),
    );
    assert.deepEqual(pathOf('address[street][number]==5'), path('address', [], ['street', 'number']));
    assert.deepEqual(pathOf('a.b.c[k]'), path('a', ['b', 'c'], ['k']));
  });

  test('compact and full IRIs as attribute names', () => {
    assert.deepEqual(pathOf('schema:name=="x"'), path('schema:name'));
    assert.deepEqual(pathOf('https://example#speed>1'), path('https://example#speed'));
  });
});

describe('parseQ: errors say what and where', () => {
  const cases: [string, string][] = [
    ['', 'q: empty expression'],
    ['(a==1', 'q: unbalanced parenthesis at position 0'],
    ['a==1)', 'q: unbalanced parenthesis at position 4'],
    ['(a==1;(b==2)', 'q: unbalanced parenthesis at position 0'],
    ['a=="x', 'q: unterminated string starting at position 3'],
    ['==3', "q: expected attribute name at position 0, found '='"],
    ['a==', 'q: expected a value at end of expression'],
    ['a;', 'q: expected attribute name at end of expression'],
    ['a>true', 'q: > needs a number, quoted string, dateTime, date or time at position 2'],
    ['a>1,2', 'q: a value list needs == or != at position 2'],
    ['a<1..2', 'q: a range needs == or != at position 2'],
    ['a==1.."x"', 'q: range bounds must be two numbers, strings, dates or times of one kind at position 3'],
    ['a~=[', 'q: invalid regular expression at position 3'],
    ['a[k==1', "q: unclosed '[' at position 1"],
    ['a[]==1', 'q: empty compound key at position 1'],
    ['a=1', "q: expected an operator (==, !=, >, >=, <, <=, ~=, !~=) at position 1, found '='"],
    ['name==\\', "q: unexpected '\\' in value at position 6"],
    ['a==2020-13-01T00:00:00Z', "q: invalid dateTime '2020-13-01T00:00:00Z' at position 3"],
    ['a==2021-02-30', "q: invalid date '2021-02-30' at position 3"],
    ['(a==1 b)', "q: unexpected 'b' at position 6"],
  ];
  for (const [q, expected] of cases) {
    test(JSON.stringify(q), () => assert.equal(detail(parseQ(q)), expected));
  }

  test('deep nesting is refused, not a stack overflow', () => {
    const q = `${'('.repeat(5000)}a${')'.repeat(5000)}`;
    assert.match(detail(parseQ(q)), /^q: parentheses nested deeper than 32 at position 32$/);
    assert.ok(parseQ(`${'('.repeat(32)}a${')'.repeat(32)}`).ok);
  });
});

describe('expandQ', () => {
  test('expands attribute and sub-attribute names but not compound keys', () => {
    const expand = (t: string) => (t.includes(':') ? t : `https://ex.org/${t}`);
    const n = expandQ(parsed('(a.observedAt>1|b[k]==2);urn:x==1'), expand);
    assert.deepEqual(n, {
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            {
              kind: 'compare',
              path: path('https://ex.org/a', ['https://ex.org/observedAt']),
              op: '>',
              value: { kind: 'number', value: 1 },
            },
            {
              kind: 'compare',
              path: path('https://ex.org/b', [], ['k']),
              op: '==',
              value: { kind: 'number', value: 2 },
            },
          ],
        },
        { kind: 'compare', path: path('urn:x'), op: '==', value: { kind: 'number', value: 1 } },
      ],
    });
  });
});

describe('parseQ: properties', () => {
  test('arbitrary strings parse or give a BadRequestData problem, never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (q) => {
        const r = parseQ(q);
        if (!r.ok) {
          assert.equal(r.problem.type, ErrorType.BadRequestData);
          assert.match(r.problem.detail, /^q: /);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('strings over the q alphabet parse or give a problem, never throw', () => {
    const alphabet = fc.constantFrom(...'ab.[]()=!<>~;|,"\\0123456789-:T Z'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const r = parseQ(chars.join(''));
        if (!r.ok) assert.equal(r.problem.type, ErrorType.BadRequestData);
      }),
      { numRuns: 3000 },
    );
  });

  test('generated valid expressions parse and print back to the same tree', () => {
    const name = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,6}$/);
    const scalar = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      fc.constantFrom('true', 'false', 'urn:ngsi-ld:City:Pisa', '2020-01-01T00:00:00Z', '2021-06-30'),
    );
    const term = fc.oneof(
      fc.tuple(name, fc.constantFrom('==', '!='), scalar).map(([a, op, v]) => `${a}${op}${v}`),
      fc
        .tuple(name, fc.constantFrom('>', '>=', '<', '<='), fc.integer())
        .map(([a, op, v]) => `${a}${op}${v}`),
      fc
        .tuple(name, fc.array(scalar, { minLength: 2, maxLength: 3 }))
        .map(([a, vs]) => `${a}==${vs.join(',')}`),
      fc.tuple(name, fc.integer(), fc.integer()).map(([a, x, y]) => `${a}!=${x}..${y}`),
      fc.tuple(name, name).map(([a, s]) => `${a}.${s}`),
      name,
    );
    const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        term,
        fc.tuple(tie('e'), fc.constantFrom(';', '|'), tie('e')).map(([a, op, b]) => `${a}${op}${b}`),
        tie('e').map((e) => `(${e})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (q) => {
        const r = parseQ(q);
        assert.ok(r.ok, `${q}: ${r.ok ? '' : r.problem.detail}`);
        const again = parseQ(print(r.value));
        assert.ok(again.ok);
        assert.deepEqual(again.value, r.value);
      }),
      { numRuns: 500 },
    );
  });
});

/** A printer independent of the parser, to check the tree carries everything the text said. */
function print(n: QNode): string {
  switch (n.kind) {
    case 'and':
      return n.children.map((c) => `(${print(c)})`).join(';');
    case 'or':
      return n.children.map((c) => `(${print(c)})`).join('|');
    case 'exists':
      return printPath(n.path);
    case 'compare': {
      const v = n.value;
      const scalar = (s: QScalar): string => {
        if (s.kind === 'string') return JSON.stringify(s.value);
        if (s.kind === 'null') return 'null';
        return String(s.value);
      };
      let text: string;
      if (v.kind === 'list') text = v.values.map(scalar).join(',');
      else if (v.kind === 'range') text = `${scalar(v.from)}..${scalar(v.to)}`;
      else if (v.kind === 'regex') text = JSON.stringify(v.flags === 'i' ? `(?i)${v.pattern}` : v.pattern);
      else text = scalar(v);
      return `${printPath(n.path)}${n.op}${text}`;
    }
  }
}

function printPath(p: QPath): string {
  return [p.attr, ...p.sub].join('.') + p.compound.map((k) => `[${k}]`).join('');
}
