/**
 * Helpers for the connector tests: the DSP JSON Schemas (loader as in test/dataspace/dsp.test.ts),
 * a schema per DSP message type, free loopback ports, and twinbox processes with the connector.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const DSP = join(import.meta.dirname, '../../fixtures/dsp');
const AREAS = ['catalog', 'negotiation', 'transfer', 'common'];

/**
 * All DSP schemas by `$id`. Three transfer schemas write `#definitions/...` where a JSON Pointer
 * needs `#/definitions/...`; Ajv rejects that, so the loader adds the slash.
 */
function loadSchemas() {
  const ajv = new Ajv2019.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const area of AREAS) {
    for (const f of readdirSync(join(DSP, area)).filter((n) => n.endsWith('-schema.json'))) {
      const text = readFileSync(join(DSP, area, f), 'utf8').replaceAll(
        '.json#definitions/',
        '.json#/definitions/',
      );
      ajv.addSchema(JSON.parse(text));
    }
  }
  return ajv;
}

/** The schema of each DSP message and response type the connector sends or answers. */
export const SCHEMA_OF_TYPE: Record<string, string> = {
  CatalogRequestMessage: 'catalog/catalog-request-message-schema.json',
  DatasetRequestMessage: 'catalog/dataset-request-message-schema.json',
  Catalog: 'catalog/catalog-schema.json',
  Dataset: 'catalog/dataset-schema.json',
  CatalogError: 'catalog/catalog-error-schema.json',
  ContractRequestMessage: 'negotiation/contract-request-message-schema.json',
  ContractOfferMessage: 'negotiation/contract-offer-message-schema.json',
  ContractAgreementMessage: 'negotiation/contract-agreement-message-schema.json',
  ContractAgreementVerificationMessage: 'negotiation/contract-agreement-verification-message-schema.json',
  ContractNegotiationEventMessage: 'negotiation/contract-negotiation-event-message-schema.json',
  ContractNegotiationTerminationMessage: 'negotiation/contract-negotiation-termination-message-schema.json',
  ContractNegotiation: 'negotiation/contract-negotiation-schema.json',
  ContractNegotiationError: 'negotiation/contract-negotiation-error-schema.json',
  TransferRequestMessage: 'transfer/transfer-request-message-schema.json',
  TransferStartMessage: 'transfer/transfer-start-message-schema.json',
  TransferSuspensionMessage: 'transfer/transfer-suspension-message-schema.json',
  TransferCompletionMessage: 'transfer/transfer-completion-message-schema.json',
  TransferTerminationMessage: 'transfer/transfer-termination-message-schema.json',
  TransferProcess: 'transfer/transfer-process-schema.json',
  TransferError: 'transfer/transfer-error-schema.json',
};

/** A checker: undefined when `value` validates against `schema`, else the errors. */
export function dspValidator() {
  const ajv = loadSchemas();
  return (schema: string, value: unknown): string | undefined => {
    const validate = ajv.getSchema(`https://w3id.org/dspace/2025/1/${schema}`);
    if (!validate) return `no schema ${schema}`;
    return validate(value)
      ? undefined
      : `${schema}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`;
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface TwinProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

const SERVER = join(import.meta.dirname, 'connector-server.ts');

/** Spawns a twinbox process with the connector and waits until it listens. */
export async function startTwin(
  port: number,
  dataDir: string,
  peers: string[] = [],
  clockFile?: string,
): Promise<TwinProcess> {
  const args = [
    '--import',
    'tsx',
    SERVER,
    '--port',
    String(port),
    '--data-dir',
    dataDir,
    ...peers.flatMap((p) => ['--peer', p]),
    ...(clockFile ? ['--clock-file', clockFile] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (!out.includes('listening')) {
    if (child.exitCode !== null) throw new Error(`twin on ${port} exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`twin on ${port} did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function json(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return {
    status: res.status,
    body: parsed as Record<string, unknown> & unknown[],
    headers: res.headers,
    text,
  };
}

export async function poll<T>(
  read: () => Promise<T>,
  done: (x: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const x = await read();
    if (done(x) || Date.now() > deadline) return x;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The consumer negotiates an offer of the provider's dataset for a purpose and, once the agreement
 * is final, starts a transfer and waits until it has started.
 */
export async function negotiateAndTransfer(
  consumer: TwinProcess,
  provider: TwinProcess,
  datasetId: string,
  offerId: string,
  purpose: string,
): Promise<{ negotiationId: string; agreementId: string; transferId: string }> {
  const api = (path: string) => `${consumer.url}/twinbox/v1${path}`;
  const start = await json('POST', api('/negotiations'), {
    provider: provider.url,
    datasetId,
    offerId,
    purpose,
  });
  assert.equal(start.status, 201, start.text);
  const n = await poll(
    () => json('GET', api(`/negotiations/${encodeURIComponent(start.body.id as string)}`)),
    (r) => ['FINALIZED', 'TERMINATED'].includes(r.body.state as string),
  );
  assert.equal(n.body.state, 'FINALIZED', n.text);
  const agreementId = n.body.agreementId as string;
  const t = await json('POST', api('/transfers'), { agreementId });
  assert.equal(t.status, 201, t.text);
  const started = await poll(
    () => json('GET', api(`/transfers/${encodeURIComponent(t.body.id as string)}`)),
    (r) => ['STARTED', 'TERMINATED'].includes(r.body.state as string),
  );
  assert.equal(started.body.state, 'STARTED', started.text);
  return { negotiationId: start.body.id as string, agreementId, transferId: t.body.id as string };
}
