/**
 * In-memory semantics of a q expression (ETSI GS CIM 009 v1.8, clause 4.9) over the `Entity`
 * normal form: subscriptions match with it, and store engines refine index hits with it.
 */

import type { Attribute, Entity } from './entity.ts';
import { NGSI_LD } from './entity.ts';
import { dateTimeMs } from './q-parser.ts';
import type { QNode, QOperator, QPath, QScalar, QValue } from './query-ast.ts';

type Member = 'observedAt' | 'unitCode' | 'datasetId' | 'createdAt' | 'modifiedAt';

/**
 * Attribute members that a path may name as if they were sub-attributes (clause 4.9: "the
 * attribute path may refer to ... observedAt, unitCode, datasetId"); both the expanded IRI and
 * the bare term are accepted, since the core context maps one to the other.
 */
const MEMBERS = new Map<string, Member>();
for (const m of ['observedAt', 'unitCode', 'datasetId', 'createdAt', 'modifiedAt'] as const) {
  MEMBERS.set(`${NGSI_LD}${m}`, m);
  MEMBERS.set(m, m);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * True if `entity` matches `node`. Paths must already be expanded (`expandQ`). A term matches if
 * any instance (datasetId) of the attribute matches; a comparison between values of different
 * kinds is false, never an error (clause 4.9).
 *
 * @example
 * evaluateQ(expandQ(parseQ('airQualityLevel>=4').value, expand), entity) // true when 4 <= value
 */
export function evaluateQ(node: QNode, entity: Entity): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluateQ(c, entity));
    case 'or':
      return node.children.some((c) => evaluateQ(c, entity));
    case 'exists':
      return resolve(node.path, entity).some(
        (values) => node.path.compound.length === 0 || values.length > 0,
      );
    case 'compare': {
      const test = termTest(node.op, node.value);
      return resolve(node.path, entity).some(test);
    }
  }
}

/**
 * The values a path reaches, one list per attribute instance it reaches. Arrays are flattened
 * because a multi-valued Property, Relationship or ListProperty matches when any element does.
 */
function resolve(path: QPath, entity: Entity): unknown[][] {
  let current: Attribute[] = entity.attrs[path.attr] ?? [];
  const out: unknown[][] = [];
  for (let i = 0; i < path.sub.length; i++) {
    const name = path.sub[i];
    const member = i === path.sub.length - 1 ? MEMBERS.get(name) : undefined;
    if (member !== undefined && current.every((a) => a.sub?.[name] === undefined)) {
      for (const a of current) {
        const v = a[member];
        if (v !== undefined) out.push(descend([v], path.compound));
      }
      return out;
    }
    current = current.flatMap((a) => a.sub?.[name] ?? []);
  }
  for (const a of current) out.push(descend(attributeValues(a), path.compound));
  return out;
}

/** The comparable content of an attribute by its type (clause 4.5). */
function attributeValues(a: Attribute): unknown[] {
  switch (a.type) {
    case 'Relationship':
      return flatten([a.object]);
    case 'ListRelationship':
      return flatten([a.objectList]);
    case 'LanguageProperty':
      return flatten(Object.values(a.languageMap ?? {}));
    case 'VocabProperty':
      return flatten([a.vocab]);
    case 'JsonProperty':
      return [a.json];
    case 'ListProperty':
      return flatten([a.valueList ?? a.value]);
    default:
      return flatten([a.value]);
  }
}

function descend(values: unknown[], keys: string[]): unknown[] {
  let current = values;
  for (const key of keys) {
    const next: unknown[] = [];
    for (const v of current) {
      const obj = unwrap(v);
      if (obj !== null && typeof obj === 'object' && !Array.isArray(obj) && Object.hasOwn(obj, key)) {
        next.push(...flatten([(obj as Record<string, unknown>)[key]]));
      }
    }
    current = next;
  }
  return current.map(unwrap);
}

function flatten(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (v === undefined) continue;
    if (Array.isArray(v)) out.push(...flatten(v));
    else out.push(unwrap(v));
  }
  return out;
}

/** A JSON-LD value object (`{"@type": "DateTime", "@value": "..."}`) stands for its value. */
function unwrap(v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && '@value' in v) {
    return (v as { '@value': unknown })['@value'];
  }
  return v;
}

function termTest(op: QOperator, value: QValue): (values: unknown[]) => boolean {
  if (value.kind === 'regex') {
    const re = new RegExp(value.pattern, value.flags);
    const strings = (values: unknown[]) => values.filter((v): v is string => typeof v === 'string');
    if (op === '!~=') {
      return (values) => {
        const s = strings(values);
        return s.length > 0 && !s.some((v) => re.test(v));
      };
    }
    return (values) => strings(values).some((v) => re.test(v));
  }
  const equal = (v: unknown) => equals(v, value);
  const comparable = (v: unknown) => isComparable(v, value);
  switch (op) {
    case '==':
      return (values) => values.some(equal);
    case '!=':
      // An instance differs when it has a value of the query's kind and none equal: a kind
      // mismatch stays false, as for every other operator.
      return (values) => {
        const c = values.filter(comparable);
        return c.length > 0 && !c.some(equal);
      };
    default: {
      const scalar = value as QScalar;
      const holds = ORDER[op as '>' | '>=' | '<' | '<='];
      return (values) =>
        values.some((v) => {
          const c = compare(v, scalar);
          return c !== undefined && holds(c);
        });
    }
  }
}

const ORDER: Record<'>' | '>=' | '<' | '<=', (c: number) => boolean> = {
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
};

function equals(v: unknown, value: QValue): boolean {
  switch (value.kind) {
    case 'list':
      return value.values.some((x) => compare(v, x) === 0);
    case 'range': {
      const lo = compare(v, value.from);
      const hi = compare(v, value.to);
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case 'regex':
      return false;
    default:
      return compare(v, value) === 0;
  }
}

function isComparable(v: unknown, value: QValue): boolean {
  switch (value.kind) {
    case 'list':
      return value.values.some((x) => compare(v, x) !== undefined);
    case 'range':
      return compare(v, value.from) !== undefined;
    case 'regex':
      return typeof v === 'string';
    default:
      return compare(v, value) !== undefined;
  }
}

/** Sign of `v - x`, or undefined when the two are of different kinds. */
function compare(v: unknown, x: QScalar): number | undefined {
  switch (x.kind) {
    case 'number':
      return typeof v === 'number' ? Math.sign(v - x.value) : undefined;
    case 'string':
    case 'uri':
      return typeof v === 'string' ? order(v, x.value) : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? Number(v) - Number(x.value) : undefined;
    case 'null':
      return v === null ? 0 : undefined;
    case 'dateTime': {
      const ms = typeof v === 'string' ? dateTimeMs(v) : undefined;
      return ms === undefined ? undefined : Math.sign(ms - x.epochMs);
    }
    case 'date':
      return typeof v === 'string' && DATE.test(v) ? order(v, x.value) : undefined;
    case 'time':
      return typeof v === 'string' && TIME.test(v) ? order(v, x.value) : undefined;
  }
}

function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
