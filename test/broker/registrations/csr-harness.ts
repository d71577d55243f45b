/**
 * Shared by the context source tests: the ETSI suite's registration data (etsi-csr-data), an app
 * driven with inject, a loopback receiver for notifications, and real twinbox processes for the
 * multi-instance tests (`node bin/twinbox.js serve`, each with its own port and data folder).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';

const DATA = fileURLToPath(new URL('../../conformance/etsi-csr-data/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FORGE = 'https://forge.etsi.org/rep/cim/ngsi-ld-test-suite/-/raw/develop/resources/jsonld-contexts';

export const SUITE_CONTEXT = `${FORGE}/ngsi-ld-test-suite-compound.jsonld`;
export const SUITE_TERMS = 'https://ngsi-ld-test-suite/context#';
export const API = '/ngsi-ld/v1';
export const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';
export const LD = 'application/ld+json';
export const JSON_CT = 'application/json';

export type JsonObject = Record<string, unknown>;

export function dataText(relative: string): string {
  return readFileSync(`${DATA}data/${relative}`, 'utf8');
}

export function dataJson<T = JsonObject>(relative: string): T {
  return JSON.parse(dataText(relative)) as T;
}

/** A payload with its `id` (and, with `entityId`, the ids of its entity infos) set. */
export function payload(relative: string, id?: string): JsonObject {
  const p = dataJson(relative);
  if (id !== undefined && 'id' in p) p.id = id;
  return p;
}

/** The suite's @context documents by URL, so no test fetches them. */
export function suiteContexts(): Record<string, unknown> {
  const read = (name: string) =>
    JSON.parse(readFileSync(`${DATA}resources/jsonld-contexts/${name}`, 'utf8')) as unknown;
  return {
    [SUITE_CONTEXT]: read('ngsi-ld-test-suite-compound.jsonld'),
    [`${FORGE}/ngsi-ld-test-suite.jsonld`]: read('ngsi-ld-test-suite.jsonld'),
  };
}

export function newId(prefix: string): string {
  let digits = '';
  for (let i = 0; i < 16; i++) digits += String(randomInt(10));
  return `${prefix}${digits}`;
}

export function link(context: string): string {
  return `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
}

export interface Res {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: unknown;
  text: string;
}

/** Requests to an app built with `buildTestApp` over in-memory SQLite (no port). */
export class Client {
  private constructor(readonly app: FastifyInstance) {}

  static async create(): Promise<Client> {
    return new Client(await buildTestApp({ contexts: suiteContexts() }));
  }

  async send(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Res> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !h['content-type'])
      h['content-type'] = typeof body === 'object' && body !== null && '@context' in body ? LD : JSON_CT;
    const res = await this.app.inject({
      method,
      url: `${API}${url}`,
      headers: h,
      payload: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    let parsed: unknown;
    try {
      parsed = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body: parsed, text: res.body };
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export function expectProblem(res: Res, status: number, type: string): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status} ${res.text}`);
  assert.equal((res.body as JsonObject).type, `${ERR}${type}`, res.text);
}

/** A loopback HTTP endpoint that records what it receives (a notification receiver). */
export interface Receiver {
  url: string;
  received: Array<{ headers: IncomingMessage['headers']; body: JsonObject }>;
  /** resolves once `n` requests have arrived, or fails after `timeoutMs` */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(status = 204): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text || '{}') as JsonObject });
      res.statusCode = status;
      res.end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  return {
    url,
    received,
    async waitFor(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) assert.fail(`expected ${n} notifications, got ${received.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50).unref();
        });
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A free loopback port, found by binding port 0 and letting it go. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** One real twinbox process: its own port and data folder. */
export interface Instance {
  url: string;
  port: number;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export async function startInstance(env: Record<string, string> = {}): Promise<Instance> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'twinbox-fed-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/twinbox.js', 'serve', '--port', String(port), '--data-dir', dir],
    {
      cwd: ROOT,
      env: { ...process.env, TWINBOX_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${url}${API}/types`);
      await res.arrayBuffer();
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill();
        throw new Error(`twinbox did not start on port ${port}: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    port,
    fetch: (path, init) => fetch(`${url}${API}${path}`, init),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs a JSON-LD payload (its @context in the body) to a running instance. */
export async function postLd(instance: Instance, path: string, body: unknown): Promise<Response> {
  const res = await instance.fetch(path, {
    method: 'POST',
    headers: { 'content-type': LD },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res;
}

/**
 * Serves the suite's @context on loopback for real processes, which cannot be handed preloaded
 * documents: `url` is a compound context (the suite's terms, then core v1.8) like the suite's own.
 */
export async function startContextServer(): Promise<{ url: string; close(): Promise<void> }> {
  const terms = readFileSync(`${DATA}resources/jsonld-contexts/ngsi-ld-test-suite.jsonld`, 'utf8');
  let base = '';
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/ld+json');
    if (req.url === '/terms.jsonld') res.end(terms);
    else
      res.end(
        JSON.stringify({
          '@context': [
            `${base}/terms.jsonld`,
            'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld',
          ],
        }),
      );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/compound.jsonld`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A payload with its @context pointed at `context` (a loopback copy of the suite's). */
export function withContext(p: JsonObject, context: string): JsonObject {
  return { ...p, '@context': context };
}
