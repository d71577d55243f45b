/**
 * Two twinbox nodes on one PostgreSQL database behave as one broker: concurrent writers to the
 * same entities through both nodes lose no update (the final state equals a serial replay of the
 * same operations), and each change is notified exactly once, whichever node took the write.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, test } from 'node:test';
import { createBroker } from '../../src/broker/index.ts';
import { type Entity, parseEntity, TermMap } from '../../src/ngsi/index.ts';
import { openStore } from '../../src/store/index.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { createTestDatabase, type NodeProcess, servesPostgres, startNode } from './postgres-fixture.ts';

const ENTITIES = 5;
const WRITERS = 8;
const WRITES_PER_WRITER = 25;

const entityId = (e: number) => `urn:ngsi-ld:Counter:${e}`;

/** The operations of the run: writer w appends its own attribute to one entity per step. */
function operations(): Array<{ writer: number; step: number; entity: string; attr: string; value: number }> {
  const ops = [];
  for (let w = 0; w < WRITERS; w++) {
    for (let i = 0; i < WRITES_PER_WRITER; i++)
      ops.push({ writer: w, step: i, entity: entityId((w + i) % ENTITIES), attr: `w${w}`, value: i });
  }
  return ops;
}

async function call(method: string, url: string, body?: unknown): Promise<number> {
  const r = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  await r.arrayBuffer();
  return r.status;
}

/** Entities without the times each write stamps, which no two runs share. */
function timeless(e: Entity | undefined): unknown {
  if (!e) return e;
  const attrs = Object.fromEntries(
    Object.entries(e.attrs)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, list]) => [k, list.map(({ createdAt: _c, modifiedAt: _m, ...rest }) => rest)]),
  );
  return { id: e.id, type: e.type, attrs };
}

const db = await createTestDatabase('multinode');
if ('skip' in db) {
  test('two nodes on one database', { skip: db.skip }, () => undefined);
} else {
  after(() => db.drop());

  test('two nodes, concurrent writers: no lost update, one notification per change', {
    timeout: 60_000,
  }, async () => {
    // migrate once up front, as `twinbox migrate` would before a rollout
    await (await openPostgresStore(db.url)).close();
    const received: Array<{ id: string; entity: string }> = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          id: string;
          data: Array<{ id: string }>;
        };
        for (const d of body.data) received.push({ id: body.id, entity: d.id });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/notify`;
    const viaCli = await servesPostgres();
    const nodes: NodeProcess[] = [];
    try {
      nodes.push(...(await Promise.all([startNode(db.url, viaCli), startNode(db.url, viaCli)])));
      const [a, b] = nodes;
      for (let e = 0; e < ENTITIES; e++) {
        assert.equal(
          await call('POST', `${a.url}/ngsi-ld/v1/entities`, {
            id: entityId(e),
            type: 'Counter',
            start: { type: 'Property', value: e },
          }),
          201,
        );
      }
      // the subscription is made on the other node than most writes will be
      const sub = {
        id: 'urn:ngsi-ld:Subscription:counters',
        type: 'Subscription',
        entities: [{ type: 'Counter' }],
        notification: { endpoint: { uri: endpoint, accept: 'application/json' } },
      };
      assert.equal(await call('POST', `${b.url}/ngsi-ld/v1/subscriptions`, sub), 201);

      const ops = operations();
      const t0 = Date.now();
      const statuses = await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          const out: number[] = [];
          for (const op of ops.filter((o) => o.writer === w)) {
            const node = nodes[(op.writer + op.step) % 2];
            out.push(
              await call('POST', `${node.url}/ngsi-ld/v1/entities/${encodeURIComponent(op.entity)}/attrs`, {
                [op.attr]: { type: 'Property', value: op.value },
              }),
            );
          }
          return out;
        }),
      );
      assert.deepEqual(
        statuses.flat().filter((s) => s !== 204),
        [],
      );
      const writeMs = Date.now() - t0;

      // the serial replay: the same operations one after another on an embedded store
      const replay = openStore({ engine: 'sqlite', path: ':memory:' });
      const broker = createBroker({ store: replay });
      const terms = TermMap.core();
      for (let e = 0; e < ENTITIES; e++) {
        const parsed = parseEntity(
          { id: entityId(e), type: 'Counter', start: { type: 'Property', value: e } },
          terms,
        );
        assert.ok(parsed.ok);
        await broker.createEntity('', parsed.value);
      }
      for (const op of ops) {
        await broker.appendAttributes(
          '',
          op.entity,
          {
            id: op.entity,
            type: [],
            attrs: { [terms.expand(op.attr)]: [{ type: 'Property', value: op.value }] },
          },
          false,
        );
      }
      const store = await openPostgresStore(db.url);
      try {
        for (let e = 0; e < ENTITIES; e++) {
          assert.deepEqual(
            timeless(await store.getEntity('', entityId(e))),
            timeless(await replay.getEntity('', entityId(e))),
          );
        }
        // every change notified once: as many notified entity changes as writes, no notification twice
        const deadline = Date.now() + 20_000;
        while (received.length < ops.length && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(received.length, ops.length);
        assert.equal(new Set(received.map((r) => r.id)).size, received.length);
        assert.deepEqual(await store.subscriptions.backlog(), { changes: 0, queued: 0 });
        console.log(
          `# ${ops.length} writes through two nodes in ${writeMs} ms; ${received.length} notifications, all in by ${Date.now() - t0} ms`,
        );
      } finally {
        await store.close();
        await replay.close();
      }
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
      receiver.close();
    }
  });
}
