import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type Projection,
  parseAttrs,
  parseProjection,
  parseProjectionParams,
} from '../../src/ngsi/attrs-query.ts';
import { ErrorType, type Result } from '../../src/ngsi/errors.ts';

const V = 'https://ngsi-ld-test-suite/context#';
const expand = (t: string) => (t.includes(':') ? t : V + t);

function value<T>(r: Result<T>): T {
  assert.ok(r.ok, r.ok ? '' : r.problem.detail);
  return r.value;
}

function detail(r: Result<unknown>): string {
  assert.ok(!r.ok, 'expected a problem');
  assert.equal(r.problem.type, ErrorType.BadRequestData);
  return r.problem.detail;
}

/** A plain view of a projection for deepEqual. */
function plain(p: Projection): unknown {
  return {
    members: [...p.members],
    linked: Object.fromEntries([...p.linked].map(([k, v]) => [k, plain(v)])),
  };
}

describe('parseAttrs', () => {
  test('expands a comma list', () => {
    assert.deepEqual([...value(parseAttrs('name,schema:address', expand))], [`${V}name`, 'schema:address']);
  });
  test('errors', () => {
    assert.equal(detail(parseAttrs('name,,x', expand)), 'attrs: empty attribute name at position 5');
    assert.equal(detail(parseAttrs('', expand)), 'attrs: empty attribute name at position 0');
    assert.equal(detail(parseAttrs('id;name', expand)), "attrs: invalid character ';' at position 2");
  });
});

describe('parseProjection: ETSI 019_17 and 019_22 values', () => {
  test('attributes and core members', () => {
    assert.deepEqual(plain(value(parseProjection('id,name', 'pick', expand))), {
      members: ['id', `${V}name`],
      linked: {},
    });
    assert.deepEqual(plain(value(parseProjection('type,name', 'omit', expand))), {
      members: ['type', `${V}name`],
      linked: {},
    });
  });

  test('linked entities, two levels deep', () => {
    assert.deepEqual(
      plain(value(parseProjection('id,locatedAt{id,name,isInCountry{id,description}}', 'pick', expand))),
      {
        members: ['id', `${V}locatedAt`],
        linked: {
          [`${V}locatedAt`]: {
            members: ['id', `${V}name`, `${V}isInCountry`],
            linked: { [`${V}isInCountry`]: { members: ['id', `${V}description`], linked: {} } },
          },
        },
      },
    );
  });
});

describe('parseProjection: ETSI 019_18 invalid values', () => {
  const cases: [string, string, string][] = [
    ['019_18_04', 'id;name', "pick: invalid character ';' at position 2"],
    ['019_18_05', 'id,locatedAt{name', "pick: unclosed '{' at position 12"],
    ['019_18_06', 'id,locatedAt{{name}', "pick: expected a member name at position 13, found '{'"],
    ['019_18_07', 'id,,name', "pick: expected a member name at position 3, found ','"],
    ['019_18_08', 'id,locatedAt{,name}', "pick: expected a member name at position 13, found ','"],
    ['019_18_09', 'id,locatedAt{}', "pick: expected a member name at position 13, found '}'"],
    ['trailing comma', 'id,', 'pick: empty member name at end'],
    ['stray brace', 'id}', "pick: unbalanced '}' at position 2"],
    [
      'brace on a core member',
      'id{x}',
      "pick: 'id' is not a Relationship and cannot be followed by '{' at position 2",
    ],
  ];
  for (const [id, text, expected] of cases) {
    test(`${id}: ${text}`, () => assert.equal(detail(parseProjection(text, 'pick', expand)), expected));
  }

  test('arbitrary strings parse or give BadRequestData, never throw', () => {
    const alphabet = fc.constantFrom(...'ab,{};id '.split(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 30 }),
          fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')),
        ),
        (s) => {
          for (const r of [parseProjection(s, 'omit', expand), parseAttrs(s, expand)]) {
            if (!r.ok) assert.equal(r.problem.type, ErrorType.BadRequestData);
          }
        },
      ),
      { numRuns: 2000 },
    );
    assert.ok(!parseProjection(`${'a{'.repeat(5000)}b${'}'.repeat(5000)}`, 'pick', expand).ok);
  });

  test('generated projections parse back to the members they were built from', () => {
    type Tree = { name: string; children: Tree }[];
    const name = fc
      .stringMatching(/^[a-z][a-zA-Z0-9]{0,5}$/)
      .filter((n) => !['id', 'type', 'scope'].includes(n));
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.uniqueArray(
        fc.record({ name, children: fc.oneof({ depthSize: 'small' }, fc.constant<Tree>([]), tie('t')) }),
        { minLength: 1, maxLength: 4, selector: (m) => m.name },
      ),
    })).t;
    const print = (t: Tree): string =>
      t.map((m) => (m.children.length > 0 ? `${m.name}{${print(m.children)}}` : m.name)).join(',');
    const reference = (t: Tree): unknown => ({
      members: t.map((m) => expand(m.name)),
      linked: Object.fromEntries(
        t.filter((m) => m.children.length > 0).map((m) => [expand(m.name), reference(m.children)]),
      ),
    });
    fc.assert(
      fc.property(tree, (t) =>
        assert.deepEqual(plain(value(parseProjection(print(t), 'pick', expand))), reference(t)),
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseProjectionParams: combinations (ETSI 019_18_01..03)', () => {
  test('same member in pick and omit', () => {
    assert.equal(
      detail(parseProjectionParams({ pick: 'name', omit: 'name' }, expand)),
      `pick, omit: '${V}name' is both picked and omitted`,
    );
  });
  test('pick or omit with attrs', () => {
    assert.equal(
      detail(parseProjectionParams({ pick: 'name', attrs: 'category' }, expand)),
      'pick: cannot be combined with attrs (clause 4.21)',
    );
    assert.equal(
      detail(parseProjectionParams({ omit: 'name', attrs: 'category' }, expand)),
      'omit: cannot be combined with attrs (clause 4.21)',
    );
  });
  test('valid combinations', () => {
    const r = value(parseProjectionParams({ pick: 'id,name', omit: 'type' }, expand));
    assert.deepEqual([...(r.pick?.members ?? [])], ['id', `${V}name`]);
    assert.deepEqual([...(r.omit?.members ?? [])], ['type']);
    assert.deepEqual(
      [...(value(parseProjectionParams({ attrs: 'name' }, expand)).attrs ?? [])],
      [`${V}name`],
    );
    assert.deepEqual(value(parseProjectionParams({}, expand)), {});
  });
});
