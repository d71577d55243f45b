/**
 * The ETSI NGSI-LD conformance suite's data (etsi-data/): payloads, expectations and the suite's
 * @context documents; placeholder ids replaced by fresh URNs.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Json } from './etsi-diff.ts';

const ETSI_DATA = fileURLToPath(new URL('./etsi-data/', import.meta.url));

const FORGE = 'https://forge.etsi.org/rep/cim/ngsi-ld-test-suite/-/raw/develop/resources/jsonld-contexts';

/** The suite's compound @context ([test-suite context, core v1.8]) used by its payloads and Link headers. */
export const TEST_SUITE_CONTEXT = `${FORGE}/ngsi-ld-test-suite-compound.jsonld`;
/** The suite's own term definitions (`Building` → `https://ngsi-ld-test-suite/context#Building`). */
export const TEST_SUITE_TERMS_CONTEXT = `${FORGE}/ngsi-ld-test-suite.jsonld`;
/** The core context the suite's expectations carry; the broker ships it and never fetches it. */
export const CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';
/** A @context that can never be retrieved: the 503 LdContextNotAvailable cases rely on it. */
export const UNRETRIEVABLE_CONTEXT =
  'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-non-existing.jsonld';

/**
 * A later copy of the compound context that the orderBy payloads (019_19) point to; it is not in
 * the shared data, so the ETSI compound stands in for it (same terms, core v1.8).
 */
const ORDER_BY_PAYLOAD_CONTEXT =
  'https://easy-global-market.github.io/ngsild-api-data-models/ngsildTestSuite/ngsildTestSuiteV1.8-compound.jsonld';

/**
 * Third-party contexts named by the jsonldContext payloads (050–053). Only their URLs matter to
 * those tests (kinds, listing, hits), so empty documents stand in for them.
 */
export const THIRD_PARTY_CONTEXTS = [
  'http://smartdatamodels.org/context.jsonld',
  'https://fiware.github.io/data-models/context.jsonld',
  'https://fiware.github.io/NGSI-LD_TestSuite/ldContext/testContext.jsonld',
] as const;

function readEtsi(relative: string): string {
  return readFileSync(`${ETSI_DATA}${relative}`, 'utf8');
}

/**
 * Remote @context documents served locally (URL → document). Core contexts v1.6–v1.9 ship with
 * the broker and are not listed; `UNRETRIEVABLE_CONTEXT` must never be listed.
 */
export function etsiContexts(): Record<string, unknown> {
  const compound: unknown = JSON.parse(
    readEtsi('resources/jsonld-contexts/ngsi-ld-test-suite-compound.jsonld'),
  );
  const contexts: Record<string, unknown> = {
    [TEST_SUITE_CONTEXT]: compound,
    [TEST_SUITE_TERMS_CONTEXT]: JSON.parse(readEtsi('resources/jsonld-contexts/ngsi-ld-test-suite.jsonld')),
    [ORDER_BY_PAYLOAD_CONTEXT]: compound,
  };
  for (const url of THIRD_PARTY_CONTEXTS) contexts[url] = { '@context': {} };
  return contexts;
}

/** The raw text of a data file, relative to etsi-data/data/ (sent byte for byte where the suite does). */
export function dataText(relative: string): string {
  return readEtsi(`data/${relative}`);
}

/** A data file parsed as JSON. */
export function dataJson(relative: string): Json {
  return JSON.parse(dataText(relative)) as Json;
}

export type JsonObject = { [key: string]: Json };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A payload with its top-level `id` set, as the suite's `Update Value To JSON $.id` does (only if present). */
export function loadPayload(relative: string, id?: string): JsonObject {
  const payload = dataJson(relative);
  if (!isJsonObject(payload)) throw new Error(`${relative} is not a JSON object`);
  if (id !== undefined && 'id' in payload) payload.id = id;
  return payload;
}

/** Every `id` member at any depth set to `id` (the suite's `$..id`). */
export function replaceAllIds(value: Json, id: string): Json {
  if (Array.isArray(value)) return value.map((item) => replaceAllIds(item, id));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) out[key] = key === 'id' ? id : replaceAllIds(member, id);
  return out;
}

export const ID_PREFIX = {
  Building: 'urn:ngsi-ld:Building:',
  Vehicle: 'urn:ngsi-ld:Vehicle:',
  OffStreetParking: 'urn:ngsi-ld:OffStreetParking:',
  Subscription: 'urn:ngsi-ld:Subscription:',
  ContextSourceRegistration: 'urn:ngsi-ld:ContextSourceRegistration:',
} as const;

/** A fresh URN in place of a `randomUUID` placeholder: the prefix and 16 random digits, as upstream. */
export function newId(prefix: string): string {
  let digits = '';
  for (let i = 0; i < 16; i++) digits += String(randomInt(10));
  return `${prefix}${digits}`;
}
