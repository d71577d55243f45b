/**
 * MQTT endpoints (clause 7.3 binding) against the local Mosquitto on 127.0.0.1:1883: the
 * notification is published to the topic of the endpoint URI as `{metadata, body}`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import mqtt from 'mqtt';
import { buildTestApp } from '../../helpers/app.ts';

const API = '/ngsi-ld/v1';

test('a notification is published to the MQTT topic of the endpoint, in order, with QoS 1', async (t) => {
  const topic = `twinbox/test/${randomUUID()}`;
  const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
  t.after(() => client.endAsync());
  const messages: Array<{
    metadata: Record<string, string>;
    body: { subscriptionId: string; data: Array<Record<string, unknown>> };
  }> = [];
  client.on('message', (_topic, payload) => messages.push(JSON.parse(payload.toString('utf8'))));
  await client.subscribeAsync(topic, { qos: 1 });

  const app = await buildTestApp();
  t.after(() => app.close());
  const sub = {
    id: 'urn:ngsi-ld:Subscription:mqtt',
    type: 'Subscription',
    entities: [{ type: 'Sensor' }],
    notification: {
      format: 'keyValues',
      endpoint: {
        uri: `mqtt://127.0.0.1:1883/${topic}`,
        accept: 'application/json',
        notifierInfo: [{ key: 'MQTT-QoS', value: '1' }],
      },
    },
  };
  assert.equal(
    (await app.inject({ method: 'POST', url: `${API}/subscriptions`, payload: sub })).statusCode,
    201,
  );
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({
      method: 'POST',
      url: `${API}/entities`,
      payload: { id: `urn:ngsi-ld:Sensor:${i}`, type: 'Sensor', v: { type: 'Property', value: i } },
    });
    assert.equal(res.statusCode, 201);
  }
  const deadline = Date.now() + 5000;
  while (messages.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(messages.length, 5);
  assert.deepEqual(
    messages.map((m) => m.body.data[0].v),
    [0, 1, 2, 3, 4],
  );
  assert.equal(messages[0].body.subscriptionId, 'urn:ngsi-ld:Subscription:mqtt');
  assert.equal(messages[0].metadata['content-type'], 'application/json');
  // the counter is written after the broker acknowledged the publish, which may trail its delivery
  let timesSent = 0;
  while (timesSent < 5 && Date.now() < deadline + 2000) {
    timesSent = (
      await app.inject({ method: 'GET', url: `${API}/subscriptions/urn:ngsi-ld:Subscription:mqtt` })
    ).json().notification.timesSent;
    if (timesSent < 5) await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(timesSent, 5);
});
