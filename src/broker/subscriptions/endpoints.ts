/**
 * Sending one notification to its endpoint: HTTP(S) per clause 7.2 (POST, the body as JSON,
 * receiverInfo as headers) and MQTT per clause 7.3 (publish `{metadata, body}` to the topic in
 * the URI path; MQTT-QoS and MQTT-Version from notifierInfo). MQTT connections are kept per
 * broker, since a connect costs a round trip per notification otherwise.
 */
import http from 'node:http';
import https from 'node:https';
import mqtt, { type MqttClient } from 'mqtt';

export interface OutgoingNotification {
  uri: string;
  headers: Record<string, string>;
  body: unknown;
  notifierInfo?: Array<{ key: string; value: string }>;
}

export type SendResult = { ok: true } | { ok: false; reason: string };

export interface Endpoints {
  send(n: OutgoingNotification): Promise<SendResult>;
  close(): Promise<void>;
}

export interface EndpointsOptions {
  /** how long one delivery attempt may take */
  timeoutMs: number;
  /** aborts attempts in flight when the notifier stops */
  signal?: AbortSignal;
}

export function createEndpoints(options: EndpointsOptions): Endpoints {
  const clients = new Map<string, Promise<MqttClient>>();

  // node:http with kept-alive sockets: a notification per write at sensor rates makes the cost
  // of each request count, and fetch costs several times more CPU per request than node:http
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };

  function sendHttp(n: OutgoingNotification): Promise<SendResult> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(n.uri);
      } catch {
        resolve({ ok: false, reason: `endpoint '${n.uri}' is not a URL` });
        return;
      }
      const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
      if (!transport) {
        resolve({ ok: false, reason: `endpoint scheme '${url.protocol}' is not supported` });
        return;
      }
      const body = JSON.stringify(n.body);
      let settled = false;
      const settle = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = transport.request(
        url,
        {
          method: 'POST',
          agent: agents[url.protocol as 'http:' | 'https:'],
          headers: { ...n.headers, 'content-length': Buffer.byteLength(body) },
          signal: options.signal,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          // the body is read so the connection returns to the keep-alive pool
          res.resume();
          res.on('end', () =>
            settle(status >= 200 && status < 300 ? { ok: true } : { ok: false, reason: `HTTP ${status}` }),
          );
          res.on('error', (err) => settle({ ok: false, reason: err.message }));
        },
      );
      const timer = setTimeout(() => {
        settle({ ok: false, reason: `no answer within ${options.timeoutMs} ms` });
        req.destroy();
      }, options.timeoutMs);
      req.on('error', (err) => settle({ ok: false, reason: err.message }));
      req.end(body);
    });
  }

  function connect(brokerUrl: string, version: number): Promise<MqttClient> {
    return new Promise((resolve, reject) => {
      const client = mqtt.connect(brokerUrl, {
        protocolVersion: version as 4 | 5,
        reconnectPeriod: 0,
        connectTimeout: options.timeoutMs,
      });
      const failed = (err: Error) => {
        client.end(true);
        reject(err);
      };
      client.once('connect', () => {
        client.off('error', failed);
        resolve(client);
      });
      client.once('error', failed);
      client.once('close', () => reject(new Error(`MQTT broker ${brokerUrl} closed the connection`)));
    });
  }

  async function client(brokerUrl: string, version: number): Promise<MqttClient> {
    const key = `${brokerUrl}#${version}`;
    let pending = clients.get(key);
    if (pending) {
      const c = await pending.catch(() => undefined);
      if (c?.connected) return c;
      clients.delete(key);
      c?.end(true);
    }
    pending = connect(brokerUrl, version);
    clients.set(key, pending);
    pending.catch(() => clients.delete(key));
    return pending;
  }

  async function sendMqtt(n: OutgoingNotification): Promise<SendResult> {
    const url = new URL(n.uri);
    const topic = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (topic === '') return { ok: false, reason: `MQTT endpoint ${n.uri} names no topic` };
    const info = new Map((n.notifierInfo ?? []).map((kv) => [kv.key, kv.value]));
    const qos = Number(info.get('MQTT-QoS') ?? 0);
    const version = info.get('MQTT-Version') === 'mqtt5.0' ? 5 : 4;
    const brokerUrl = `${url.protocol}//${url.username ? `${url.username}:${url.password}@` : ''}${url.host}`;
    try {
      const c = await client(brokerUrl, version);
      const payload = JSON.stringify({ metadata: n.headers, body: n.body });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('MQTT publish timed out')), options.timeoutMs);
        c.publish(topic, payload, { qos: qos === 1 || qos === 2 ? qos : 0 }, (err) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        });
      });
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
  }

  return {
    send(n) {
      return n.uri.startsWith('mqtt') ? sendMqtt(n) : sendHttp(n);
    },
    async close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(
        all.map(async (p) => {
          const c = await p.catch(() => undefined);
          if (c) await c.endAsync(true).catch(() => undefined);
        }),
      );
    },
  };
}
