/**
 * Entity normal form -> the representation a client asked for (clause 4.5: normalized, concise,
 * keyValues/simplified), with the projections of the query parameters attrs, pick/omit, lang and
 * sysAttrs applied on the way.
 */
import type { TermMap } from './context.ts';
import type { Attribute, CompactedEntity, Entity } from './entity.ts';

export type Format = 'normalized' | 'concise' | 'keyValues';

export interface CompactOptions {
  format?: Format;
  sysAttrs?: boolean;
  /** expanded attribute names to keep (attrs / pick); undefined keeps all */
  attrs?: ReadonlySet<string>;
  /** expanded attribute names to drop (omit) */
  omit?: ReadonlySet<string>;
  /** drop `id` / `type` (pick or omit may ask for it) */
  includeId?: boolean;
  includeType?: boolean;
  /** language filter for LanguageProperty (clause 4.15): a tag, a list, or `*` */
  lang?: string;
  /** the response's @context value, written as the first member when given */
  context?: unknown;
  /** only this datasetId (retrieve with datasetId) */
  datasetId?: string;
  /** only instances with these datasetIds ('@none' = the default instance) */
  datasetIds?: ReadonlySet<string>;
}

/**
 * Compacts an entity with the given term map.
 *
 * @example
 * compactEntity(entity, TermMap.core(), { format: 'keyValues' }); // { id, type, name: 'A9' }
 */
export function compactEntity(entity: Entity, terms: TermMap, options: CompactOptions = {}): CompactedEntity {
  const format = options.format ?? 'normalized';
  const out: CompactedEntity = {};
  if (options.includeId !== false) out.id = entity.id;
  if (options.includeType !== false) {
    const types = entity.type.map((t) => terms.compact(t));
    out.type = types.length === 1 ? types[0] : types;
  }
  if (entity.scope && entity.scope.length > 0)
    out.scope = entity.scope.length === 1 ? entity.scope[0] : entity.scope;
  if (options.sysAttrs && format !== 'keyValues') {
    if (entity.createdAt) out.createdAt = entity.createdAt;
    if (entity.modifiedAt) out.modifiedAt = entity.modifiedAt;
  }
  for (const [iri, instances] of Object.entries(entity.attrs)) {
    if (options.attrs && !options.attrs.has(iri)) continue;
    if (options.omit?.has(iri)) continue;
    let selected =
      options.datasetId === undefined
        ? instances
        : instances.filter((i) => (i.datasetId ?? '') === options.datasetId);
    if (options.datasetIds)
      selected = selected.filter((i) => options.datasetIds!.has(i.datasetId ?? '@none'));
    if (selected.length === 0) continue;
    out[terms.compact(iri)] = compactInstances(selected, terms, format, options);
  }
  if (options.context !== undefined) return { '@context': options.context, ...out };
  return out;
}

export function compactInstances(
  instances: Attribute[],
  terms: TermMap,
  format: Format,
  options: CompactOptions,
): unknown {
  if (instances.length === 1) return compactAttribute(instances[0], terms, format, options);
  return instances.map((i) => compactAttribute(i, terms, format, options));
}

function pickLanguage(
  map: Record<string, string | string[]>,
  lang: string,
): { tag: string; text: string | string[] } | undefined {
  const wanted = lang.split(',').map((l) => l.trim().split(';')[0]);
  for (const w of wanted) {
    if (w === '*') break;
    if (map[w] !== undefined) return { tag: w, text: map[w] };
  }
  if (map['@none'] !== undefined) return { tag: '@none', text: map['@none'] };
  const first = Object.keys(map)[0];
  return first === undefined ? undefined : { tag: first, text: map[first] };
}

function compactVocab(vocab: string | string[], terms: TermMap): string | string[] {
  return Array.isArray(vocab) ? vocab.map((v) => terms.compact(v)) : terms.compact(vocab);
}

/** The attribute's main value as keyValues shows it. */
export function simplifiedValue(attr: Attribute, terms: TermMap, lang?: string): unknown {
  switch (attr.type) {
    case 'Relationship':
      return attr.object;
    case 'LanguageProperty':
      if (lang !== undefined && attr.languageMap) return pickLanguage(attr.languageMap, lang)?.text;
      return { languageMap: attr.languageMap };
    case 'VocabProperty':
      return { vocab: compactVocab(attr.vocab ?? [], terms) };
    case 'JsonProperty':
      return { json: attr.json };
    case 'ListProperty':
      return attr.valueList;
    case 'ListRelationship':
      return attr.objectList;
    default:
      return attr.value;
  }
}

function compactAttribute(attr: Attribute, terms: TermMap, format: Format, options: CompactOptions): unknown {
  if (format === 'keyValues') return simplifiedValue(attr, terms, options.lang);
  const out: Record<string, unknown> = {};
  if (format === 'normalized') out.type = attr.type;
  switch (attr.type) {
    case 'Relationship':
      out.object = attr.object;
      if (attr.objectType !== undefined) {
        out.objectType = Array.isArray(attr.objectType)
          ? attr.objectType.map((t) => terms.compact(t))
          : terms.compact(attr.objectType);
      }
      break;
    case 'LanguageProperty':
      if (options.lang !== undefined && attr.languageMap) {
        const picked = pickLanguage(attr.languageMap, options.lang);
        if (format === 'normalized') out.type = 'Property';
        out.value = picked?.text;
        if (picked && picked.tag !== '@none') out.lang = picked.tag;
      } else {
        out.languageMap = attr.languageMap;
      }
      break;
    case 'VocabProperty':
      out.vocab = compactVocab(attr.vocab ?? [], terms);
      break;
    case 'JsonProperty':
      out.json = attr.json;
      break;
    case 'ListProperty':
      out.valueList = attr.valueList;
      break;
    case 'ListRelationship':
      out.objectList = attr.objectList;
      break;
    default:
      out.value = attr.value;
  }
  if (attr.datasetId !== undefined) out.datasetId = attr.datasetId;
  if (attr.observedAt !== undefined) out.observedAt = attr.observedAt;
  if (attr.unitCode !== undefined) out.unitCode = attr.unitCode;
  if (options.sysAttrs) {
    if (attr.createdAt) out.createdAt = attr.createdAt;
    if (attr.modifiedAt) out.modifiedAt = attr.modifiedAt;
  }
  if (attr.sub) {
    for (const [iri, instances] of Object.entries(attr.sub)) {
      out[terms.compact(iri)] = compactInstances(instances, terms, format, {
        ...options,
        attrs: undefined,
        omit: undefined,
      });
    }
  }
  if (format === 'concise') {
    const keys = Object.keys(out);
    // a concise Property with nothing but its value collapses to the value itself, unless the
    // value is an object that would then read as an attribute
    if (
      keys.length === 1 &&
      keys[0] === 'value' &&
      (attr.type === 'Property' || attr.type === 'GeoProperty')
    ) {
      const v = out.value;
      if (attr.type === 'GeoProperty' || v === null || typeof v !== 'object') return v;
    }
  }
  return out;
}
