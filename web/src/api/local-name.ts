/**
 * The app reads the twin without sending an @context, so types and attribute names arrive
 * expanded (e.g. https://smartdatamodels.org/dataModel.Building/height). The part after the last
 * '/' or '#' is the Smart Data Models term a person recognises; core terms (location, id) arrive
 * compact already and pass through unchanged; a prefixed name (ngsi-ld:name) loses its prefix.
 */
export function localName(iri: string): string {
  if (!iri.includes(':')) return iri;
  let cut = Math.max(iri.lastIndexOf('/'), iri.lastIndexOf('#'));
  if (cut < 0) cut = iri.lastIndexOf(':');
  return cut >= 0 && cut < iri.length - 1 ? iri.slice(cut + 1) : iri;
}

/** A keyValues entity with every member name shortened to its local name. */
export function withLocalNames(entity: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entity)) out[localName(k)] = k === 'type' && typeof v === 'string' ? localName(v) : v;
  return out;
}
