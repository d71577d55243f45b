/**
 * Resolves a request's @context to a TermMap. Core contexts come from the package, hosted ones
 * from the store, remote ones over HTTP(S) with a timeout; documents and term maps are cached
 * in bounded LRU maps, so the hot path is one map lookup by the @context's text.
 */
import {
  CORE_CONTEXTS,
  type ContextEntry,
  contextEntries,
  fail,
  ok,
  type Result,
  TermMap,
} from '../ngsi/index.ts';
import type { Store } from '../store/index.ts';

/** Bounded map with least-recently-used eviction. */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(key: K): void {
    this.map.delete(key);
  }
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }
}

export interface ContextResolverOptions {
  store: Store;
  preloaded?: Record<string, unknown>;
  fetchTimeoutMs?: number;
  /** base URL under which this broker serves hosted contexts (…/ngsi-ld/v1/jsonldContexts/) */
  hostedBase?: string;
}

export interface CachedDocument {
  url: string;
  body: unknown;
  fetchedAt: string;
  hits: number;
  lastUsage: string;
}

export type ContextResolver = ReturnType<typeof createContextResolver>;

const MAX_DEPTH = 8;

export function createContextResolver(options: ContextResolverOptions) {
  const timeoutMs = options.fetchTimeoutMs ?? 5000;
  const documents = new Lru<string, CachedDocument>(256);
  const termMaps = new Lru<string, TermMap>(512);
  const preloaded = new Map(Object.entries(options.preloaded ?? {}));

  async function loadDocument(url: string): Promise<Result<unknown>> {
    const core = CORE_CONTEXTS.get(url);
    if (core) return ok(core);
    const pre = preloaded.get(url);
    if (pre !== undefined) return ok(pre);
    if (options.hostedBase && url.startsWith(options.hostedBase)) {
      const hosted = await options.store.getContext(decodeURIComponent(url.slice(options.hostedBase.length)));
      if (hosted) return ok(hosted.body);
    }
    const cached = documents.get(url);
    if (cached) {
      cached.hits++;
      cached.lastUsage = new Date().toISOString();
      return ok(cached.body);
    }
    if (!/^https?:\/\//.test(url))
      return fail('LdContextNotAvailable', `@context '${url}' is not an http(s) URL`);
    try {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/ld+json, application/json' },
      });
      if (!res.ok) return fail('LdContextNotAvailable', `@context '${url}' answered HTTP ${res.status}`);
      const body = (await res.json()) as unknown;
      const now = new Date().toISOString();
      documents.set(url, { url, body, fetchedAt: now, hits: 1, lastUsage: now });
      return ok(body);
    } catch (err) {
      return fail(
        'LdContextNotAvailable',
        `@context '${url}' could not be retrieved: ${(err as Error).message}`,
      );
    }
  }

  async function flatten(context: unknown, out: ContextEntry[], depth: number): Promise<Result<void>> {
    if (depth > MAX_DEPTH) return fail('BadRequestData', '@context: too many nested context references');
    const entries = contextEntries(context);
    if (!entries.ok) return entries;
    for (const entry of entries.value) {
      if (typeof entry === 'string') {
        if (CORE_CONTEXTS.has(entry)) continue;
        const doc = await loadDocument(entry);
        if (!doc.ok) return doc;
        const inner = (doc.value as { '@context'?: unknown })?.['@context'];
        if (inner === undefined)
          return fail('LdContextNotAvailable', `@context '${entry}' is not a JSON-LD context document`);
        const r = await flatten(inner, out, depth + 1);
        if (!r.ok) return r;
      } else {
        out.push(entry);
      }
    }
    return ok(undefined);
  }

  return {
    /** The term map for a @context value (URL, object or array); undefined means core only. */
    async resolve(context: unknown): Promise<Result<TermMap>> {
      if (context === undefined || context === null) return ok(TermMap.core());
      const key = typeof context === 'string' ? context : JSON.stringify(context);
      const cached = termMaps.get(key);
      if (cached) return ok(cached);
      const flat: ContextEntry[] = [];
      const r = await flatten(context, flat, 0);
      if (!r.ok) return r;
      const map = TermMap.build(flat);
      if (map.ok) termMaps.set(key, map.value);
      return map;
    },
    /** Remote documents cached so far (the "Cached" kind of /jsonldContexts). */
    cachedDocuments(): CachedDocument[] {
      return [...documents.entries()].map(([, d]) => d);
    },
    evict(url: string): boolean {
      const had = documents.get(url) !== undefined;
      documents.delete(url);
      return had;
    },
    /** Forget derived term maps (a hosted context changed). */
    clearTermMaps(): void {
      for (const [k] of [...termMaps.entries()]) termMaps.delete(k);
    },
    /** fetches a cached context again; a failed fetch keeps the cached copy (clause 5.13.5) */
    async reload(url: string): Promise<Result<unknown>> {
      const previous = documents.get(url);
      documents.delete(url);
      const r = await loadDocument(url);
      if (!r.ok && previous) documents.set(url, previous);
      return r;
    },
  };
}
