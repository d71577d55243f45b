/**
 * Serialisations of the DCAT-AP catalogue graph: Turtle (n3) and JSON-LD. Both are written from the
 * same quads, so they always describe the same graph.
 */
import { type Quad, Writer } from 'n3';
import { DCAT_PREFIXES } from './dcat.ts';

export function toTurtle(quads: Quad[]): string {
  const writer = new Writer({ prefixes: { ...DCAT_PREFIXES } });
  writer.addQuads(quads);
  let text: string | undefined;
  // The string writer completes synchronously; the callback is its only way to hand the result back.
  writer.end((error, result: string) => {
    if (error) throw error;
    text = result;
  });
  if (text === undefined) throw new Error('n3 Writer did not complete synchronously');
  return text;
}

type JsonLdValue = { '@id': string } | { '@value': string; '@language'?: string; '@type'?: string };
type JsonLdNode = { '@id': string; '@type'?: string[] } & Record<string, JsonLdValue[] | string[] | string>;

const RDF_TYPE = `${DCAT_PREFIXES.rdf}type`;

function compact(iri: string): string {
  for (const [prefix, ns] of Object.entries(DCAT_PREFIXES)) {
    if (iri.startsWith(ns) && /^[A-Za-z_][\w.-]*$/.test(iri.slice(ns.length)))
      return `${prefix}:${iri.slice(ns.length)}`;
  }
  return iri;
}

/**
 * JSON-LD 1.1 in flattened form (one node object per subject in `@graph`), with a context of the
 * vocabulary prefixes only, so it needs no remote context to be read.
 */
export function toJsonLd(quads: Quad[]): { '@context': Record<string, string>; '@graph': JsonLdNode[] } {
  const nodes = new Map<string, JsonLdNode>();
  const id = (t: Quad['subject'] | Quad['object']) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);
  for (const q of quads) {
    const s = id(q.subject);
    let node = nodes.get(s);
    if (!node) {
      node = { '@id': s };
      nodes.set(s, node);
    }
    if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
      node['@type'] = [...(node['@type'] ?? []), compact(q.object.value)];
      continue;
    }
    let value: JsonLdValue;
    if (q.object.termType === 'Literal') {
      const lit = q.object;
      value = { '@value': lit.value };
      if (lit.language) value['@language'] = lit.language;
      else if (lit.datatype.value !== `${DCAT_PREFIXES.xsd}string`)
        value['@type'] = compact(lit.datatype.value);
    } else value = { '@id': id(q.object) };
    const key = compact(q.predicate.value);
    node[key] = [...((node[key] as JsonLdValue[] | undefined) ?? []), value];
  }
  return { '@context': { ...DCAT_PREFIXES }, '@graph': [...nodes.values()] };
}
