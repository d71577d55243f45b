/**
 * The requests of the ETSI NGSI-LD conformance suite (its ApiUtils keywords), sent to the app with
 * `inject`. Paths, headers and bodies are as the suite sends them: trailing slashes on
 * `entities/`, `types/` and `subscriptions/`, `Accept: *\/*` unless a test sets one (the default of
 * the suite's HTTP client), raw file bytes where the suite posts a file, and a Link header built
 * the suite's way.
 */
import type { FastifyInstance } from 'fastify';
import { dataJson, dataText, type JsonObject, loadPayload, replaceAllIds } from './etsi-data.ts';
import type { Json } from './etsi-diff.ts';

const API = '/ngsi-ld/v1/';

export const JSON_TYPE = 'application/json';
export const LD_JSON = 'application/ld+json';
export const GEO_JSON = 'application/geo+json';
export const MERGE_PATCH_JSON = 'application/merge-patch+json';

export interface EtsiResponse {
  method: string;
  url: string;
  status: number;
  statusMessage: string;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  text: string;
}

type Query = Record<string, string | undefined>;
type Headers = Record<string, string | undefined>;

export interface EtsiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  headers?: Headers;
  /** Serialized as JSON, unless a string: then sent as is. */
  body?: Json;
  raw?: string;
}

