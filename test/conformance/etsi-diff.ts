/**
 * The response comparison of the ETSI NGSI-LD conformance suite, re-expressed: a deep diff that
 * ignores array order and repetitions (DeepDiff `ignore_order=True`), skips paths matching the
 * given patterns (`exclude_regex_paths`, searched in DeepDiff's path syntax `root['a'][0]['b']`),
 * and applies the suite's custom operators:
 *
 * - `@context`: a string and a one-element array holding it are equal; with
 *   `ignoreCoreContextVersion`, any single core context `…/ngsi-ld-core-context-vX.Y.jsonld` in
 *   the response is accepted;
 * - `observedAt`: equal when both parse to the same instant;
 * - `createdAt`, `modifiedAt`, `deletedAt`: only the response value's date format is checked.
 *
 * `groupById` turns a top-level array of objects into a map keyed by `id` (DeepDiff `group_by`).
 * Returns one line per difference; an empty array means equal.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface DiffOptions {
  exclude?: readonly (string | RegExp)[];
  ignoreCoreContextVersion?: boolean;
  groupById?: boolean;
}

const CORE_CONTEXT = /^https:\/\/uri\.etsi\.org\/ngsi-ld\/v1\/ngsi-ld-core-context-v\d\.\d\.jsonld$/;
const NGSILD_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const SYSTEM_DATES = ["['createdAt']", "['modifiedAt']", "['deletedAt']"];

/** Milliseconds since the epoch of an NGSI-LD DateTime, or undefined when it is not one. */
export function parseNgsiLdDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || !NGSILD_DATE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

type Obj = { [key: string]: unknown };

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrap(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function strictEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => strictEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && strictEqual(a[k], b[k]));
  }
  return a === b;
}

class Differ {
  private readonly exclude: RegExp[];

  constructor(private readonly options: DiffOptions) {
    this.exclude = (options.exclude ?? []).map((p) => (typeof p === 'string' ? new RegExp(p) : p));
  }

  private excluded(path: string): boolean {
    return this.exclude.some((re) => re.test(path));
  }

  /** The suite's custom operators: true when they settle the comparison as equal. */
  private operatorSettles(path: string, expected: unknown, actual: unknown): boolean {
    if (path.endsWith("['@context']")) {
      if (this.options.ignoreCoreContextVersion) {
        const list = wrap(actual);
        return list.length === 1 && typeof list[0] === 'string' && CORE_CONTEXT.test(list[0]);
      }
      return strictEqual(wrap(expected), wrap(actual));
    }
    if (path.endsWith("['observedAt']")) {
      const a = parseNgsiLdDate(actual);
      return a !== undefined && a === parseNgsiLdDate(expected);
    }
    if (SYSTEM_DATES.some((s) => path.endsWith(s))) return parseNgsiLdDate(actual) !== undefined;
    return false;
  }

  walk(expected: unknown, actual: unknown, path: string, out: string[]): void {
    if (this.excluded(path) || this.operatorSettles(path, expected, actual)) return;
    if (isObject(expected) && isObject(actual)) {
      for (const key of Object.keys(expected)) {
        const p = `${path}['${key}']`;
        if (key in actual) this.walk(expected[key], actual[key], p, out);
        else if (!this.excluded(p)) out.push(`${p} is missing (expected ${show(expected[key])})`);
      }
      for (const key of Object.keys(actual)) {
        const p = `${path}['${key}']`;
        if (!(key in expected) && !this.excluded(p)) out.push(`${p} is unexpected: ${show(actual[key])}`);
      }
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual)) {
      this.walkUnordered(expected, actual, path, out);
      return;
    }
    if (expected !== actual) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  }

  private equal(expected: unknown, actual: unknown, path: string): boolean {
    const out: string[] = [];
    this.walk(expected, actual, path, out);
    return out.length === 0;
  }

  /** Order and repetitions are ignored: every item must have an equal counterpart on the other side. */
  private walkUnordered(expected: unknown[], actual: unknown[], path: string, out: string[]): void {
    const missing = expected
      .map((item, i) => ({ item, i }))
      .filter(({ item, i }) => !actual.some((a) => this.equal(item, a, `${path}[${i}]`)));
    const extra = actual
      .map((item, i) => ({ item, i }))
      .filter(({ item, i }) => !expected.some((e) => this.equal(e, item, `${path}[${i}]`)));
    // Pair the leftovers by id (the suite's iterable_compare_func) or one-to-one, to say what differs.
    const paired = new Set<number>();
    for (const m of missing) {
      const id = isObject(m.item) ? m.item.id : undefined;
      const partner =
        extra.find((x) => id !== undefined && isObject(x.item) && x.item.id === id) ??
        (missing.length === 1 && extra.length === 1 ? extra[0] : undefined);
      if (partner && !paired.has(partner.i)) {
        paired.add(partner.i);
        this.walk(m.item, partner.item, `${path}[${m.i}]`, out);
      } else {
        out.push(`${path}[${m.i}] has no counterpart in the response: ${show(m.item)}`);
      }
    }
    for (const x of extra) {
      if (!paired.has(x.i)) out.push(`${path}[${x.i}] is unexpected: ${show(x.item)}`);
    }
  }
}

function groupById(value: unknown): unknown {
  if (!Array.isArray(value) || !value.every((row) => isObject(row) && typeof row.id === 'string'))
    return value;
  const grouped: Obj = {};
  for (const row of value as Obj[]) {
    const { id, ...rest } = row;
    grouped[id as string] = rest;
  }
  return grouped;
}

/**
 * Differences between an expectation and a response body.
 * @example deepDiff({ a: [1, 2] }, { a: [2, 1] }) // []
 */
export function deepDiff(expected: unknown, actual: unknown, options: DiffOptions = {}): string[] {
  const out: string[] = [];
  const differ = new Differ(options);
  if (options.groupById) differ.walk(groupById(expected), groupById(actual), 'root', out);
  else differ.walk(expected, actual, 'root', out);
  return out;
}
