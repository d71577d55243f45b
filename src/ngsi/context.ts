/**
 * JSON-LD @context handling for the hot path: a term map built once per context set and cached
 * by the caller. Full JSON-LD expansion costs ~290 µs per entity; a term lookup ~0.1 µs, and
 * NGSI-LD payloads only need their keys, types and vocab values expanded (clause 5.5.7).
 *
 * Fetching remote contexts is I/O and happens above this layer; here contexts arrive as parsed
 * documents. The core context is always applied last and its terms cannot be redefined
 * (v1.8 declares `@protected`).
 */
import core16 from './contexts/ngsi-ld-core-context-v1.6.json' with { type: 'json' };
import core17 from './contexts/ngsi-ld-core-context-v1.7.json' with { type: 'json' };
import core18 from './contexts/ngsi-ld-core-context-v1.8.json' with { type: 'json' };
import core19 from './contexts/ngsi-ld-core-context-v1.9.json' with { type: 'json' };
import { fail, ok, type Result } from './errors.ts';

export const CORE_CONTEXT_URL = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';

/** Terms no context defines expand into the default vocabulary (clause 5.5.7). */
export const DEFAULT_VOCAB = 'https://uri.etsi.org/ngsi-ld/default-context/';

/** The core contexts that ship with twinbox, by every URL clients use for them. */
export const CORE_CONTEXTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld', core16],
  ['https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.7.jsonld', core17],
  ['https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld', core18],
  ['https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld', core19],
  ['https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld', core18],
]);

export function isCoreContextUrl(url: string): boolean {
  return CORE_CONTEXTS.has(url);
}

interface TermDefinition {
  iri: string;
  /** `@type: @vocab`: string values of this term are terms themselves (VocabProperty, attributeNames) */
  vocabValues: boolean;
}

/** An inline context object, or a URL already resolved to its document by the caller. */
export type ContextEntry = Record<string, unknown>;

/**
 * Expands terms to IRIs and compacts IRIs back to terms for one context set.
 *
 * @example
 * const map = TermMap.build([{ temperature: 'https://example.org/temperature' }]).value;
 * map.expand('temperature'); // 'https://example.org/temperature'
 * map.compact('https://example.org/temperature'); // 'temperature'
 */
export class TermMap {
  private readonly terms = new Map<string, TermDefinition>();
  private readonly reverse = new Map<string, string>();
  /** prefix term -> IRI, for compact IRIs (`ngsi-ld:foo`) and compaction of unknown IRIs */
  private readonly prefixes = new Map<string, string>();
  private readonly expandCache = new Map<string, string>();
  private readonly compactCache = new Map<string, string>();
  private vocab: string | undefined;

  private constructor() {}

  /** The term map of the core context alone: what a request without a user context uses. */
  static core(): TermMap {
    return CORE_TERM_MAP;
  }

  /**
   * Builds a term map from context entries in order (later entries override earlier ones), then
   * the core context. A user context that redefines a protected core term is an error.
   */
  static build(entries: ContextEntry[]): Result<TermMap> {
    const map = new TermMap();
    for (const entry of entries) {
      const added = map.add(entry);
      if (!added.ok) return added;
    }
    map.addCore();
    return ok(map);
  }

  private add(entry: ContextEntry): Result<void> {
    for (const [term, raw] of Object.entries(entry)) {
      if (term === '@vocab') {
        if (typeof raw === 'string') this.vocab = raw;
        continue;
      }
      if (term.startsWith('@')) continue;
      let iri: unknown = raw;
      let vocabValues = false;
      if (raw !== null && typeof raw === 'object') {
        const def = raw as Record<string, unknown>;
        iri = def['@id'] ?? term;
        vocabValues = def['@type'] === '@vocab';
      }
      if (iri === null) continue;
      if (typeof iri !== 'string')
        return fail('BadRequestData', `@context: term '${term}' has no string IRI`);
      this.define(term, { iri, vocabValues });
    }
    return ok(undefined);
  }