/** `Build Context Link`. */
export function linkHeader(context: string): string {
  return `<${context}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`;
}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.append(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export interface RetrieveOptions {
  accept?: string;
  context?: string;
  attrs?: string;
  options?: string;
  format?: string;
  lang?: string;
  pick?: string;
  omit?: string;
  geometryProperty?: string;
}

export interface QueryOptions {
  id?: string;
  type?: string;
  idPattern?: string;
  attrs?: string;
  q?: string;
  georel?: string;
  geometry?: string;
  coordinates?: string;
  geoproperty?: string;
  options?: string;
  limit?: string;
  count?: string;
  scopeQ?: string;
  local?: string;
  datasetId?: string;
  pick?: string;
  omit?: string;
  orderBy?: string;
  accept?: string;
  context?: string;
}

export class Broker {
  constructor(readonly app: FastifyInstance) {}

  close(): Promise<void> {
    return this.app.close();
  }

  async request(req: EtsiRequest): Promise<EtsiResponse> {
    const headers: Record<string, string> = { accept: '*/*' };
    for (const [key, value] of Object.entries(req.headers ?? {})) {
      if (value !== undefined) headers[key.toLowerCase()] = value;
    }
    const payload = req.raw ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
    // The suite's HTTP client announces an empty body on every method but GET and HEAD.
    if (payload === undefined && req.method !== 'GET') headers['content-length'] = '0';
    const url = `${API}${req.path}${queryString(req.query)}`;
    const res = await this.app.inject({ method: req.method, url, headers, payload });
    const out: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(res.headers)) {
      if (value !== undefined)
        out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    return {
      method: req.method,
      url,
      status: res.statusCode,
      statusMessage: res.statusMessage,
      headers: out,
      text: res.body,
    };
  }

  private withLink(headers: Headers, context: string | undefined): Headers {
    return context ? { ...headers, link: linkHeader(context) } : headers;
  }

  // Entities ------------------------------------------------------------------------------------

  /** `Create Entity Selecting Content Type` (and `Create Entity`, with application/ld+json). */
  createEntity(
    file: string,
    id: string,
    contentType = LD_JSON,
    opts: { context?: string; accept?: string } = {},
  ) {
    return this.createEntityPayload(loadPayload(`entities/${file}`, id), contentType, opts);
  }

  createEntityPayload(
    payload: Json,
    contentType = LD_JSON,
    opts: { context?: string; accept?: string } = {},
  ) {
    const headers = this.withLink({ 'content-type': contentType, accept: opts.accept }, opts.context);
    return this.request({ method: 'POST', path: 'entities/', headers, body: payload });
  }

  /** `Create Entity From File`: the file's bytes, unchanged. */
  createEntityFromFile(file: string) {
    const headers = { 'content-type': LD_JSON };
    return this.request({ method: 'POST', path: 'entities/', headers, raw: dataText(`entities/${file}`) });
  }

  /** `Create Entity selecting @context`: a jsonldContext/ payload with its @context (and ids) replaced. */
  createEntityUsingContext(file: string, context: string, id?: string) {
    const payload = loadPayload(`jsonldContext/${file}`);
    payload['@context'] = context;
    if (id !== undefined) payload.id = id;
    return this.createEntityPayload(payload, LD_JSON);
  }

  retrieveEntity(id: string, opts: RetrieveOptions = {}) {
    const { accept, context, ...query } = opts;
    return this.request({
      method: 'GET',
      path: `entities/${id}`,
      query,
      headers: this.withLink({ accept }, context),
    });
  }

  queryEntities(opts: QueryOptions = {}) {
    const { accept, context, ...query } = opts;
    return this.request({
      method: 'GET',
      path: 'entities/',
      query,
      headers: this.withLink({ accept }, context),
    });
  }

  /** `Query Entities Via POST`. */
  queryEntitiesViaPost(
    opts: { entities?: JsonObject[]; attrs?: string[]; accept?: string; context?: string } = {},
  ) {
    const query: JsonObject = { type: 'Query' };
    if (opts.entities?.length) query.entities = opts.entities;
    if (opts.attrs?.length) query.attrs = opts.attrs;
    const headers = this.withLink(
      { 'content-type': JSON_TYPE, accept: opts.accept ?? JSON_TYPE },
      opts.context,
    );
    return this.request({ method: 'POST', path: 'entityOperations/query', headers, body: query });
  }

  deleteEntity(id: string) {
    return this.request({ method: 'DELETE', path: `entities/${id}` });
  }

  /** `Replace Entity Selecting Content Type`. */
  replaceEntity(id: string, payload: Json, contentType: string, context?: string) {
    const headers = this.withLink({ 'content-type': contentType }, context);
    return this.request({ method: 'PUT', path: `entities/${id}`, headers, body: payload });
  }

  /** `Merge Entity`: a payload file with its id set to the target's. */
  mergeEntity(id: string, file: string, contentType: string, context?: string) {
    const headers = this.withLink({ 'content-type': contentType }, context);
    return this.request({
      method: 'PATCH',
      path: `entities/${id}`,
      headers,
      body: loadPayload(`entities/${file}`, id),
    });
  }

  // Attributes ----------------------------------------------------------------------------------

  /** `Append Entity Attributes` (the fragment file's bytes), optionally `?options=`. */
  appendAttributes(id: string, fragment: string, contentType: string, options?: string) {
    const raw = dataText(`entities/fragmentEntities/${fragment}`);
    const headers = { 'content-type': contentType };
    return this.request({ method: 'POST', path: `entities/${id}/attrs/`, query: { options }, headers, raw });
  }

  /** `Update Entity Attributes` (the fragment file's bytes). */
  updateAttributes(id: string, fragment: string, contentType: string) {
    const raw = dataText(`entities/fragmentEntities/${fragment}`);
    return this.request({
      method: 'PATCH',
      path: `entities/${id}/attrs/`,
      headers: { 'content-type': contentType },
      raw,
    });
  }

  /** `Partial Update Entity Attributes`. */
  partialUpdate(
    id: string,
    attr: string,
    fragment: string,
    contentType: string,
    opts: { context?: string } = {},
  ) {
    const headers = this.withLink({ 'content-type': contentType }, opts.context);
    const body = dataJson(`entities/fragmentEntities/${fragment}`);
    return this.request({ method: 'PATCH', path: `entities/${id}/attrs/${attr}`, headers, body });
  }

  /** `Delete Entity Attributes` (the suite sends Content-Type application/json without a body). */
  deleteAttribute(
    id: string,
    attr: string,
    opts: { datasetId?: string; deleteAll?: string; context?: string } = {},
  ) {
    const headers = this.withLink({ 'content-type': JSON_TYPE }, opts.context);
    const query = { datasetId: opts.datasetId, deleteAll: opts.deleteAll };
    return this.request({ method: 'DELETE', path: `entities/${id}/attrs/${attr}`, query, headers });
  }

  /** `Replace Attribute Selecting Content Type`. */
  replaceAttribute(id: string, attr: string, payload: Json, contentType: string, context?: string) {
    const headers = this.withLink({ 'content-type': contentType }, context);
    return this.request({ method: 'PUT', path: `entities/${id}/attrs/${attr}`, headers, body: payload });
  }

  // Batch operations ----------------------------------------------------------------------------

  batchCreate(entities: Json[], opts: { contentType?: string; context?: string; accept?: string } = {}) {
    const headers = this.withLink(
      { 'content-type': opts.contentType ?? LD_JSON, accept: opts.accept },
      opts.context,
    );
    return this.request({ method: 'POST', path: 'entityOperations/create', headers, body: entities });
  }

  batchUpsert(entities: Json[], option = 'replace') {
    const headers = { 'content-type': LD_JSON };
    return this.request({
      method: 'POST',
      path: 'entityOperations/upsert',
      query: { options: option },
      headers,
      body: entities,
    });
  }

  batchUpdate(entities: Json[], option?: string) {
    const headers = { 'content-type': LD_JSON };
    return this.request({
      method: 'POST',
      path: 'entityOperations/update',
      query: { options: option },
      headers,
      body: entities,
    });
  }

  batchMerge(entities: Json[]) {
    return this.request({
      method: 'POST',
      path: 'entityOperations/merge',
      headers: { 'content-type': LD_JSON },
      body: entities,
    });
  }

  batchDelete(ids: string[]) {
    return this.request({
      method: 'POST',
      path: 'entityOperations/delete',
      headers: { 'content-type': LD_JSON },
      body: ids,
    });
  }

  /** `Batch Request Entities From File`: the file's bytes to entityOperations/{operation}. */
  batchFromFile(operation: 'create' | 'upsert' | 'update' | 'delete' | 'merge', file: string) {
    const headers = { 'content-type': LD_JSON };
    return this.request({
      method: 'POST',
      path: `entityOperations/${operation}`,
      headers,
      raw: dataText(`entities/${file}`),
    });
  }

  // Discovery -----------------------------------------------------------------------------------

  entityTypes(opts: { context?: string; details?: string } = {}) {
    const query = { details: opts.details ?? 'false' };
    return this.request({ method: 'GET', path: 'types/', query, headers: this.withLink({}, opts.context) });
  }

  entityType(type: string, context?: string) {
    return this.request({ method: 'GET', path: `types/${type}`, headers: this.withLink({}, context) });
  }

  attributes(opts: { context?: string; details?: string } = {}) {
    const query = { details: opts.details ?? 'false' };
    return this.request({
      method: 'GET',
      path: 'attributes',
      query,
      headers: this.withLink({}, opts.context),
    });
  }

  attribute(name: string, context?: string) {
    return this.request({ method: 'GET', path: `attributes/${name}`, headers: this.withLink({}, context) });
  }

  // Subscriptions, temporal representation, context source registrations -------------------------

  createSubscription(id: string, file: string, contentType: string, opts: { context?: string } = {}) {
    const headers = this.withLink({ 'content-type': contentType }, opts.context);
    return this.request({ method: 'POST', path: 'subscriptions/', headers, body: loadPayload(file, id) });
  }

  /** `Retrieve Subscription` (the suite sets Content-Type on this GET too). */
  retrieveSubscription(id: string, accept?: string) {
    const headers = { 'content-type': JSON_TYPE, accept };
    return this.request({ method: 'GET', path: `subscriptions/${id}`, headers });
  }

  updateSubscription(id: string, fragment: string, contentType: string, context?: string) {
    const headers = this.withLink({ 'content-type': contentType }, context);
    return this.request({ method: 'PATCH', path: `subscriptions/${id}`, headers, body: dataJson(fragment) });
  }

  deleteSubscription(id: string) {
    return this.request({ method: 'DELETE', path: `subscriptions/${id}` });
  }

  /** `Create Or Update Temporal Representation Of Entity Selecting Content Type` (every `id` replaced). */
  createTemporalEntity(id: string, file: string, contentType: string) {
    const payload = replaceAllIds(dataJson(`temporalEntities/${file}`), id);
    return this.request({
      method: 'POST',
      path: 'temporal/entities/',
      headers: { 'content-type': contentType },
      body: payload,
    });
  }

  queryTemporalEntities(opts: {
    type: string;
    timerel: string;
    timeAt: string;
    accept?: string;
    context?: string;
  }) {
    const { accept, context, ...query } = opts;
    return this.request({
      method: 'GET',
      path: 'temporal/entities/',
      query,
      headers: this.withLink({ accept }, context),
    });
  }

  createRegistration(payload: Json) {
    return this.request({
      method: 'POST',
      path: 'csourceRegistrations/',
      headers: { 'content-type': LD_JSON },
      body: payload,
    });
  }

  queryRegistrations(opts: { id?: string; type?: string; accept?: string; context?: string }) {
    const { accept, context, ...query } = opts;
    return this.request({
      method: 'GET',
      path: 'csourceRegistrations/',
      query,
      headers: this.withLink({ accept }, context),
    });
  }

  queryRegistrationSubscriptions(accept?: string) {
    return this.request({ method: 'GET', path: 'csourceSubscriptions/', headers: { accept } });
  }

  // jsonldContexts ------------------------------------------------------------------------------

  /** `Add a new @context`: the file's bytes, as application/json. */
  addContext(file: string) {
    const raw = dataText(`jsonldContext/${file}`);
    return this.request({
      method: 'POST',
      path: 'jsonldContexts',
      headers: { 'content-type': JSON_TYPE },
      raw,
    });
  }

  serveContext(contextId: string, details?: string) {
    return this.request({
      method: 'GET',
      path: `jsonldContexts/${contextIdSegment(contextId)}`,
      query: { details },
    });
  }

  deleteContext(contextId: string, reload?: string) {
    return this.request({
      method: 'DELETE',
      path: `jsonldContexts/${contextIdSegment(contextId)}`,
      query: { reload },
    });
  }

  listContexts(details?: string, kind?: string) {
    return this.request({ method: 'GET', path: 'jsonldContexts', query: { details, kind } });
  }
}

/**
 * The path segment of a @context id: a Location (absolute or not) loses its
 * `…/ngsi-ld/v1/jsonldContexts/` prefix, and what remains is percent-encoded whole (a URL as id).
 */
export function contextIdSegment(contextId: string): string {
  const local = contextId.replace(/^(https?:\/\/[^/]+)?\/ngsi-ld\/v1\/jsonldContexts\//, '');
  return encodeURIComponent(local);
}
