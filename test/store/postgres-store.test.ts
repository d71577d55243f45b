import { after, test } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { storeContract } from './contract.ts';
import { createTestDatabase } from './postgres-fixture.ts';

// one database for the file; every case gets a schema of its own, so it starts empty
const db = await createTestDatabase('contract');
if ('skip' in db) {
  test('Store contract: postgres', { skip: db.skip }, () => undefined);
} else {
  after(() => db.drop());
  storeContract('postgres', async () => openPostgresStore(await db.freshSchemaUrl()));
}
