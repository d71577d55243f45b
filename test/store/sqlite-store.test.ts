import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { expandQ, parseQ, TermMap } from '../../src/ngsi/index.ts';
import { openStore } from '../../src/store/index.ts';
import { storeContract } from './contract.ts';

// a real SQLite file per case, in WAL mode like production
const dir = mkdtempSync(join(tmpdir(), 'twinbox-store-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));
storeContract('sqlite', async () => openStore({ engine: 'sqlite', path: join(dir, `store-${n++}.sqlite`) }));

const terms = TermMap.core();
const iri = (n: string) => terms.expand(n);

// An older file brought forward on open has an empty value index, rebuilt from the documents:
// more than one page of them, written while they are read.
test('the value index is rebuilt from the documents when a file is opened with it empty', async () => {
  const path = join(dir, 'rebuild.sqlite');
  let store = openStore({ engine: 'sqlite', path });
  const ids = Array.from({ length: 2500 }, (_, i) => `urn:ngsi-ld:Sensor:r${i}`);
  await store.modifyEntities('city', ids, () => ({
    writes: ids.map((id, i) => ({
      id,
      entity: { id, type: [iri('Sensor')], attrs: { [iri('level')]: [{ type: 'Property', value: i }] } },
    })),
    result: undefined,
  }));
  (store as unknown as { database: { exec(sql: string): void } }).database.exec('DELETE FROM attr_value');
  await store.close();
  store = openStore({ engine: 'sqlite', path });
  const q = parseQ('level>=2400;level<2403');
  assert.ok(q.ok);
  const { entities } = await store.queryEntities('city', {
    type: { kind: 'type', name: iri('Sensor') },
    q: expandQ(q.value, iri),
    limit: 10,
    offset: 0,
  });
  assert.deepEqual(
    entities.map((e) => e.id),
    [ids[2400], ids[2401], ids[2402]],
  );
  await store.close();
});
