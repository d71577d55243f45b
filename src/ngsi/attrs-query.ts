/**
 * The `attrs`, `pick` and `omit` query parameters (ETSI GS CIM 009 v1.8, clauses 4.21 and
 * 6.4.3.2): which attributes and entity members a response carries.
 *
 * ```
 * attrs      = Name *( "," Name )
 * Projection = Member *( "," Member )                 ; pick and omit
 * Member     = Name [ "{" Projection "}" ]            ; braces project a linked entity (clause 4.5.23)
 * Name       = 1*( any character but , { } ; ( ) [ ] = < > " ' | \ and whitespace )
 * ```
 */

import { badRequest, ok, type Result } from './errors.ts';

/** A pick or omit projection: member names, and projections of linked entities. */
export interface Projection {
  /** `id`, `type`, `scope`, `createdAt`, `modifiedAt` as written; attribute names expanded */
  members: Set<string>;
  /** projection of the entity a Relationship links to, by the Relationship's expanded name */
  linked: Map<string, Projection>;
}

/** What the three parameters select once parsed together. */
export interface ProjectionParams {
  attrs?: Set<string>;
  pick?: Projection;
  omit?: Projection;
}

/** Entity members that pick and omit may name besides attributes (clause 4.21); never expanded. */
const CORE_MEMBERS = new Set(['id', 'type', 'scope', 'createdAt', 'modifiedAt']);
/** Deeper nesting is refused rather than risking the call stack on hostile input. */
const MAX_DEPTH = 16;
const NAME_CHAR = /[^,{};()[\]=<>"'|\\\s]/;

class ProjectionError {
  constructor(readonly detail: string) {}
}

/**
 * Parses `attrs` (a comma list of attribute names) into the set of expanded names.
 *
 * @example
 * parseAttrs('name,location', expand) // { ok: true, value: Set { 'https://…/name', 'https://uri.etsi.org/ngsi-ld/location' } }
 */
export function parseAttrs(attrs: string, expand: (term: string) => string): Result<Set<string>> {
  const out = new Set<string>();
  let pos = 0;
  for (const name of attrs.split(',')) {
    const bad = [...name].findIndex((c) => !NAME_CHAR.test(c));
    if (name === '') return badRequest(`attrs: empty attribute name at position ${pos}`);
    if (bad >= 0) return badRequest(`attrs: invalid character '${name[bad]}' at position ${pos + bad}`);
    out.add(expand(name));
    pos += name.length + 1;
  }
  return ok(out);
}

/**
 * Parses a `pick` or `omit` value (clause 4.21) into a `Projection`.
 *
 * @example
 * parseProjection('id,locatedAt{id,name}', 'pick', expand)
 * // { ok: true, value: { members: Set { 'id', 'https://…/locatedAt' }, linked: Map { 'https://…/locatedAt' => {...} } } }
 */
export function parseProjection(
  text: string,
  param: 'pick' | 'omit',
  expand: (term: string) => string,
): Result<Projection> {
  let pos = 0;
  const fail = (what: string): never => {
    throw new ProjectionError(`${param}: ${what}`);
  };
  const list = (depth: number, open: number): Projection => {
    const projection: Projection = { members: new Set(), linked: new Map() };
    for (;;) {
      const start = pos;
      while (pos < text.length && NAME_CHAR.test(text[pos])) pos++;
      if (pos === start) {
        if (pos >= text.length)
          fail(open < 0 ? 'empty member name at end' : `unclosed '{' at position ${open}`);
        const c = text[pos];
        if (c === ',' || c === '}' || c === '{')
          fail(`expected a member name at position ${pos}, found '${c}'`);
        fail(`invalid character '${c}' at position ${pos}`);
      }
      const written = text.slice(start, pos);
      const name = CORE_MEMBERS.has(written) ? written : expand(written);
      projection.members.add(name);
      if (text[pos] === '{') {
        if (CORE_MEMBERS.has(written))
          fail(`'${written}' is not a Relationship and cannot be followed by '{' at position ${pos}`);
        if (depth >= MAX_DEPTH) fail(`braces nested deeper than ${MAX_DEPTH} at position ${pos}`);
        const brace = pos++;
        projection.linked.set(name, list(depth + 1, brace));
        if (text[pos] !== '}') fail(`unclosed '{' at position ${brace}`);
        pos++;
      }
      if (pos >= text.length) {
        if (open >= 0) fail(`unclosed '{' at position ${open}`);
        return projection;
      }
      const c = text[pos];
      if (c === ',') {
        pos++;
        continue;
      }
      if (c === '}') {
        if (open < 0) fail(`unbalanced '}' at position ${pos}`);
        return projection;
      }
      fail(`invalid character '${c}' at position ${pos}`);
    }
  };
  if (text === '') return badRequest(`${param}: empty value`);
  try {
    return ok(list(0, -1));
  } catch (e) {
    if (e instanceof ProjectionError) return badRequest(e.detail);
    throw e;
  }
}

/**
 * Parses `attrs`, `pick` and `omit` together and checks how they combine (clause 4.21):
 * `attrs` excludes both `pick` and `omit`, and no member is both picked and omitted.
 *
 * @example
 * parseProjectionParams({ pick: 'id,name' }, expand) // { ok: true, value: { pick: {...} } }
 */
export function parseProjectionParams(
  params: { attrs?: string; pick?: string; omit?: string },
  expand: (term: string) => string,
): Result<ProjectionParams> {
  const { attrs, pick, omit } = params;
  if (attrs !== undefined && pick !== undefined)
    return badRequest('pick: cannot be combined with attrs (clause 4.21)');
  if (attrs !== undefined && omit !== undefined)
    return badRequest('omit: cannot be combined with attrs (clause 4.21)');
  const out: ProjectionParams = {};
  if (attrs !== undefined) {
    const r = parseAttrs(attrs, expand);
    if (!r.ok) return r;
    out.attrs = r.value;
  }
  if (pick !== undefined) {
    const r = parseProjection(pick, 'pick', expand);
    if (!r.ok) return r;
    out.pick = r.value;
  }
  if (omit !== undefined) {
    const r = parseProjection(omit, 'omit', expand);
    if (!r.ok) return r;
    out.omit = r.value;
  }
  if (out.pick && out.omit) {
    for (const m of out.pick.members) {
      if (out.omit.members.has(m)) return badRequest(`pick, omit: '${m}' is both picked and omitted`);
    }
  }
  return ok(out);
}
