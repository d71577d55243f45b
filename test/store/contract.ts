/**
 * The Store contract: every engine runs these cases unchanged (sqlite here; the postgres engine
 * calls `storeContract` with its own factory). Cases speak in NGSI-LD operations on entities in
 * normal form and check results, never SQL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Entity, expandQ, parseGeoQuery, parseQ, TermMap } from '../../src/ngsi/index.ts';
import type { Store } from '../../src/store/index.ts';

const terms = TermMap.core();
const T = (n: string) => terms.expand(n);

function entity(i: number, extra: Entity['attrs'] = {}): Entity {
  return {
    id: `urn:ngsi-ld:Sensor:${String(i).padStart(3, '0')}`,
    type: [T(i % 2 === 0 ? 'Sensor' : 'Meter')],
    createdAt: '2024-01-01T00:00:00.000Z',
    modifiedAt: '2024-01-01T00:00:00.000Z',
    attrs: {
      [T('temperature')]: [
        {
          type: 'Property',
          value: i,
          observedAt: '2024-01-01T00:00:00.000Z',
          modifiedAt: '2024-01-01T00:00:00.000Z',
        },
      ],
      [T('name')]: [{ type: 'Property', value: `sensor ${i}` }],
      [T('location')]: [{ type: 'GeoProperty', value: { type: 'Point', coordinates: [12 + i / 100, 51] } }],
      ...extra,
    },
  };
}

async function put(store: Store, tenant: string, entities: Entity[]): Promise<void> {
  await store.modifyEntities(
    tenant,
    entities.map((e) => e.id),
    () => ({ writes: entities.map((e) => ({ id: e.id, entity: e })), result: undefined }),
  );
}

const q = (text: string) => {
  const r = parseQ(text);
  assert.ok(r.ok);
  return expandQ(r.value, T);
};

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    test('writes and reads back an entity unchanged', async () => {
      const store = await open();
      const e = entity(1);
      await put(store, '', [e]);
      assert.deepEqual(await store.getEntity('', e.id), e);
      assert.equal(await store.getEntity('', 'urn:ngsi-ld:Sensor:none'), undefined);
      await store.close();
    });

    test('tenants are isolated and created on first write', async () => {
      const store = await open();
      await put(store, 'city-a', [entity(1)]);
      assert.equal(await store.tenantExists('city-a'), true);
      assert.equal(await store.tenantExists('city-b'), false);
      assert.equal(await store.getEntity('', entity(1).id), undefined);
      assert.deepEqual(await store.listTenants(), ['city-a']);
      await store.close();
    });

    test('a mutation that throws leaves every entity as it was', async () => {
      const store = await open();
      await put(store, '', [entity(1)]);
      await assert.rejects(
        store.modifyEntities('', [entity(1).id, entity(2).id], () => {
          throw new Error('broken mutation');
        }),
      );
      assert.deepEqual(await store.getEntity('', entity(1).id), entity(1));
      assert.equal(await store.getEntity('', entity(2).id), undefined);
      await store.close();
    });

    test('modifyEntities sees the current state and reports before/after', async () => {
      const store = await open();
      await put(store, '', [entity(1)]);
      const { changes, result } = await store.modifyEntities('', [entity(1).id, entity(2).id], (current) => ({
        writes: [
          { id: entity(1).id, entity: null },
          { id: entity(2).id, entity: entity(2) },
        ],
        result: [...current.keys()],
      }));
      assert.deepEqual(result, [entity(1).id]);
      assert.equal(changes.length, 2);
      assert.deepEqual(changes[0].before, entity(1));
      assert.equal(changes[0].after, undefined);
      assert.equal(changes[1].before, undefined);
      assert.equal(await store.getEntity('', entity(1).id), undefined);
      await store.close();
    });

    test('queries by type, ids, q, attrs with limit, offset and count', async () => {
      const store = await open();
      await put(
        store,
        '',
        Array.from({ length: 30 }, (_, i) => entity(i)),
      );
      const sensors = await store.queryEntities('', {
        type: { kind: 'type', name: T('Sensor') },
        limit: 5,
        offset: 0,
        count: true,
      });
      assert.equal(sensors.count, 15);
      assert.deepEqual(
        sensors.entities.map((e) => e.id),
        [0, 2, 4, 6, 8].map((i) => entity(i).id),
      );
      const page2 = await store.queryEntities('', {
        type: { kind: 'type', name: T('Sensor') },
        limit: 5,
        offset: 5,
      });
      assert.equal(page2.entities[0].id, entity(10).id);
      const warm = await store.queryEntities('', {
        q: q('temperature>=25'),
        limit: 100,
        offset: 0,
        count: true,
      });
      assert.deepEqual(
        warm.entities.map((e) => e.attrs[T('temperature')][0].value),
        [25, 26, 27, 28, 29],
      );
      assert.equal(warm.count, 5);
      const both = await store.queryEntities('', {
        type: { kind: 'type', name: T('Meter') },
        q: q('temperature<5|name=="sensor 29"'),
        limit: 100,
        offset: 0,
      });
      assert.deepEqual(
        both.entities.map((e) => e.id),
        [1, 3, 29].map((i) => entity(i).id),
      );
      const ids = await store.queryEntities('', {
        ids: [entity(3).id, entity(7).id, 'urn:x:none'],
        limit: 10,
        offset: 0,
      });
      assert.equal(ids.entities.length, 2);
      const pattern = await store.queryEntities('', { idPattern: 'Sensor:00[0-2]$', limit: 10, offset: 0 });
      assert.equal(pattern.entities.length, 3);
      const none = await store.queryEntities('', {
        attrs: [T('humidity')],
        limit: 10,
        offset: 0,
        count: true,
      });
      assert.equal(none.count, 0);
      await store.close();
    });

    test('q terms an index answers never miss a match: arrays, long strings, language maps', async () => {
      const store = await open();
      const long = 'x'.repeat(300);
      const e: Entity = {
        id: 'urn:ngsi-ld:V:1',
        type: [T('V')],
        attrs: {
          [T('level')]: [{ type: 'Property', value: [3, 12] }],
          [T('name')]: [{ type: 'Property', value: long }],
          [T('street')]: [{ type: 'LanguageProperty', languageMap: { en: 'Main St', de: 'Hauptstr' } }],
        },
      };
      await put(store, '', [e]);
      for (const text of ['level==12', 'level>10', `name=="${long}"`, 'street=="Hauptstr"']) {
        const r = await store.queryEntities('', {
          type: { kind: 'type', name: T('V') },
          q: q(text),
          limit: 10,
          offset: 0,
        });
        assert.equal(r.entities.length, 1, text.slice(0, 30));
      }
      assert.equal(
        (await store.queryEntities('', { q: q(`name=="${long}y"`), limit: 10, offset: 0 })).entities.length,
        0,
      );
      await store.close();
    });

    test('a changed value is found by its new value only: one for one, one for many, number for string', async () => {
      const store = await open();
      const id = 'urn:ngsi-ld:V:2';
      const write = (level: unknown, name: unknown) =>
        put(store, '', [
          {
            id,
            type: [T('V')],
            attrs: {
              [T('level')]: [{ type: 'Property', value: level }],
              [T('name')]: [{ type: 'Property', value: name }],
            },
          },
        ]);
      const found = async (text: string) =>
        (
          await store.queryEntities('', {
            type: { kind: 'type', name: T('V') },
            q: q(text),
            limit: 10,
            offset: 0,
          })
        ).entities.length;
      const steps: Array<[unknown, unknown, string[], string[]]> = [
        [5, 'a', ['level==5', 'name=="a"'], []],
        [30, 'b', ['level==30', 'level>20', 'name=="b"'], ['level==5', 'level<10', 'name=="a"']],
        [[7, 40], 'c', ['level==7', 'level==40', 'name=="c"'], ['level==30', 'name=="b"']],
        [8, 9, ['level==8', 'name==9'], ['level==7', 'level==40', 'name=="c"']],
        ['high', 'd', ['level=="high"', 'name=="d"'], ['level==8', 'name==9']],
      ];
      for (const [level, name, yes, no] of steps) {
        await write(level, name);
        for (const text of yes) assert.equal(await found(text), 1, `${JSON.stringify(level)}: ${text}`);
        for (const text of no) assert.equal(await found(text), 0, `${JSON.stringify(level)}: ${text}`);
      }
      await store.close();
    });

    test('geo queries prefilter and refine exactly', async () => {
      const store = await open();
      await put(
        store,
        '',
        Array.from({ length: 30 }, (_, i) => entity(i)),
      );
      const near = parseGeoQuery(
        { georel: 'near;maxDistance==2000', geometry: 'Point', coordinates: '[12.1,51]' },
        T,
      );
      assert.ok(near.ok);
      const hits = await store.queryEntities('', { geoQ: near.value, limit: 100, offset: 0 });
      // 0.01° of longitude at 51° N is ~700 m: points 8..12 lie within 2 km of 12.1
      assert.deepEqual(
        hits.entities.map((e) => e.attrs[T('temperature')][0].value),
        [8, 9, 10, 11, 12],
      );
      const far = parseGeoQuery(
        { georel: 'near;minDistance==2000', geometry: 'Point', coordinates: '[12.1,51]' },
        T,
      );
      assert.ok(far.ok);
      assert.equal(
        (await store.queryEntities('', { geoQ: far.value, limit: 100, offset: 0, count: true })).count,
        25,
      );
      const within = parseGeoQuery(
        {
          georel: 'within',
          geometry: 'Polygon',
          coordinates: '[[[11.9,50.9],[12.055,50.9],[12.055,51.1],[11.9,51.1],[11.9,50.9]]]',
        },
        T,
      );
      assert.ok(within.ok);
      assert.equal(
        (await store.queryEntities('', { geoQ: within.value, limit: 100, offset: 0 })).entities.length,
        6,
      );
      await store.close();
    });

    test('type summaries list types with their attributes', async () => {
      const store = await open();
      await put(store, '', [
        entity(1),
        entity(2),
        entity(4, { [T('humidity')]: [{ type: 'Property', value: 3 }] }),
      ]);
      const summaries = await store.typeSummaries('');
      const sensor = summaries.find((s) => s.type === T('Sensor'));
      assert.equal(sensor?.entityCount, 2);
      assert.deepEqual([...(sensor?.attributes.get(T('location')) ?? [])], ['GeoProperty']);
      assert.ok(sensor?.attributes.has(T('humidity')));
      await store.close();
    });

    test('entity writes are kept as history instances', async () => {
      const store = await open();
      await put(store, '', [entity(1)]);
      const changed = entity(1);
      changed.attrs[T('temperature')] = [
        {
          type: 'Property',
          value: 42,
          observedAt: '2024-01-01T01:00:00.000Z',
          modifiedAt: '2024-01-01T01:00:00.000Z',
        },
      ];
      await put(store, '', [changed]);
      const { instances } = await store.history.queryInstances('', {
        entityIds: [changed.id],
        attrs: [T('temperature')],
        timeproperty: 'observedAt',
        maxPerAttribute: 100,
      });
      assert.deepEqual(
        instances.map((i) => i.attribute.value),
        [1, 42],
      );
      await store.close();
    });

    test('hosted @contexts survive and can be deleted', async () => {
      const store = await open();
      await store.putContext({
        id: 'c1',
        url: 'http://x/c1',
        kind: 'Hosted',
        body: { '@context': { a: 'http://a' } },
        createdAt: '2024-01-01T00:00:00Z',
        numberOfHits: 0,
      });
      assert.deepEqual((await store.getContext('c1'))?.body, { '@context': { a: 'http://a' } });
      assert.equal((await store.listContexts()).length, 1);
      assert.equal(await store.deleteContext('c1'), true);
      assert.equal(await store.getContext('c1'), undefined);
      await store.close();
    });
  });
}
