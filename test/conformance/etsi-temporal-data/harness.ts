/**
 * Plumbing for the ETSI temporal cases (007–009, 014–017, 020, 021): the suite's temporal
 * payloads from this folder, its temporal request keywords sent through the shared `Broker`
 * client, and its temporal assertions (`Check Response Body Containing EntityTemporal element`,
 * `… List Containing EntityTemporal elements`, `Check Resource Set To`) over the shared deep diff.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildTestApp } from '../../helpers/app.ts';
import { Broker, type EtsiResponse } from '../etsi-client.ts';
import { deepDiff, type Json } from '../etsi-diff.ts';

const DIR = fileURLToPath(new URL('./', import.meta.url));
const FORGE = 'https://forge.etsi.org/rep/cim/ngsi-ld-test-suite/-/raw/develop/resources/jsonld-contexts';
/** The suite's `${ngsild_test_suite_context}`: the compound context its Link headers name. */
export const SUITE_CONTEXT = `${FORGE}/ngsi-ld-test-suite-compound.jsonld`;
export const LD_JSON = 'application/ld+json';
export const JSON_TYPE = 'application/json';
export const ERR = 'https://uri.etsi.org/ngsi-ld/errors/';
export const VEHICLE_ID_PREFIX = 'urn:ngsi-ld:Vehicle:';

type Obj = { [key: string]: Json };

function text(relative: string): string {
  return readFileSync(`${DIR}${relative}`, 'utf8');
}

/** A file under data/temporalEntities/, as text (sent byte for byte where the suite does). */
export function temporalText(relative: string): string {
  return text(`data/temporalEntities/${relative}`);
}

export function temporalJson(relative: string): Json {
  return JSON.parse(temporalText(relative)) as Json;
}

/** Every `id` member at any depth set to `id` (the suite's `Update Value To JSON $..id`). */
export function withAllIds(value: Json, id: string): Json {
  if (Array.isArray(value)) return value.map((item) => withAllIds(item, id));
  if (value === null || typeof value !== 'object') return value;
  const out: Obj = {};
  for (const [key, member] of Object.entries(value)) out[key] = key === 'id' ? id : withAllIds(member, id);
  return out;
}

/**
 * A later copy of the compound context that the datasetId payload (021_18) names; it is not part
 * of the suite's data, so the ETSI compound stands in for it (same terms, core v1.8).
 */
const LATER_COMPOUND = 'https://easy-global-market.github.io/ngsild-api-data-models/ngsildTestSuite/ngsildTestSuiteV1.8-compound.jsonld';

export async function suiteBroker(): Promise<Broker> {
  const compound: unknown = JSON.parse(text('resources/jsonld-contexts/ngsi-ld-test-suite-compound.jsonld'));
  const app = await buildTestApp({
    contexts: {
      [SUITE_CONTEXT]: compound,
      [LATER_COMPOUND]: compound,
      [`${FORGE}/ngsi-ld-test-suite.jsonld`]: JSON.parse(text('resources/jsonld-contexts/ngsi-ld-test-suite.jsonld')),
    },
  });
  await app.ready();
  return new Broker(app);
}

function link(context: string | undefined): Record<string, string> {
  return context ? { link: `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"` } : {};
}

/** `Create Or Update Temporal Representation Of Entity Selecting Content Type` (and `Create Temporal Representation Of Entity`). */
export function createTemporal(broker: Broker, file: string, id: string, contentType = LD_JSON, accept?: string) {
  const headers: Record<string, string | undefined> = { 'content-type': contentType, accept };
  return broker.request({ method: 'POST', path: 'temporal/entities/', headers, body: withAllIds(temporalJson(file), id) });
}

/** `Create Temporal Representation Of Entity Selecting Content Type`: the file's bytes. */
export function createTemporalFromFile(broker: Broker, file: string, contentType = LD_JSON) {
  return broker.request({ method: 'POST', path: 'temporal/entities', headers: { 'content-type': contentType }, raw: temporalText(file) });
}

export interface RetrieveTemporal {
  attrs?: string;
  options?: string;
  context?: string;
  timerel?: string;
  timeAt?: string;
  endTimeAt?: string;
  lastN?: string;
  accept?: string;
  aggrMethods?: string;
  aggrPeriodDuration?: string;
  timeproperty?: string;
}

/** `Retrieve Temporal Representation Of Entity`. */
export function retrieveTemporal(broker: Broker, id: string, opts: RetrieveTemporal = {}) {
  const { context, accept, ...query } = opts;
  return broker.request({ method: 'GET', path: `temporal/entities/${id}`, query, headers: { ...link(context), accept } });
}

export interface QueryTemporal {
  type?: string;
  id?: string;
  idPattern?: string;
  q?: string;
  georel?: string;
  geometry?: string;
  coordinates?: string;
  geoproperty?: string;
  timerel?: string;
  timeAt?: string;
  endTimeAt?: string;
  attrs?: string;
  limit?: string;
  lastN?: string;
  options?: string;
  aggrMethods?: string;
  aggrPeriodDuration?: string;
  datasetId?: string;
  local?: string;
  context?: string;
  accept?: string;
}

/** `Query Temporal Representation Of Entities`. */
export function queryTemporal(broker: Broker, opts: QueryTemporal) {
  const { context, accept, ...query } = opts;
  return broker.request({ method: 'GET', path: 'temporal/entities', query, headers: { ...link(context), accept } });
}

