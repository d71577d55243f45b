/**
 * The NGSI-LD query language `q` (ETSI GS CIM 009 v1.8, clause 4.9), parsed by recursive descent
 * into the engine-neutral `QNode` of query-ast.ts.
 *
 * Grammar (ABNF of clause 4.9, with the precedence the clause gives: `;` binds tighter than `|`):
 *
 * ```
 * Query        = OrExpr
 * OrExpr       = AndExpr *( "|" AndExpr )
 * AndExpr      = Factor *( ";" Factor )
 * Factor       = "(" OrExpr ")" / QueryTerm
 * QueryTerm    = Attribute [ Operator Value ]
 * Attribute    = AttrName *( "." AttrName ) *( "[" Key "]" )     ; attr, attr.sub, attr[a][b], attr.sub[a]
 * Operator     = "==" / "!=" / ">=" / ">" / "<=" / "<" / "~=" / "!~="
 * Value        = Scalar / Scalar 1*( "," Scalar ) / Scalar ".." Scalar   ; lists and ranges: == and != only
 *              / RegExp                                                  ; after ~= and !~= only
 * Scalar       = Number / QuotedStr / DateTime / Date / Time / "true" / "false" / "null" / URI
 * RegExp       = QuotedStr / unquoted text up to a ";", "|" or ")" outside the pattern's own
 *                parentheses and brackets; a leading "(?i)" becomes the flag i
 * ```
 *
 * Whitespace between tokens is skipped; inside names and unquoted values it is an error.
 * Positions in error details are 0-based offsets into the q string.
 */

import { badRequest, ok, type Result } from './errors.ts';
import type { QNode, QOperator, QPath, QScalar, QValue } from './query-ast.ts';

/** Deeper nesting is refused rather than risking the call stack on hostile input. */
const MAX_DEPTH = 32;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
/** Characters of an attribute name: terms, compact IRIs and full IRIs without dots. */
const NAME_CHAR = /[\p{L}\p{N}_:/#@$-]/u;
/** Characters an unquoted value may hold: those of an RFC 3987 IRI (percent-encoded or not). */
const URI_CHAR = /[\p{L}\p{N}\-._~:/?#[\]@!$&'*+=%]/u;
const OPERATORS: readonly QOperator[] = ['==', '!=', '>=', '<=', '!~=', '~=', '>', '<'];

class QSyntaxError {
  constructor(readonly detail: string) {}
}

/**
 * Parses a q expression (clause 4.9) into a `QNode`; names stay as written (see `expandQ`).
 *
 * @example
 * parseQ('(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false')
 * // { ok: true, value: { kind: 'and', children: [{ kind: 'or', ... }, { kind: 'compare', ... }] } }
 */
export function parseQ(q: string): Result<QNode> {
  if (typeof q !== 'string' || q.trim() === '') return badRequest('q: empty expression');
  const parser = new Parser(q);
  try {
    const node = parser.orExpr(0);
    parser.skipSpace();
    if (!parser.atEnd()) {
      const c = q[parser.pos];
      if (c === ')') parser.fail(`unbalanced parenthesis at position ${parser.pos}`);
      parser.fail(`unexpected '${c}' at position ${parser.pos}`);
    }
    return ok(node);
  } catch (e) {
    if (e instanceof QSyntaxError) return badRequest(e.detail);
    throw e;
  }
}

/**
 * Maps attribute and sub-attribute names to IRIs with `expand`; compound keys stay as written,
 * because they index into a JSON value, which JSON-LD does not expand (clause 4.9).
 *
 * @example
 * expandQ(parsed, (term) => `https://example.org/${term}`)
 */
export function expandQ(node: QNode, expand: (term: string) => string): QNode {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((c) => expandQ(c, expand)) };
    case 'exists':
      return { kind: 'exists', path: expandPath(node.path, expand) };
    case 'compare':
      return { kind: 'compare', path: expandPath(node.path, expand), op: node.op, value: node.value };
  }
}

