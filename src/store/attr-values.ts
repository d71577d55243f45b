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

/** Calls `fn` with every number and string in `v`: arrays flattened, JSON-LD value objects unwrapped. */
function eachValue(v: unknown, fn: (x: number | string) => void): void {
  if (Array.isArray(v)) {
    for (const x of v) eachValue(x, fn);
  } else if (v !== null && typeof v === 'object' && '@value' in v) {
    eachValue((v as { '@value': unknown })['@value'], fn);
  } else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string') {
    fn(v);
  }
}

/** Appends the indexed values of `entity` to `rows`. */
export function addAttrValues(rows: AttrValueRows, entity: Entity): void {
  for (const attr in entity.attrs) {
    for (const inst of entity.attrs[attr]) {
      eachValue(comparable(inst), (x) => {
        rows.entityIds.push(entity.id);
        rows.attrs.push(attr);
        rows.nums.push(typeof x === 'number' ? x : null);
        rows.strs.push(typeof x === 'string' ? x : null);
      });
    }
  }
}

/**
 * The index rows of one attribute's instances: numbers, and strings cut to the indexed prefix,
 * so two lists compare equal exactly when they give the index the same rows.
 */
export function attributeValues(instances: Attribute[]): Array<number | string> {
  const out: Array<number | string> = [];
  const add = (x: number | string) => out.push(typeof x === 'string' ? x.slice(0, INDEXED_STRING_CHARS) : x);
  for (const inst of instances) eachValue(comparable(inst), add);
  return out;
}
