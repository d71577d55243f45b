/**
 * Plumbing for the ETSI subscription and notification cases: the suite's payloads from this
 * folder, an app with the suite's @context documents preloaded, a real receiver standing in for
 * the suite's notification server, and the suite's "Load Subscription Sample With Reachable
 * Endpoint" (id set, endpoint.uri pointed at the receiver).
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildTestApp } from '../../helpers/app.ts';
import { Broker, type EtsiResponse } from '../etsi-client.ts';

const DIR = fileURLToPath(new URL('./', import.meta.url));
const FORGE = 'https://forge.etsi.org/rep/cim/ngsi-ld-test-suite/-/raw/develop/resources/jsonld-contexts';
export const SUITE_CONTEXT = `${FORGE}/ngsi-ld-test-suite-compound.jsonld`;
export const LD = 'application/ld+json';
export const JSON_TYPE = 'application/json';
export const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';

export type Obj = Record<string, unknown>;

export function text(relative: string): string {
  return readFileSync(`${DIR}${relative}`, 'utf8');
}

export function data(relative: string): Obj {
  return JSON.parse(text(`data/${relative}`)) as Obj;
}

/** A fresh URN in place of a `randomUUID` placeholder, as the suite makes them. */
export function newId(prefix: string): string {
  let digits = '';
  for (let i = 0; i < 16; i++) digits += String(randomInt(10));
  return `${prefix}${digits}`;
}

export async function suiteBroker(): Promise<Broker> {
  const app = await buildTestApp({
    contexts: {
      [SUITE_CONTEXT]: JSON.parse(text('resources/jsonld-contexts/ngsi-ld-test-suite-compound.jsonld')),
      [`${FORGE}/ngsi-ld-test-suite.jsonld`]: JSON.parse(
        text('resources/jsonld-contexts/ngsi-ld-test-suite.jsonld'),
      ),
    },
  });
  await app.ready();
  return new Broker(app);
}

export function subscriptionPayload(file: string, id: string, endpoint?: string): Obj {
  const payload = data(`subscriptions/${file}`);
  payload.id = id;
  const notification = payload.notification as Obj | undefined;
  if (endpoint !== undefined && notification?.endpoint) (notification.endpoint as Obj).uri = endpoint;
  return payload;
}

export function createSubscription(broker: Broker, payload: Obj, contentType = LD): Promise<EtsiResponse> {
  return broker.request({
    method: 'POST',
    path: 'subscriptions/',
    headers: { 'content-type': contentType },
    body: payload as never,
  });
}

export function retrieveSubscription(
  broker: Broker,
  id: string,
  opts: { context?: string; accept?: string } = {},
): Promise<EtsiResponse> {
  const headers: Record<string, string | undefined> = { accept: opts.accept };
  if (opts.context)
    headers.link = `<${opts.context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
  return broker.request({ method: 'GET', path: `subscriptions/${id}`, headers });
}

export function createEntity(broker: Broker, file: string, id: string): Promise<EtsiResponse> {
  const payload = data(`entities/${file}`);
  payload.id = id;
  return broker.request({
    method: 'POST',
    path: 'entities/',
    headers: { 'content-type': LD },
    body: payload as never,
  });
}

/** `Update Entity Attributes` with a fragment file (POST …/attrs is append; PATCH is update). */
export function updateAttributes(broker: Broker, id: string, fragment: string): Promise<EtsiResponse> {
  return broker.request({
    method: 'PATCH',
    path: `entities/${id}/attrs`,
    headers: { 'content-type': LD },
    body: data(`entities/fragmentEntities/${fragment}`) as never,
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