function expandPath(path: QPath, expand: (term: string) => string): QPath {
  return { attr: expand(path.attr), sub: path.sub.map(expand), compound: [...path.compound] };
}

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    throw new QSyntaxError(`q: ${what}`);
  }

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  orExpr(depth: number): QNode {
    const children = [this.andExpr(depth)];
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] !== '|') break;
      this.pos++;
      children.push(this.andExpr(depth));
    }
    return combine('or', children);
  }

  andExpr(depth: number): QNode {
    const children = [this.factor(depth)];
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] !== ';') break;
      this.pos++;
      children.push(this.factor(depth));
    }
    return combine('and', children);
  }

  factor(depth: number): QNode {
    this.skipSpace();
    const start = this.pos;
    if (this.src[this.pos] === '(') {
      if (depth >= MAX_DEPTH) this.fail(`parentheses nested deeper than ${MAX_DEPTH} at position ${start}`);
      this.pos++;
      const inner = this.orExpr(depth + 1);
      this.skipSpace();
      if (this.atEnd()) this.fail(`unbalanced parenthesis at position ${start}`);
      if (this.src[this.pos] !== ')') this.fail(`unexpected '${this.src[this.pos]}' at position ${this.pos}`);
      this.pos++;
      return inner;
    }
    return this.term();
  }

  term(): QNode {
    const path = this.path();
    this.skipSpace();
    const op = this.operator();
    if (op === undefined) return { kind: 'exists', path };
    this.skipSpace();
    const valueAt = this.pos;
    if (op === '~=' || op === '!~=') return { kind: 'compare', path, op, value: this.regex() };
    const first = this.scalar();
    if (this.src.startsWith('..', this.pos)) {
      this.pos += 2;
      const to = this.scalar();
      if (op !== '==' && op !== '!=') this.fail(`a range needs == or != at position ${valueAt}`);
      if (!isComparable(first) || !isComparable(to) || first.kind !== to.kind) {
        this.fail(
          `range bounds must be two numbers, strings, dates or times of one kind at position ${valueAt}`,
        );
      }
      return { kind: 'compare', path, op, value: { kind: 'range', from: first, to } };
    }
    if (this.src[this.pos] === ',') {
      const values = [first];
      while (this.src[this.pos] === ',') {
        this.pos++;
        values.push(this.scalar());
      }
      if (op !== '==' && op !== '!=') this.fail(`a value list needs == or != at position ${valueAt}`);
      return { kind: 'compare', path, op, value: { kind: 'list', values } };
    }
    if (op !== '==' && op !== '!=' && !isComparable(first)) {
      this.fail(`${op} needs a number, quoted string, dateTime, date or time at position ${valueAt}`);
    }
    return { kind: 'compare', path, op, value: first };
  }

  path(): QPath {
    const attr = this.name('attribute name');
    const sub: string[] = [];
    while (this.src[this.pos] === '.' && this.src[this.pos + 1] !== '.') {
      this.pos++;
      sub.push(this.name('sub-attribute name'));
    }
    const compound: string[] = [];
    while (this.src[this.pos] === '[') {
      const open = this.pos++;
      const start = this.pos;
      while (this.pos < this.src.length && !'[]'.includes(this.src[this.pos])) this.pos++;
      if (this.src[this.pos] !== ']') this.fail(`unclosed '[' at position ${open}`);
      if (this.pos === start) this.fail(`empty compound key at position ${open}`);
      compound.push(this.src.slice(start, this.pos));
      this.pos++;
    }
    return { attr, sub, compound };
  }

  name(what: string): string {
    const start = this.pos;
    while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos])) this.pos++;
    if (this.pos === start) {
      if (this.atEnd()) this.fail(`expected ${what} at end of expression`);
      this.fail(`expected ${what} at position ${start}, found '${this.src[start]}'`);
    }
    return this.src.slice(start, this.pos);
  }

  operator(): QOperator | undefined {
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    const c = this.src[this.pos];
    if (c !== undefined && !';|)'.includes(c)) {
      this.fail(`expected an operator (==, !=, >, >=, <, <=, ~=, !~=) at position ${this.pos}, found '${c}'`);
    }
    return undefined;
  }

  scalar(): QScalar {
    const start = this.pos;
    if (this.src[this.pos] === '"') return { kind: 'string', value: this.quoted() };
    // An unquoted value ends where the grammar continues: a logical operator, a parenthesis,
    // a list comma, a range's dots or whitespace.
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (';|(),'.includes(c) || /\s/.test(c) || (c === '.' && this.src[this.pos + 1] === '.')) break;
      if (!URI_CHAR.test(c)) this.fail(`unexpected '${c}' in value at position ${this.pos}`);
      this.pos++;
    }
    const text = this.src.slice(start, this.pos);
    if (text === '')
      this.fail(
        this.atEnd() ? 'expected a value at end of expression' : `expected a value at position ${start}`,
      );
    return classify(text, start, (d) => this.fail(d));
  }

  quoted(): string {
    const open = this.pos++;
    let end = this.pos;
    while (end < this.src.length && this.src[end] !== '"') end += this.src[end] === '\\' ? 2 : 1;
    if (end >= this.src.length) this.fail(`unterminated string starting at position ${open}`);
    this.pos = end + 1;
    try {
      // A q string literal uses JSON's escapes (\" \\ \/ \n \uXXXX ...).
      return JSON.parse(this.src.slice(open, this.pos)) as string;
    } catch {
      return this.fail(`invalid string (bad escape or control character) starting at position ${open}`);
    }
  }

  regex(): QValue {
    const start = this.pos;
    let pattern: string;
    if (this.src[this.pos] === '"') {
      pattern = this.quoted();
    } else {
      let parens = 0;
      let inClass = false;
      while (this.pos < this.src.length) {
        const c = this.src[this.pos];
        if (c === '\\') {
          this.pos += 2;
          continue;
        }
        if (inClass) {
          if (c === ']') inClass = false;
        } else if (c === '[') inClass = true;
        else if (c === '(') parens++;
        else if (c === ')') {
          if (parens === 0) break;
          parens--;
        } else if (parens === 0 && (c === ';' || c === '|')) break;
        this.pos++;
      }
      this.pos = Math.min(this.pos, this.src.length);
      pattern = this.src.slice(start, this.pos);
    }
    if (pattern === '') this.fail(`expected a regular expression at position ${start}`);
    let flags = '';
    // Clients write Java/PCRE-style inline flags (the spec's own examples do); JS has no (?i).
    if (pattern.startsWith('(?i)')) {
      pattern = pattern.slice(4);
      flags = 'i';
    }
    try {
      new RegExp(pattern, flags);
    } catch {
      this.fail(`invalid regular expression at position ${start}`);
    }
    return { kind: 'regex', pattern, flags };
  }
}

