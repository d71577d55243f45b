/**
 * Harness for the ETSI NGSI-LD conformance tests (ETSI GS CIM 009 v1.8): loads the suite's own
 * payloads from etsi-data/, gives placeholder ids fresh URNs, preloads the suite's @context
 * documents, runs each ETSI test case as one node:test test (a known failure as `todo`), and
 * checks responses the way the suite does (status, ProblemDetails, deep diff of bodies).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { Broker, type EtsiResponse } from './etsi-client.ts';
import { dataJson, etsiContexts, isJsonObject, type JsonObject, replaceAllIds } from './etsi-data.ts';
import { type DiffOptions, deepDiff, type Json } from './etsi-diff.ts';
import { KNOWN_FAILURES } from './known-failures.ts';

export { Broker, type EtsiResponse } from './etsi-client.ts';
export * from './etsi-data.ts';
export { deepDiff, type Json, parseNgsiLdDate } from './etsi-diff.ts';

// ---------------------------------------------------------------------------------------------
// Test cases

export interface SuiteOptions {
  /** 'test' builds a fresh broker per test case (needed where results depend on everything stored). */
  isolation: 'test' | 'file';
}

export interface TestCaseOptions {
  isolated?: boolean;
}

async function newBroker(): Promise<Broker> {
  const app = await buildTestApp({ contexts: etsiContexts() });
  return new Broker(app);
}

/** The ETSI id of a test-case name: "019_01_06 QueryWithFullScope" → "019_01_06". */
export function etsiId(name: string): string {
  return name.split(' ')[0];
}

/** A known failure is keyed by the full test-case name where the suite reuses an id, else by the id. */
export function knownFailure(name: string): string | undefined {
  return KNOWN_FAILURES[name] ?? KNOWN_FAILURES[etsiId(name)];
}

/**
 * Registers the test cases of one ETSI test procedure: they share one broker and run after the
 * procedure's setup, once (the suite's "Suite Setup").
 */
export function etsiProcedure<F>(setup: (broker: Broker) => Promise<F>) {
  let broker: Promise<Broker> | undefined;
  let fixture: Promise<F> | undefined;
  after(async () => {
    if (broker) await (await broker).close();
  });
  return function etsiTest(name: string, fn: (broker: Broker, fixture: F) => Promise<void>) {
    const todo = knownFailure(name);
    test(name, todo === undefined ? {} : { todo }, async () => {
      broker ??= newBroker();
      const b = await broker;
      fixture ??= setup(b);
      await fn(b, await fixture);
    });
  };
}

