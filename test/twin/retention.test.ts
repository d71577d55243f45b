import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../../src/twin/index.ts';

test('history of a type is kept for its retention and no longer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-retention-'));
  const server = await startServer({
    port: 0,
    dataDir: dir,
    logLevel: 'silent',
    dataspace: false,
    historyRetention: [{ type: 'Sensor', ms: 24 * 3600_000 }],
  });
  try {
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * 24 * 3600_000).toISOString();
    const body = (type: string, id: string) => ({
      id,
      type,
      flow: [0, 3, 10].map((d) => ({ type: 'Property', value: d, observedAt: at(d) })),
    });
    for (const [type, id] of [
      ['Sensor', 'urn:ngsi-ld:Sensor:r1'],
      ['Meter', 'urn:ngsi-ld:Meter:r1'],
    ]) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/ngsi-ld/v1/temporal/entities',
        payload: body(type, id),
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    await server.sweepHistory();
    const count = async (id: string) => {
      const res = await server.app.inject({
        method: 'GET',
        url: `/ngsi-ld/v1/temporal/entities/${id}?options=temporalValues`,
      });
      return (JSON.parse(res.body).flow.values as unknown[]).length;
    };
    assert.equal(await count('urn:ngsi-ld:Sensor:r1'), 1, 'a Sensor keeps one day');
    assert.equal(await count('urn:ngsi-ld:Meter:r1'), 3, 'other types keep everything');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