function combine(kind: 'and' | 'or', children: QNode[]): QNode {
  if (children.length === 1) return children[0];
  const flat: QNode[] = [];
  for (const c of children) {
    if (c.kind === kind) flat.push(...c.children);
    else flat.push(c);
  }
  return { kind, children: flat };
}

function isComparable(v: QScalar): boolean {
  return (
    v.kind === 'number' ||
    v.kind === 'string' ||
    v.kind === 'dateTime' ||
    v.kind === 'date' ||
    v.kind === 'time'
  );
}

function classify(text: string, at: number, fail: (detail: string) => never): QScalar {
  if (text === 'true' || text === 'false') return { kind: 'boolean', value: text === 'true' };
  if (text === 'null') return { kind: 'null' };
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) fail(`number out of range at position ${at}`);
    return { kind: 'number', value };
  }
  if (DATE_TIME.test(text)) {
    const epochMs = dateTimeMs(text);
    if (epochMs === undefined) fail(`invalid dateTime '${text}' at position ${at}`);
    return { kind: 'dateTime', value: text, epochMs };
  }
  if (DATE.test(text)) {
    if (dateTimeMs(`${text}T00:00:00Z`) === undefined) fail(`invalid date '${text}' at position ${at}`);
    return { kind: 'date', value: text };
  }
  if (TIME.test(text)) return { kind: 'time', value: text };
  return { kind: 'uri', value: text };
}

/**
 * Instant of an ISO 8601 dateTime in epoch milliseconds, or undefined if it is not one; one
 * without an offset is read as UTC, as NGSI-LD keeps temporal properties in UTC (clause 4.6.3).
 *
 * @example
 * dateTimeMs('2020-09-09T18:40:00+02:00') // 1599669600000
 */
export function dateTimeMs(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 59) return undefined;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, frac ? Math.floor(Number(`0${frac}`) * 1000) : 0);
  const check = new Date(ms);
  if (check.getUTCDate() !== +d) return undefined;
  if (zone === 'Z') return ms;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return ms - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