/** Registers ETSI test cases in one file; each runs against a broker built from the real app. */
export function etsiSuite(options: SuiteOptions) {
  let shared: Promise<Broker> | undefined;
  after(async () => {
    if (shared) await (await shared).close();
  });
  return function etsiTest(name: string, fn: (broker: Broker) => Promise<void>, opts: TestCaseOptions = {}) {
    const todo = knownFailure(name);
    test(name, todo === undefined ? {} : { todo }, async () => {
      const isolated = opts.isolated ?? options.isolation === 'test';
      let broker: Broker;
      if (isolated) broker = await newBroker();
      else {
        shared ??= newBroker();
        broker = await shared;
      }
      try {
        await fn(broker);
      } finally {
        if (isolated) await broker.close();
      }
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Checks, named after the suite's assertion keywords

function brief(res: EtsiResponse): string {
  const text = res.text.length > 300 ? `${res.text.slice(0, 297)}...` : res.text;
  return `${res.method} ${res.url} → ${res.status} ${text}`;
}

export function expectStatus(res: EtsiResponse, status: number): void {
  assert.equal(res.status, status, `expected ${status}, got ${brief(res)}`);
}

/** The response body as JSON; fails when there is none (the suite calls `response.json()`). */
export function body(res: EtsiResponse): Json {
  try {
    return JSON.parse(res.text) as Json;
  } catch {
    assert.fail(`expected a JSON body, got ${brief(res)}`);
  }
}

export function bodyObject(res: EtsiResponse): JsonObject {
  const value = body(res);
  assert.ok(isJsonObject(value), `expected a JSON object, got ${brief(res)}`);
  return value;
}

export function bodyArray(res: EtsiResponse): Json[] {
  const value = body(res);
  assert.ok(Array.isArray(value), `expected a JSON array, got ${brief(res)}`);
  return value;
}

export function expectEmptyBody(res: EtsiResponse): void {
  assert.equal(res.text, '', `expected an empty body, got ${brief(res)}`);
}

export function expectReason(res: EtsiResponse, reason: string): void {
  assert.equal(res.statusMessage, reason, `expected reason "${reason}", got ${brief(res)}`);
}

/** `Check Response Headers Containing URI set to`: a Location header, when present, names the id. */
export function expectLocationContaining(res: EtsiResponse, id: string): void {
  const location = res.headers.location;
  if (location !== undefined) assert.ok(location.includes(id), `Location ${location} does not name ${id}`);
}

export function expectHeaderPresent(res: EtsiResponse, name: string): void {
  const value = res.headers[name.toLowerCase()];
  assert.ok(value !== undefined && value !== '', `expected a ${name} header, got ${brief(res)}`);
}

export function expectHeader(res: EtsiResponse, name: string, value: string): void {
  assert.equal(
    res.headers[name.toLowerCase()],
    value,
    `expected header ${name}: ${value}, got ${brief(res)}`,
  );
}

/** The ProblemDetails `type` of a body (or of a nested error object), and a non-empty title. */
export function expectProblemType(problem: Json | undefined, type: string, res: EtsiResponse): void {
  assert.ok(isJsonObject(problem), `expected a ProblemDetails, got ${brief(res)}`);
  assert.equal(problem.type, type, `expected problem type ${type}, got ${brief(res)}`);
  assert.ok(
    typeof problem.title === 'string' && problem.title !== '',
    `ProblemDetails without title: ${brief(res)}`,
  );
}

/** Status and ProblemDetails type (and title) in one, the suite's most common pair of checks. */
export function expectProblem(res: EtsiResponse, status: number, type: string): void {
  expectStatus(res, status);
  expectProblemType(body(res), type, res);
}

/** `Check Response Body Containing ProblemDetails Element`: type, and distinct non-empty title and detail. */
export function expectFullProblem(res: EtsiResponse, type: string): void {
  const problem = bodyObject(res);
  assert.equal(problem.type, type, `expected problem type ${type}, got ${brief(res)}`);
  assert.ok(typeof problem.title === 'string' && problem.title !== '', `no title: ${brief(res)}`);
  assert.ok(typeof problem.detail === 'string' && problem.detail !== '', `no detail: ${brief(res)}`);
  assert.notEqual(problem.title, problem.detail, `title equals detail: ${brief(res)}`);
}

/** The `errors[i].error` ProblemDetails of a 207 batch response. */
export function batchError(res: EtsiResponse, index: number): Json | undefined {
  const errors = bodyObject(res).errors;
  return Array.isArray(errors) ? errors[index] && (errors[index] as JsonObject).error : undefined;
}

export function expectNoDiff(expected: unknown, actual: unknown, options: DiffOptions = {}): void {
  const differences = deepDiff(expected, actual, options);
  assert.deepEqual(differences, [], `response differs from the expectation:\n  ${differences.join('\n  ')}`);
}

export const IGNORE_INSTANCE_ID = "root\\[.*\\]\\['instanceId'\\]";

/** `Check Response Body Containing Entity element`: an expectation file with every `id` set to `id`. */
export function expectEntity(
  expectation: string,
  id: string,
  actual: Json,
  options: { ignoreCoreContextVersion?: boolean } = {},
): void {
  const expected = replaceAllIds(dataJson(`entities/expectations/${expectation}`), id);
  expectNoDiff(expected, actual, { exclude: [IGNORE_INSTANCE_ID], ...options });
}

/** `Check Response Body Content`: an expectation file as is, instanceId ignored. */
export function expectContent(expectation: string, actual: Json): void {
  expectNoDiff(dataJson(`entities/expectations/${expectation}`), actual, { exclude: [IGNORE_INSTANCE_ID] });
}

/** `Check Response Body Containing List Containing Entity Elements`: each id's entity matches. */
export function expectEntitiesInList(
  expectation: string,
  ids: readonly string[],
  actual: Json,
  options: { ignoreCoreContextVersion?: boolean } = {},
): void {
  assert.ok(Array.isArray(actual), `expected an array of entities, got ${JSON.stringify(actual)}`);
  for (const id of ids) {
    const entity = actual.find((e) => isJsonObject(e) && e.id === id);
    assert.ok(entity !== undefined, `entity ${id} is not in the response ${JSON.stringify(actual)}`);
    expectEntity(expectation, id, entity, options);
  }
}

/**
 * `Check Response Body Containing List Containing Entity Elements With Different Types`: the
 * i-th entity of the expectation gets the i-th id; compared grouped by id.
 */
export function expectEntityList(
  expectation: string,
  ids: readonly string[],
  actual: Json,
  options: { ignoreCoreContextVersion?: boolean } = {},
): void {
  const expected = dataJson(`entities/expectations/${expectation}`);
  assert.ok(Array.isArray(expected), `${expectation} is not an array`);
  const withIds = expected.map((entity, i) => (i < ids.length ? replaceAllIds(entity, ids[i]) : entity));
  expectNoDiff(withIds, actual, { exclude: [IGNORE_INSTANCE_ID], groupById: true, ...options });
}

/** `Check Response Body Containing an Attribute set to`: the member exists and is not empty. */
export function expectMember(actual: Json, name: string, value?: Json): void {
  assert.ok(isJsonObject(actual), `expected an object, got ${JSON.stringify(actual)}`);
  const member = actual[name];
  const empty =
    member === undefined ||
    member === null ||
    member === '' ||
    (Array.isArray(member) && member.length === 0) ||
    (isJsonObject(member) && Object.keys(member).length === 0);
  assert.ok(!empty, `member ${name} missing or empty in ${JSON.stringify(actual)}`);
  if (value !== undefined) assert.deepEqual(member, value);
}

/** Robot's `Lists Should Be Equal … ignore_order=True`: equal once both are sorted. */
function sameSet(actual: Json | undefined, expected: readonly string[], what: string): void {
  assert.ok(Array.isArray(actual), `${what} is not an array: ${JSON.stringify(actual)}`);
  const sorted = (list: readonly Json[]) => list.map((x) => JSON.stringify(x)).sort();
  assert.deepEqual(sorted(actual), sorted(expected), `${what}: expected ${expected.join(', ')}`);
}

/** `Check Response Body Containing Array Of URIs set to` (order ignored). */
export function expectIds(actual: Json, ids: readonly string[]): void {
  sameSet(actual, ids, 'ids');
}

/** `Check Response Body Containing Entities URIS set to`: the `id` of each entity, in order or not. */
export function expectEntityIds(actual: Json, ids: readonly string[], inOrder = false): void {
  assert.ok(Array.isArray(actual), `expected an array of entities, got ${JSON.stringify(actual)}`);
  const got = actual.map((e) => (isJsonObject(e) ? e.id : undefined));
  if (inOrder) assert.deepEqual(got, [...ids]);
  else assert.deepEqual([...got].sort(), [...ids].sort());
}

/** `Check Response Body Containing Batch Operation Result`. */
export function expectBatchResult(
  res: EtsiResponse,
  success: readonly string[],
  failed: readonly string[],
): void {
  const result = bodyObject(res);
  sameSet(result.success, success, 'success');
  const errors = result.errors;
  assert.ok(Array.isArray(errors), `errors is not an array: ${brief(res)}`);
  assert.equal(errors.length, failed.length, `expected ${failed.length} errors: ${brief(res)}`);
  for (const error of errors) {
    assert.ok(isJsonObject(error), `error is not an object: ${brief(res)}`);
    assert.ok(failed.includes(error.entityId as string), `unexpected errors[].entityId ${error.entityId}`);
    assert.ok(
      error.error !== undefined && error.error !== null && error.error !== '',
      `empty errors[].error`,
    );
  }
}

/** `Check Response Body Containing Update Result`. */
export function expectUpdateResult(
  res: EtsiResponse,
  updated: readonly string[],
  notUpdated: readonly string[],
) {
  const result = bodyObject(res);
  sameSet(result.updated, updated, 'updated');
  const errors = result.notUpdated;
  assert.ok(Array.isArray(errors), `notUpdated is not an array: ${brief(res)}`);
  assert.equal(errors.length, notUpdated.length, `expected ${notUpdated.length} notUpdated: ${brief(res)}`);
  for (const error of errors) {
    assert.ok(isJsonObject(error), `notUpdated item is not an object: ${brief(res)}`);
    assert.ok(
      notUpdated.includes(error.attributeName as string),
      `unexpected attributeName ${error.attributeName}`,
    );
    assert.ok(typeof error.reason === 'string' && error.reason !== '', 'empty notUpdated[].reason');
  }
}

/** `Check Response Body Containing Number Of Entities`: count and type of each. */
export function expectEntityCount(actual: Json, type: string, count: number): void {
  const list = Array.isArray(actual) ? actual : [actual];
  assert.equal(list.length, count, `expected ${count} entities, got ${JSON.stringify(actual)}`);
  for (const entity of list) assert.equal(isJsonObject(entity) ? entity.type : undefined, type);
}
