import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { type Entity, evaluateQ, expandQ, parseQ, TermMap } from '../../src/ngsi/index.ts';
import type { Store } from '../../src/store/index.ts';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { storeContract } from './contract.ts';
import { createTestDatabase } from './postgres-fixture.ts';

const terms = TermMap.core();
const T = (n: string) => terms.expand(n);

const q = (text: string) => {
  const r = parseQ(text);
  assert.ok(r.ok);
  return expandQ(r.value, T);
};

const LONG = `${'x'.repeat(300)}-tail`;

/** Values the attribute value index must reach: lists, several instances, objects of relationships, long strings. */
function valueEntities(): Entity[] {
  const e = (i: number, attrs: Entity['attrs']): Entity => ({
    id: `urn:ngsi-ld:V:${i}`,
    type: [T('V')],
    attrs,
  });
  return [
    e(1, { [T('level')]: [{ type: 'Property', value: 10 }] }),
    e(2, { [T('level')]: [{ type: 'Property', value: [3, 12] }] }),
    e(3, {
      [T('level')]: [
        { type: 'Property', value: 1 },
        { type: 'Property', value: 11, datasetId: 'urn:ds:b' },
      ],
    }),
    e(4, { [T('level')]: [{ type: 'ListProperty', valueList: [20, 11.5] }] }),
    e(5, { [T('owner')]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Person:a' }] }),
    e(6, {
      [T('owner')]: [{ type: 'Relationship', object: ['urn:ngsi-ld:Person:b', 'urn:ngsi-ld:Person:a'] }],
    }),
    e(7, { [T('name')]: [{ type: 'Property', value: LONG }] }),
    e(8, { [T('name')]: [{ type: 'Property', value: `${'x'.repeat(300)}-other` }] }),
    e(9, { [T('name')]: [{ type: 'LanguageProperty', languageMap: { en: 'bridge', de: 'Brücke' } }] }),
    e(10, { [T('name')]: [{ type: 'Property', value: { '@type': 'Text', '@value': 'bridge' } }] }),
    e(11, { [T('level')]: [{ type: 'Property', value: '11' }] }),
  ];
}

const QUERIES = [
  'level==11',
  'level>10.5;level<12.5',
  'level>=11',
  'level<2',
  'level==10..12',
  'level==3,20',
  'owner=="urn:ngsi-ld:Person:a"',
  'owner=="urn:ngsi-ld:Person:a","urn:ngsi-ld:Person:c"',
  `name=="${LONG}"`,
  'name=="bridge"',
  'name=="Brücke"',
  'level=="11"',
];

// one database for the file; every store gets a schema of its own, so it starts empty
const db = await createTestDatabase('contract');
if ('skip' in db) {
  test('Store contract: postgres', { skip: db.skip }, () => undefined);
} else {
  after(() => db.drop());
  storeContract('postgres', async () => openPostgresStore(await db.freshSchemaUrl()));

  describe('postgres attribute value index', () => {
    async function check(store: Store): Promise<void> {
      const all = valueEntities();
      for (const text of QUERIES) {
        const node = q(text);
        const expected = all
          .filter((e) => evaluateQ(node, e))
          .map((e) => e.id)
          .sort();
        const r = await store.queryEntities('', {
          type: { kind: 'type', name: T('V') },
          q: node,
          limit: 100,
          offset: 0,
        });
        assert.deepEqual(r.entities.map((e) => e.id).sort(), expected, text);
      }
    }

    async function put(store: Store, entities: Entity[]): Promise<void> {
      const ids = entities.map((e) => e.id);
      await store.modifyEntities('', ids, () => ({
        writes: entities.map((e) => ({ id: e.id, entity: e })),
        result: undefined,
      }));
    }

    test('q terms answered by the index find every match', async () => {
      const store = await openPostgresStore(await db.freshSchemaUrl());
      try {
        await put(store, valueEntities());
        await check(store);
        // a rewrite replaces the entity's values, a delete removes them
        const [first] = valueEntities();
        first.attrs[T('level')] = [{ type: 'Property', value: 50 }];
        await put(store, [first]);
        assert.equal(
          (await store.queryEntities('', { q: q('level==10'), limit: 10, offset: 0 })).entities.length,
          0,
        );
        assert.equal(
          (await store.queryEntities('', { q: q('level==50'), limit: 10, offset: 0 })).entities.length,
          1,
        );
        await store.modifyEntities('', [first.id], () => ({
          writes: [{ id: first.id, entity: null }],
          result: undefined,
        }));
        assert.equal(
          (await store.queryEntities('', { q: q('level==50'), limit: 10, offset: 0 })).entities.length,
          0,
        );
      } finally {
        await store.close();
      }
    });

    test('migrating an older database backfills the index', async () => {
      const url = await db.freshSchemaUrl();
      const store = await openPostgresStore(url);
      await put(store, valueEntities());
      await store.close();
      // as a database written before the index existed: no rows, entities at schema version 1
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query('DROP TABLE attr_value');
      await c.query("UPDATE schema_migration SET version = 1 WHERE part = 'entities'");
      await c.end();
      const reopened = await openPostgresStore(url);
      try {
        await check(reopened);
      } finally {
        await reopened.close();
      }
    });
  });

  test('a registration made on one node is listed on another, which caches the list', async () => {
    const url = await db.freshSchemaUrl();
    const a = (await openPostgresStore(url)) as PostgresStore;
    const b = (await openPostgresStore(url)) as PostgresStore;
    try {
      await Promise.all([a.ready, b.ready]);
      const registration = {
        id: 'urn:ngsi-ld:ContextSourceRegistration:1',
        information: [{ entities: [{ type: T('V') }] }],
        endpoint: 'http://source.example',
        mode: 'inclusive',
      };
      assert.deepEqual(await b.registrations.listRegistrations('t'), []);
      await a.registrations.createRegistration('t', registration as never);
      // the NOTIFY arrives right after the commit
      let listed: unknown[] = [];
      for (let i = 0; i < 100 && listed.length === 0; i++) {
        listed = await b.registrations.listRegistrations('t');
        if (listed.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(listed, [registration]);
      await a.registrations.deleteRegistration('t', registration.id);
      for (let i = 0; i < 100 && listed.length > 0; i++) {
        listed = await b.registrations.listRegistrations('t');
        if (listed.length > 0) await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(listed, []);
      // a list handed out is the caller's own
      await b.registrations.createRegistration('t', registration as never);
      const mine = await b.registrations.listRegistrations('t');
      mine[0].endpoint = 'http://changed.example';
      assert.equal((await b.registrations.listRegistrations('t'))[0].endpoint, 'http://source.example');
    } finally {
      await a.close();
      await b.close();
    }
  });
}
