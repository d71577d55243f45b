/**
 * Durability of notifications (issue 3, "Delivery"): the server is killed with SIGKILL while
 * notifications are queued for a receiver that is down; after a restart on the same SQLite file
 * and with the receiver back, every notification arrives, each once, in order.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startReceiver } from './subscriptions/receiver.ts';

const UPDATES = 20;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function serve(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['bin/twinbox.js', 'serve', '--port', String(port), '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TWINBOX_LOG_LEVEL: 'silent' },
    },
  );
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ngsi-ld/v1/subscriptions`);
      await res.arrayBuffer();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${output}`);
}

async function call(port: number, method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/ngsi-ld/v1${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

test('notifications queued for a dead receiver survive SIGKILL and arrive once each, in order', {
  timeout: 60_000,
}, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinbox-crash-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const [port, receiverPort] = [await freePort(), await freePort()];

  let server = await serve(port, dataDir);
  t.after(() => server.kill('SIGKILL'));
  const subscription = {
    id: 'urn:ngsi-ld:Subscription:crash',
    type: 'Subscription',
    entities: [{ type: 'Counter' }],
    watchedAttributes: ['count'],
    notification: {
      format: 'keyValues',
      attributes: ['count'],
      endpoint: { uri: `http://127.0.0.1:${receiverPort}/notify`, accept: 'application/json' },
    },
  };
  assert.equal(await call(port, 'POST', '/subscriptions', subscription), 201);
  const id = 'urn:ngsi-ld:Counter:1';
  assert.equal(
    await call(port, 'POST', '/entities', { id, type: 'Counter', count: { type: 'Property', value: 0 } }),
    201,
  );
  for (let i = 1; i <= UPDATES; i++) {
    assert.equal(
      await call(port, 'PATCH', `/entities/${id}/attrs`, { count: { type: 'Property', value: i } }),
      204,
    );
  }
  // let the notifier queue everything and fail its first attempts against the closed port
  await new Promise((r) => setTimeout(r, 400));
  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));

  const receiver = await startReceiver(receiverPort);
  t.after(() => receiver.close());
  server = await serve(port, dataDir);

  const got = await receiver.waitFor(UPDATES + 1, 30_000);
  const counts = got.map((n) => (n.body.data as Array<{ count: number }>)[0].count);
  assert.deepEqual(
    counts,
    Array.from({ length: UPDATES + 1 }, (_, i) => i),
  );
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(receiver.received.length, UPDATES + 1, 'no notification is delivered twice');
  assert.equal(new Set(got.map((n) => n.body.id)).size, UPDATES + 1);
});