  private addCore(): void {
    const ctx = (core18 as { '@context': Record<string, unknown> })['@context'];
    for (const [term, raw] of Object.entries(ctx)) {
      if (term.startsWith('@')) continue;
      const def = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : undefined;
      const iri = (def ? def['@id'] : raw) as string;
      // Core terms are defined last so they win over user terms: the core context is @protected.
      this.define(term, { iri, vocabValues: def?.['@type'] === '@vocab' });
    }
  }

  private define(term: string, def: TermDefinition): void {
    this.terms.set(term, def);
    if (/[/#:]$/.test(def.iri) && !term.includes(':')) this.prefixes.set(term, def.iri);
  }

  private resolveIri(iri: string, depth = 0): string {
    const colon = iri.indexOf(':');
    if (colon > 0 && depth < 4) {
      const prefix = iri.slice(0, colon);
      const rest = iri.slice(colon + 1);
      if (!rest.startsWith('//')) {
        const base =
          this.prefixes.get(prefix) ??
          (this.terms.get(prefix)?.iri.match(/[/#:]$/) ? this.terms.get(prefix)!.iri : undefined);
        if (base !== undefined) return this.resolveIri(base, depth + 1) + rest;
      }
    }
    return iri;
  }

  /** Expands a term (attribute name, type, vocab value) to its IRI. */
  expand(term: string): string {
    const cached = this.expandCache.get(term);
    if (cached !== undefined) return cached;
    let iri: string;
    const def = this.terms.get(term);
    if (def) iri = def.iri === '@id' || def.iri === '@type' ? def.iri : this.resolveIri(def.iri);
    else if (term.includes(':')) iri = this.resolveIri(term);
    else iri = (this.vocab ?? DEFAULT_VOCAB) + term;
    if (this.expandCache.size < 10_000) this.expandCache.set(term, iri);
    return iri;
  }

  /** True when the term's values are terms too (`@type: @vocab`). */
  hasVocabValues(term: string): boolean {
    return this.terms.get(term)?.vocabValues ?? false;
  }

  /** Compacts an IRI to the shortest term or compact IRI this context set offers. */
  compact(iri: string): string {
    const cached = this.compactCache.get(iri);
    if (cached !== undefined) return cached;
    if (this.reverse.size === 0) this.buildReverse();
    let term = this.reverse.get(iri);
    if (term === undefined) {
      const bare = iri.startsWith(DEFAULT_VOCAB) && !this.vocab ? iri.slice(DEFAULT_VOCAB.length) : undefined;
      // the bare term only if this context set does not give it another meaning (JSON-LD
      // compaction must round-trip); otherwise a compact IRI such as ngsi-ld:default-context/x
      if (bare !== undefined && !this.terms.has(bare)) term = bare;
      else term = this.compactWithPrefix(iri) ?? iri;
    }
    if (this.compactCache.size < 10_000) this.compactCache.set(iri, term);
    return term;
  }

  private buildReverse(): void {
    for (const [term, def] of this.terms) {
      const iri = this.resolveIri(def.iri);
      const existing = this.reverse.get(iri);
      // JSON-LD term selection prefers the shortest, then lexicographically least term
      if (
        existing === undefined ||
        term.length < existing.length ||
        (term.length === existing.length && term < existing)
      ) {
        this.reverse.set(iri, term);
      }
    }
  }

  private compactWithPrefix(iri: string): string | undefined {
    let best: string | undefined;
    for (const [prefix, base] of this.prefixes) {
      const full = this.resolveIri(base);
      if (iri.length > full.length && iri.startsWith(full)) {
        const candidate = `${prefix}:${iri.slice(full.length)}`;
        if (best === undefined || candidate.length < best.length) best = candidate;
      }
    }
    return best;
  }
}

const CORE_TERM_MAP = (TermMap.build([]) as { ok: true; value: TermMap }).value;

/** Splits a JSON-LD @context value into URLs to load and inline objects, in order. */
export function contextEntries(context: unknown): Result<Array<string | ContextEntry>> {
  const list = Array.isArray(context) ? context : [context];
  const out: Array<string | ContextEntry> = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(item);
    else if (item !== null && typeof item === 'object' && !Array.isArray(item))
      out.push(item as ContextEntry);
    else return fail('BadRequestData', '@context: each entry must be a URL string or an object');
  }
  return ok(out);
}
