/**
 * The scalar values a q term on an attribute can compare with, one row per value, for the
 * `attr_value` index of both engines (SQLite and PostgreSQL). They are exactly the numbers and strings `evaluateQ` reaches through a path
 * without sub-attributes or compound parts: a Property's value, a Relationship's object, a
 * ListProperty's or ListRelationship's members, a LanguageProperty's strings, a VocabProperty's
 * IRIs, a JsonProperty's scalar, arrays flattened and JSON-LD value objects unwrapped, over every
 * instance. So a term the index answers never loses a match: the index is a superset by
 * construction, and the in-memory refine keeps the semantics exact.
 */
import type { Attribute, Entity } from '../ngsi/index.ts';

/**
 * Strings are indexed by their first characters only (btree entries have a size limit); equality
 * compares the same prefix, which every match shares.
 */
export const INDEXED_STRING_CHARS = 256;

/** Column arrays for `unnest`: one element per indexed value. */
export interface AttrValueRows {
  entityIds: string[];
  attrs: string[];
  nums: Array<number | null>;
  strs: Array<string | null>;
}

export function emptyAttrValueRows(): AttrValueRows {
  return { entityIds: [], attrs: [], nums: [], strs: [] };
}

function comparable(a: Attribute): unknown {
  switch (a.type) {
    case 'Relationship':
      return a.object;
    case 'ListRelationship':
      return a.objectList;
    case 'LanguageProperty':
      return a.languageMap ? Object.values(a.languageMap) : undefined;
    case 'VocabProperty':
      return a.vocab;
    case 'JsonProperty':
      // a JsonProperty is compared as a whole: only a scalar can match a q value
      return Array.isArray(a.json) ? undefined : a.json;
    case 'ListProperty':
      return a.valueList ?? a.value;
    default:
      return a.value;
  }
}

function push(rows: AttrValueRows, id: string, attr: string, v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) push(rows, id, attr, x);
    return;
  }
  if (v !== null && typeof v === 'object' && '@value' in v) {
    push(rows, id, attr, (v as { '@value': unknown })['@value']);
    return;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return;
    rows.entityIds.push(id);
    rows.attrs.push(attr);
    rows.nums.push(v);
    rows.strs.push(null);
  } else if (typeof v === 'string') {
    rows.entityIds.push(id);
    rows.attrs.push(attr);
    rows.nums.push(null);
    rows.strs.push(v);
  }
}

/** Appends the indexed values of `entity` to `rows`. */
export function addAttrValues(rows: AttrValueRows, entity: Entity): void {
  for (const attr in entity.attrs) {
    for (const inst of entity.attrs[attr]) push(rows, entity.id, attr, comparable(inst));
  }
}

/** The indexed values of one attribute's instances (numbers and strings, arrays flattened). */
export function attributeValues(instances: Attribute[]): Array<number | string> {
  const rows = emptyAttrValueRows();
  for (const inst of instances) push(rows, '', '', comparable(inst));
  return rows.nums.map((n, i) => (n !== null ? n : (rows.strs[i] as string)));
}
