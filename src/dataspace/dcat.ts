/**
 * A DCAT-AP 3.0.1 catalogue (https://semiceu.github.io/DCAT-AP/releases/3.0.1/) built from a plain
 * description of what a data owner publishes; each dataset carries its ODRL offers (`odrl:hasPolicy`)
 * so the same catalogue serves harvesters and the Dataspace Protocol.
 */
import { DataFactory, type Quad, type Quad_Object, type Quad_Subject } from 'n3';
import type { CatalogOffer } from './dsp.ts';
import { type Constraint, isLogicalConstraint, ODRL_NS, odrlTerm, type RightOperandValue } from './odrl.ts';

const { namedNode, blankNode, literal, quad } = DataFactory;

export const DCAT_PREFIXES = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  odrl: ODRL_NS,
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
} as const;

const P = DCAT_PREFIXES;

export interface DcatAgent {
  id: string;
  name: string;
}

export interface DcatContactPoint {
  id: string;
  name: string;
  email?: string;
  url?: string;
}

export interface DcatDataServiceDescription {
  id: string;
  title: string;
  endpointURL: string;
  endpointDescription?: string;
}

export interface DcatDistributionDescription {
  id: string;
  title?: string;
  accessURL: string;
  downloadURL?: string;
  /** An EU file-type IRI, e.g. http://publications.europa.eu/resource/authority/file-type/JSON_LD. */
  format?: string;
  /** An IANA media type IRI, e.g. https://www.iana.org/assignments/media-types/application/ld+json. */
  mediaType?: string;
  /** The licence IRI; defaults to the dataset's. */
  license?: string;
  /** Id of a catalogue data service that serves this distribution. */
  accessService?: string;
}

export interface DcatDatasetDescription {
  id: string;
  title: string;
  description: string;
  keywords?: string[];
  /**
   * EU data themes, e.g. { id: 'http://publications.europa.eu/resource/authority/data-theme/TRAN',
   * label: 'Transport' }: DCAT-AP wants a skos:Concept with a preferred label.
   */
  themes?: { id: string; label: string }[];
  /** Location IRIs (e.g. GeoNames, EU place authority). */
  spatial?: string[];
  /** xsd:date or xsd:dateTime bounds of the period the data covers. */
  temporal?: { start?: string; end?: string };
  issued?: string;
  modified?: string;
  publisher?: DcatAgent;
  contactPoint?: DcatContactPoint;
  license?: string;
  distributions: DcatDistributionDescription[];
  /** The ODRL offers under which the dataset may be negotiated. */
  offers: CatalogOffer[];
}

export interface DcatCatalogDescription {
  id: string;
  title: string;
  description: string;
  publisher: DcatAgent;
  contactPoint?: DcatContactPoint;
  homepage?: string;
  /** EU language IRIs, e.g. http://publications.europa.eu/resource/authority/language/ENG. */
  languages?: string[];
  license?: string;
  issued?: string;
  modified?: string;
  services?: DcatDataServiceDescription[];
  datasets: DcatDatasetDescription[];
  /** Language tag of the titles and descriptions. */
  lang?: string;
}

/**
 * The catalogue as RDF quads in the default graph, blank nodes numbered in document order so the
 * same description always yields the same graph.
 *
 * @example dcatCatalogQuads({ id: 'https://leipzig.example/catalog', title: 'Leipzig', ... })
 */
