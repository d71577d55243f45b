/**
 * The SQLite subscription store on a real file: the change log is written only for tenants with
 * subscriptions and in the entity write's transaction, the queue keeps per-subscription order,
 * and everything survives reopening the file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Entity, TermMap } from '../../src/ngsi/index.ts';
import { parseSubscription, type Subscription } from '../../src/ngsi/subscription.ts';
import { SqliteStore } from '../../src/store/index.ts';

function tempFile(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-subs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'twin.sqlite');
}

function subscription(id: string): Subscription {
  const r = parseSubscription(
    {
      id,
      type: 'Subscription',
      entities: [{ type: 'Sensor' }],
      notification: { endpoint: { uri: 'http://127.0.0.1:9/n' } },
    },
    TermMap.core(),
    { now: '2024-01-01T00:00:00Z', id },
  );
  assert.ok(r.ok);
  return r.value;
}

const entity = (id: string, v: number): Entity => ({
  id,
  type: ['https://uri.etsi.org/ngsi-ld/default-context/Sensor'],
  attrs: { v: [{ type: 'Property', value: v }] },
});

async function write(store: SqliteStore, tenant: string, id: string, v: number) {
  await store.modifyEntities(tenant, [id], () => ({
    writes: [{ id, entity: entity(id, v) }],
    result: undefined,
  }));
}

test('writes are logged only for tenants with a subscription, in commit order, and survive reopening', async (t) => {
  const path = tempFile(t);
  let store = new SqliteStore(path);
  await write(store, 'a', 'urn:x:1', 1);
  assert.deepEqual(await store.subscriptions.backlog(), { changes: 0, queued: 0 });
  assert.equal(await store.subscriptions.create('a', subscription('urn:s:1')), true);
  assert.equal(await store.subscriptions.create('a', subscription('urn:s:1')), false);
  await write(store, 'a', 'urn:x:1', 2);
  await write(store, 'b', 'urn:x:1', 2);
  await write(store, 'a', 'urn:x:2', 3);
  assert.deepEqual(await store.subscriptions.backlog(), { changes: 2, queued: 0 });
  await store.close();

  store = new SqliteStore(path);
  t.after(() => store.close());
  const seen: number[] = [];
  const taken = await store.subscriptions.drainChanges(10, (batch) => {
    seen.push(batch.changes[0].after?.attrs.v[0].value as number);
    return [{ tenant: batch.tenant, subscriptionId: 'urn:s:1', payload: JSON.stringify(seen.length) }];
  });
  assert.equal(taken, 2);
  assert.deepEqual(seen, [2, 3]);
  assert.deepEqual(await store.subscriptions.backlog(), { changes: 0, queued: 2 });

  const head = await store.subscriptions.head('a', 'urn:s:1');
  assert.equal(head?.payload, '1');
  await store.subscriptions.failed('a', 'urn:s:1', head!.seq, '2024-01-01T00:00:01Z', 5000);
  const retried = await store.subscriptions.head('a', 'urn:s:1');
  assert.equal(retried?.seq, head!.seq, 'a failed notification stays at the head');
  assert.equal(retried?.attempts, 1);
  assert.deepEqual(await store.subscriptions.pending(), [
    { tenant: 'a', subscriptionId: 'urn:s:1', nextAttemptAt: 5000 },
  ]);
  await store.subscriptions.delivered('a', 'urn:s:1', head!.seq, '2024-01-01T00:00:02Z');
  assert.equal((await store.subscriptions.head('a', 'urn:s:1'))?.payload, '2');
  const { state } = (await store.subscriptions.get('a', 'urn:s:1'))!;
  assert.deepEqual(state, {
    timesSent: 2,
    timesFailed: 1,
    lastNotification: '2024-01-01T00:00:02Z',
    lastSuccess: '2024-01-01T00:00:02Z',
    lastFailure: '2024-01-01T00:00:01Z',
    notificationStatus: 'ok',
  });
  assert.equal(await store.subscriptions.delete('a', 'urn:s:1'), true);
  assert.deepEqual(
    await store.subscriptions.backlog(),
    { changes: 0, queued: 0 },
    'deleting drops its queue',
  );
  await write(store, 'a', 'urn:x:1', 4);
  assert.deepEqual(await store.subscriptions.backlog(), { changes: 0, queued: 0 }, 'no subscription, no log');
});

test('a rolled-back entity write leaves no change row', async (t) => {
  const store = new SqliteStore(tempFile(t));
  t.after(() => store.close());
  await store.subscriptions.create('', subscription('urn:s:1'));
  // a hook after ours fails, so the transaction that holds our change row rolls back
  store.addWriteHook(() => {
    throw new Error('later work of the same transaction failed');
  });
  await assert.rejects(write(store, '', 'urn:x:1', 1), /later work/);
  assert.equal(await store.getEntity('', 'urn:x:1'), undefined);
  assert.deepEqual(await store.subscriptions.backlog(), { changes: 0, queued: 0 });
});