/** `Query Temporal Representation Of Entities Via Post`. */
export function queryTemporalViaPost(broker: Broker, file: string, context?: string) {
  const headers = { 'content-type': JSON_TYPE, ...link(context) };
  return broker.request({ method: 'POST', path: 'temporal/entityOperations/query', headers, body: temporalJson(file) });
}

/** `Delete Temporal Representation Of Entity`. */
export function deleteTemporal(broker: Broker, id: string) {
  return broker.request({ method: 'DELETE', path: `temporal/entities/${id}` });
}

/** `Append Attribute To Temporal Entity`: the fragment file's bytes. */
export function appendTemporalAttrs(broker: Broker, id: string, fragment: string, contentType = LD_JSON) {
  const raw = temporalText(`fragments/${fragment}`);
  return broker.request({ method: 'POST', path: `temporal/entities/${id}/attrs`, headers: { 'content-type': contentType }, raw });
}

/** `Delete Attribute From Temporal Entity` (Content-Type application/json, no body). */
export function deleteTemporalAttr(broker: Broker, id: string, attr: string, opts: { datasetId?: string; deleteAll?: string; context?: string } = {}) {
  const query = { datasetId: opts.datasetId, deleteAll: opts.deleteAll };
  const headers = { 'content-type': JSON_TYPE, ...link(opts.context) };
  return broker.request({ method: 'DELETE', path: `temporal/entities/${id}/attrs/${attr}`, query, headers });
}

/** `Delete Attribute Instance From Temporal Entity`. */
export function deleteTemporalInstance(broker: Broker, id: string, attr: string, instanceId: string, context?: string) {
  return broker.request({ method: 'DELETE', path: `temporal/entities/${id}/attrs/${attr}/${instanceId}`, headers: link(context) });
}

/** `Modify Attribute Instance From Temporal Entity`. */
export function modifyTemporalInstance(broker: Broker, id: string, attr: string, instanceId: string, fragment: string, contentType: string, context?: string) {
  const headers = { 'content-type': contentType, ...link(context) };
  const body = temporalJson(`fragments/${fragment}`);
  return broker.request({ method: 'PATCH', path: `temporal/entities/${id}/attrs/${attr}/${instanceId}`, headers, body });
}

// ---------------------------------------------------------------------------------------------
// Checks

function brief(res: EtsiResponse): string {
  const t = res.text.length > 400 ? `${res.text.slice(0, 397)}...` : res.text;
  return `${res.method} ${res.url} → ${res.status} ${t}`;
}

export function expectStatus(res: EtsiResponse, status: number): void {
  assert.equal(res.status, status, `expected ${status}, got ${brief(res)}`);
}

export function json(res: EtsiResponse): Json {
  try {
    return JSON.parse(res.text) as Json;
  } catch {
    assert.fail(`expected a JSON body, got ${brief(res)}`);
  }
}

export function expectEmptyBody(res: EtsiResponse): void {
  assert.equal(res.text, '', `expected an empty body, got ${brief(res)}`);
}

/** Status, ProblemDetails type and a non-empty title. */
export function expectProblem(res: EtsiResponse, status: number, type: string): void {
  expectStatus(res, status);
  const body = json(res) as Obj;
  assert.equal(body.type, `${ERR}${type}`, `expected problem type ${type}, got ${brief(res)}`);
  assert.ok(typeof body.title === 'string' && body.title !== '', `ProblemDetails without title: ${brief(res)}`);
}

const INSTANCE_ID = "root\\[.*\\]\\['instanceId'\\]";

function noDiff(expected: Json, actual: Json, exclude: readonly string[], groupById = false): void {
  const differences = deepDiff(expected, actual, { exclude, groupById });
  assert.deepEqual(differences, [], `response differs from the expectation:\n  ${differences.join('\n  ')}`);
}

/** `Check Response Body Containing EntityTemporal element`: only the top-level `id` is replaced. */
export function expectTemporalEntity(expectation: string, id: string, actual: Json, exclude: readonly string[] = []): void {
  // `$.id` names nothing in a list: a list expectation is compared as it is
  const expected = temporalJson(`expectations/${expectation}`);
  const withId = Array.isArray(expected) || expected === null || typeof expected !== 'object' ? expected : { ...expected, id };
  noDiff(withId, actual, [INSTANCE_ID, ...exclude]);
}

/** `Check Response Body Containing List Containing EntityTemporal elements`: fixed ids, grouped by id. */
export function expectTemporalList(expectation: string, actual: Json): void {
  noDiff(temporalJson(`expectations/${expectation}`), actual, [INSTANCE_ID], true);
}

/** `Check Created/Updated Resource Set To` with `Load Test Sample` (every id replaced) and ignored keys as regexes. */
export function expectResource(expectation: string, id: string, actual: Json, ignored: readonly string[]): void {
  noDiff(withAllIds(temporalJson(`expectations/${expectation}`), id), actual, ignored);
}

/** The first instanceId of an attribute in a normalized temporal representation. */
export function firstInstanceId(res: EtsiResponse, attr: string): string {
  const list = (json(res) as Obj)[attr];
  assert.ok(Array.isArray(list) && list.length > 0, `no instances of ${attr}: ${brief(res)}`);
  const id = (list[0] as Obj).instanceId;
  assert.equal(typeof id, 'string', `no instanceId on ${attr}: ${brief(res)}`);
  return id as string;
}