export function dcatCatalogQuads(c: DcatCatalogDescription): Quad[] {
  const out: Quad[] = [];
  let bnodes = 0;
  const bnode = () => blankNode(`b${bnodes++}`);
  const lang = c.lang ?? 'en';
  const seen = new Set<string>();
  // A publisher or licence shared by several resources is described once: RDF is a set of triples.
  const add = (s: Quad_Subject, p: string, o: Quad_Object) => {
    const q = quad(s, namedNode(p), o);
    const key = `${s.termType}:${s.value} ${p} ${o.termType}:${o.value}@${o.termType === 'Literal' ? `${o.language}^^${o.datatype.value}` : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(q);
  };
  const type = (s: Quad_Subject, t: string) => add(s, `${P.rdf}type`, namedNode(t));
  const text = (s: Quad_Subject, p: string, v: string) => add(s, p, literal(v, lang));
  const iri = (s: Quad_Subject, p: string, v: string) => add(s, p, namedNode(v));
  const date = (s: Quad_Subject, p: string, v: string) =>
    add(s, p, literal(v, namedNode(`${P.xsd}${v.includes('T') ? 'dateTime' : 'date'}`)));

  const agent = (a: DcatAgent) => {
    const n = namedNode(a.id);
    type(n, `${P.foaf}Agent`);
    text(n, `${P.foaf}name`, a.name);
    return n;
  };
  const contact = (k: DcatContactPoint) => {
    const n = namedNode(k.id);
    type(n, `${P.vcard}Kind`);
    text(n, `${P.vcard}fn`, k.name);
    if (k.email) iri(n, `${P.vcard}hasEmail`, `mailto:${k.email.replace(/^mailto:/, '')}`);
    if (k.url) iri(n, `${P.vcard}hasURL`, k.url);
    return n;
  };
  const license = (s: Quad_Subject, v: string) => {
    iri(s, `${P.dct}license`, v);
    type(namedNode(v), `${P.dct}LicenseDocument`);
  };

  const catalog = namedNode(c.id);
  type(catalog, `${P.dcat}Catalog`);
  text(catalog, `${P.dct}title`, c.title);
  text(catalog, `${P.dct}description`, c.description);
  add(catalog, `${P.dct}publisher`, agent(c.publisher));
  if (c.contactPoint) add(catalog, `${P.dcat}contactPoint`, contact(c.contactPoint));
  if (c.homepage) {
    iri(catalog, `${P.foaf}homepage`, c.homepage);
    type(namedNode(c.homepage), `${P.foaf}Document`);
  }
  for (const l of c.languages ?? []) {
    iri(catalog, `${P.dct}language`, l);
    type(namedNode(l), `${P.dct}LinguisticSystem`);
  }
  if (c.license) license(catalog, c.license);
  if (c.issued) date(catalog, `${P.dct}issued`, c.issued);
  if (c.modified) date(catalog, `${P.dct}modified`, c.modified);

  for (const s of c.services ?? []) {
    const n = namedNode(s.id);
    type(n, `${P.dcat}DataService`);
    text(n, `${P.dct}title`, s.title);
    iri(n, `${P.dcat}endpointURL`, s.endpointURL);
    // DCAT-AP ranges.ttl checks the endpoint is typed rdfs:Resource; a harvester infers nothing.
    type(namedNode(s.endpointURL), `${P.rdfs}Resource`);
    if (s.endpointDescription) iri(n, `${P.dcat}endpointDescription`, s.endpointDescription);
    add(catalog, `${P.dcat}service`, n);
    for (const d of c.datasets) {
      if (d.distributions.some((x) => x.accessService === s.id)) iri(n, `${P.dcat}servesDataset`, d.id);
    }
  }

  for (const d of c.datasets) {
    const ds = namedNode(d.id);
    add(catalog, `${P.dcat}dataset`, ds);
    type(ds, `${P.dcat}Dataset`);
    text(ds, `${P.dct}title`, d.title);
    text(ds, `${P.dct}description`, d.description);
    for (const k of d.keywords ?? []) text(ds, `${P.dcat}keyword`, k);
    for (const t of d.themes ?? []) {
      iri(ds, `${P.dcat}theme`, t.id);
      type(namedNode(t.id), `${P.skos}Concept`);
      text(namedNode(t.id), `${P.skos}prefLabel`, t.label);
    }
    for (const s of d.spatial ?? []) {
      iri(ds, `${P.dct}spatial`, s);
      type(namedNode(s), `${P.dct}Location`);
    }
    if (d.temporal) {
      const period = bnode();
      type(period, `${P.dct}PeriodOfTime`);
      if (d.temporal.start) date(period, `${P.dcat}startDate`, d.temporal.start);
      if (d.temporal.end) date(period, `${P.dcat}endDate`, d.temporal.end);
      add(ds, `${P.dct}temporal`, period);
    }
    if (d.issued) date(ds, `${P.dct}issued`, d.issued);
    if (d.modified) date(ds, `${P.dct}modified`, d.modified);
    if (d.publisher) add(ds, `${P.dct}publisher`, agent(d.publisher));
    if (d.contactPoint) add(ds, `${P.dcat}contactPoint`, contact(d.contactPoint));
    for (const x of d.distributions) {
      const dist = namedNode(x.id);
      add(ds, `${P.dcat}distribution`, dist);
      type(dist, `${P.dcat}Distribution`);
      if (x.title) text(dist, `${P.dct}title`, x.title);
      iri(dist, `${P.dcat}accessURL`, x.accessURL);
      if (x.downloadURL) iri(dist, `${P.dcat}downloadURL`, x.downloadURL);
      if (x.format) {
        iri(dist, `${P.dct}format`, x.format);
        type(namedNode(x.format), `${P.dct}MediaTypeOrExtent`);
      }
      if (x.mediaType) {
        iri(dist, `${P.dcat}mediaType`, x.mediaType);
        type(namedNode(x.mediaType), `${P.dct}MediaType`);
      }
      const lic = x.license ?? d.license;
      if (lic) license(dist, lic);
      if (x.accessService) iri(dist, `${P.dcat}accessService`, x.accessService);
    }
    for (const offer of d.offers) {
      const o = namedNode(offer['@id']);
      iri(ds, `${ODRL_NS}hasPolicy`, offer['@id']);
      // DCAT-AP's range for hasPolicy is odrl:Policy; a harvester does not infer it from odrl:Offer.
      type(o, `${ODRL_NS}Offer`);
      type(o, `${ODRL_NS}Policy`);
      const rules = [
        ['permission', offer.permission ?? []],
        ['prohibition', offer.prohibition ?? []],
        ['obligation', offer.obligation ?? []],
      ] as const;
      for (const [kind, list] of rules) {
        for (const rule of list) {
          const r = rule['@id'] ? namedNode(rule['@id']) : bnode();
          add(o, `${ODRL_NS}${kind}`, r);
          if (rule.action) iri(r, `${ODRL_NS}action`, term(rule.action));
          for (const k of rule.constraint ?? []) add(r, `${ODRL_NS}constraint`, constraint(k));
        }
      }
    }
  }
  return out;

  function constraint(k: Constraint): Quad_Subject {
    const n = k['@id'] ? namedNode(k['@id']) : bnode();
    if (isLogicalConstraint(k)) {
      const [op, members] = Object.entries(k).find(([key]) => key !== '@id') as [string, Constraint[]];
      for (const m of members) add(n, `${ODRL_NS}${op}`, constraint(m));
      return n;
    }
    iri(n, `${ODRL_NS}leftOperand`, term(k.leftOperand));
    iri(n, `${ODRL_NS}operator`, term(k.operator));
    for (const v of Array.isArray(k.rightOperand) ? k.rightOperand : [k.rightOperand]) {
      add(n, `${ODRL_NS}rightOperand`, rightOperand(v));
    }
    return n;
  }
}

/** ODRL vocabulary terms become IRIs in the ODRL namespace; profile IRIs stay as they are. */
function term(value: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('odrl:') ? value : ODRL_NS + odrlTerm(value);
}

function rightOperand(v: RightOperandValue): Quad_Object {
  if (typeof v === 'string') return literal(v);
  if ('@id' in v) return namedNode(v['@id']);
  const t = v['@type'];
  if (!t) return literal(v['@value']);
  return literal(v['@value'], namedNode(t.startsWith('xsd:') ? P.xsd + t.slice(4) : t));
}
