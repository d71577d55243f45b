/**
 * An instance's DCAT-AP catalogue (`GET /twinbox/v1/catalogue`, JSON-LD) read into what the
 * Federation panel lists: datasets with title, publisher, licence, themes, keywords and the ODRL
 * offers they may be negotiated under, each with its purposes and other conditions.
 *
 * The export is a flattened graph whose keys are compact IRIs of its own @context; names are
 * expanded with that context's prefixes, so another harvester's prefixes read the same.
 */
import { trimBase } from './instance.ts';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const ODRL = 'http://www.w3.org/ns/odrl/2/';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';

export interface OfferView {
  id: string;
  /** purposes the offer's permissions are limited to (ODRL purpose constraints) */
  purposes: string[];
  /** the other constraints, readable: "dateTime lt 2030-01-01T00:00:00Z" */
  conditions: string[];
  /** actions the offer prohibits */
  prohibited: string[];
}

export interface DatasetView {
  id: string;
  title: string;
  description?: string;
  publisher?: string;
  /** licence IRIs of the dataset and its distributions */
  licences: string[];
  themes: string[];
  keywords: string[];
  offers: OfferView[];
}

export interface CatalogueView {
  id: string;
  title: string;
  publisher?: string;
  datasets: DatasetView[];
}

type Node = Record<string, unknown> & { '@id'?: string };

/** The graph's nodes by id, keys expanded to full IRIs. */
function readGraph(doc: unknown): Map<string, Node> {
  const d = (doc ?? {}) as { '@context'?: unknown; '@graph'?: unknown };
  const prefixes = new Map<string, string>();
  const ctx = Array.isArray(d['@context']) ? d['@context'] : [d['@context']];
  for (const c of ctx) {
    if (c && typeof c === 'object') for (const [k, v] of Object.entries(c)) if (typeof v === 'string') prefixes.set(k, v);
  }
  const expand = (term: string): string => {
    const i = term.indexOf(':');
    if (i <= 0 || term.startsWith('http')) return term;
    const ns = prefixes.get(term.slice(0, i));
    return ns ? ns + term.slice(i + 1) : term;
  };
  const nodes = Array.isArray(d['@graph']) ? (d['@graph'] as Node[]) : [d as Node];
  const out = new Map<string, Node>();
  for (const n of nodes) {
    if (!n || typeof n !== 'object' || typeof n['@id'] !== 'string') continue;
    const e: Node = { '@id': n['@id'] };
    for (const [k, v] of Object.entries(n)) {
      if (k === '@id') continue;
      const values = Array.isArray(v) ? v : [v];
      e[k === '@type' ? '@type' : expand(k)] = k === '@type' ? values.map((t) => expand(String(t))) : values.map((x) => (x && typeof x === 'object' && '@id' in x ? { '@id': expand(String((x as Node)['@id'])) } : x));
    }
    out.set(e['@id'] as string, e);
  }
  return out;
}

function list(n: Node | undefined, p: string): unknown[] {
  const v = n?.[p];
  return Array.isArray(v) ? v : [];
}

function ids(n: Node | undefined, p: string): string[] {
  return list(n, p)
    .map((x) => (x && typeof x === 'object' ? (x as Node)['@id'] : undefined))
    .filter((x): x is string => typeof x === 'string');
}

/** The literal in `lang` if there is one, else the first. */
function text(n: Node | undefined, p: string, lang: string): string | undefined {
  const values = list(n, p).filter((x) => x && typeof x === 'object' && '@value' in (x as object)) as Array<{ '@value': unknown; '@language'?: string }>;
  const pick = values.find((v) => v['@language'] === lang) ?? values[0];
  if (pick) return String(pick['@value']);
  const plain = list(n, p).find((x) => typeof x === 'string' || typeof x === 'number');
  return plain === undefined ? undefined : String(plain);
}

function localName(iri: string): string {
  return iri.replace(/^.*[/#]/, '');
}

function offerView(graph: Map<string, Node>, id: string): OfferView {
  const offer = graph.get(id);
  const purposes: string[] = [];
  const conditions: string[] = [];
  const walk = (cid: string) => {
    const c = graph.get(cid);
    if (!c) return;
    for (const logical of ['and', 'or', 'xone', 'andSequence']) for (const sub of ids(c, `${ODRL}${logical}`)) walk(sub);
    const left = ids(c, `${ODRL}leftOperand`)[0];
    if (!left) return;
    const right = list(c, `${ODRL}rightOperand`)
      .map((r) => (r && typeof r === 'object' ? ((r as Node)['@value'] ?? (r as Node)['@id']) : r))
      .map(String);
    if (localName(left) === 'purpose') purposes.push(...right);
    else conditions.push(`${localName(left)} ${localName(ids(c, `${ODRL}operator`)[0] ?? '')} ${right.join(', ')}`);
  };
  for (const rule of ids(offer, `${ODRL}permission`)) for (const c of ids(graph.get(rule), `${ODRL}constraint`)) walk(c);
  const prohibited = ids(offer, `${ODRL}prohibition`).flatMap((r) => ids(graph.get(r), `${ODRL}action`).map(localName));
  return { id, purposes, conditions, prohibited };
}

/** The catalogue as the Federation panel lists it. */
export function readCatalogue(doc: unknown, lang = 'en'): CatalogueView {
  const graph = readGraph(doc);
  const isA = (n: Node, type: string) => list(n, '@type').includes(type);
  const catalogue = [...graph.values()].find((n) => isA(n, `${DCAT}Catalog`));
  const name = (agent: string | undefined) => (agent ? (text(graph.get(agent), `${FOAF}name`, lang) ?? agent) : undefined);
  const datasetIds = catalogue ? ids(catalogue, `${DCAT}dataset`) : [...graph.values()].filter((n) => isA(n, `${DCAT}Dataset`)).map((n) => n['@id'] as string);
  const datasets = datasetIds.map((id): DatasetView => {
    const d = graph.get(id);
    const licences = new Set(ids(d, `${DCT}license`));
    for (const dist of ids(d, `${DCAT}distribution`)) for (const l of ids(graph.get(dist), `${DCT}license`)) licences.add(l);
    return {
      id,
      title: text(d, `${DCT}title`, lang) ?? id,
      description: text(d, `${DCT}description`, lang),
      publisher: name(ids(d, `${DCT}publisher`)[0]),
      licences: [...licences],
      themes: ids(d, `${DCAT}theme`).map((t) => text(graph.get(t), `${SKOS}prefLabel`, lang) ?? localName(t)),
      keywords: list(d, `${DCAT}keyword`).map((k) => (k && typeof k === 'object' ? String((k as Node)['@value']) : String(k))),
      offers: ids(d, `${ODRL}hasPolicy`).map((o) => offerView(graph, o)),
    };
  });
  return {
    id: (catalogue?.['@id'] as string | undefined) ?? '',
    title: text(catalogue, `${DCT}title`, lang) ?? '',
    publisher: name(ids(catalogue, `${DCT}publisher`)[0]),
    datasets,
  };
}

/** A licence IRI as people know it: the EU authority table's CC_BY_4_0 reads "CC BY 4.0". */
export function licenceLabel(iri: string): string {
  const tail = localName(iri);
  return /^CC/i.test(tail) || /_/.test(tail) ? tail.replace(/_(\d)_(\d)$/, ' $1.$2').replace(/_/g, ' ') : tail;
}

export async function fetchCatalogue(base: string, lang: string, signal?: AbortSignal): Promise<CatalogueView> {
  const res = await fetch(`${trimBase(base)}/twinbox/v1/catalogue`, { signal, headers: { accept: 'application/ld+json' } });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  return readCatalogue(await res.json(), lang);
}
