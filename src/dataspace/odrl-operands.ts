import { type AtomicConstraint, odrlTerm, type RightOperandValue } from './odrl.ts';

/** What the evaluator knows about one request and the state of the world around it. */
export interface OdrlRequest {
  /** The party asking (an IRI or DID). */
  assignee: string;
  action: string;
  target: string;
  /** The evaluation instant as xsd:dateTime; the core never reads a clock. */
  now: string;
  purpose?: string;
  /** Earlier exercises of the action under this policy; `count` is compared against this + 1. */
  usageCount?: number;
  /** xsd:dateTime of the first exercise, for `elapsedTime`. */
  firstUseAt?: string;
  /** Named regions the request is made from or for (`spatial`), e.g. a NUTS or GeoNames IRI. */
  spatial?: string[];
  /** Where the request is made from, as [longitude, latitude] (`spatialCoordinates`). */
  position?: [number, number];
  /** The party receiving the data, when it is not the assignee (`recipient`). */
  recipient?: string;
  /** Roles the trust list grants the assignee (the twinbox profile's `role` operand). */
  roles?: string[];
  /**
   * Membership in party and asset collections (ODRL 2.2 §2.3.1, §2.1.1 `partOf`): member -> collections.
   * Followed transitively.
   */
  partOf?: Record<string, string[]>;
  /** The state of duties by duty id, as a monitor reports it; a duty absent here is not yet set. */
  duties?: Record<string, DutyState>;
  /** Values of other (profile-defined) left operands by term, e.g. `{ partner: 'gold' }`. */
  operands?: Record<string, string | string[]>;
}

/** Deontic state of a duty (ODRL formal semantics / compliance-report vocabulary). */
export type DutyState = 'Fulfilled' | 'Violated' | 'NonSet';

export type Typed =
  | { kind: 'time'; ms: number; text: string }
  | { kind: 'number'; n: number; text: string }
  | { kind: 'term'; text: string };

/** Left operands this evaluator resolves from the request (ODRL 2.2 vocabulary §4.21 and profile terms). */
export const KNOWN_LEFT_OPERANDS = [
  'dateTime',
  'purpose',
  'count',
  'elapsedTime',
  'spatial',
  'spatialCoordinates',
  'recipient',
  'role',
] as const;

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const DATE_TIME = /^(-?\d{4,}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:\d{2})?$/;

/** xsd:dateTime or xsd:date to epoch ms; a value without zone is read as UTC (XSD §3.3.7 leaves it open). */
export function parseXsdDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
}

const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Adds an xsd:duration to an instant on the UTC calendar, so `P1M` from 31 Jan is 3 Mar as in XSD Appendix E. */
export function addXsdDuration(ms: number, duration: string): number | undefined {
  const m = DURATION.exec(duration.trim());
  if (!m || duration.trim() === 'P' || duration.trim().endsWith('T')) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + y, date.getUTCMonth() + mo, date.getUTCDate() + 7 * w + d);
  return date.getTime() + ((h * 60 + mi) * 60 + s) * 1000;
}

export function operandText(value: RightOperandValue): string {
  if (typeof value === 'string') return value;
  if ('@id' in value) return value['@id'];
  return value['@value'];
}

function operandType(value: RightOperandValue): string | undefined {
  if (typeof value === 'string' || '@id' in value) return undefined;
  const t = value['@type'];
  return t?.startsWith('xsd:') ? t.slice(4) : t?.startsWith(XSD) ? t.slice(XSD.length) : t;
}

/** Reads a right operand as the kind of value its left operand speaks of. */
export function typeRightOperand(leftOperand: string, value: RightOperandValue): Typed {
  const text = operandText(value);
  const type = operandType(value);
  if (leftOperand === 'dateTime' || type === 'dateTime' || type === 'date') {
    const ms = parseXsdDateTime(text);
    if (ms !== undefined) return { kind: 'time', ms, text };
  }
  const numeric = leftOperand === 'count' || /^(integer|decimal|double|float|int|long)$/.test(type ?? '');
  if (numeric && text.trim() !== '' && Number.isFinite(Number(text)))
    return { kind: 'number', n: Number(text), text };
  return { kind: 'term', text: odrlTerm(text) };
}

/** The request's value(s) of a left operand, or a reason it has none. */
export function resolveLeftOperand(
  c: AtomicConstraint,
  req: OdrlRequest,
): { values: Typed[] } | { missing: string } {
  const name = odrlTerm(c.leftOperand);
  const terms = (xs: string[]): { values: Typed[] } => ({
    values: xs.map((text) => ({ kind: 'term', text })),
  });
  switch (name) {
    case 'dateTime': {
      const ms = parseXsdDateTime(req.now);
      return ms === undefined
        ? { missing: `request time '${req.now}' is not an xsd:dateTime` }
        : { values: [{ kind: 'time', ms, text: req.now }] };
    }
    case 'purpose':
      return req.purpose === undefined ? { missing: 'the request states no purpose' } : terms([req.purpose]);
    case 'count': {
      const n = (req.usageCount ?? 0) + 1;
      return { values: [{ kind: 'number', n, text: String(n) }] };
    }
    case 'spatial':
      return req.spatial?.length ? terms(req.spatial) : { missing: 'the request states no spatial region' };
    case 'recipient':
      return terms([req.recipient ?? req.assignee]);
    case 'role':
      return terms(req.roles ?? []);
    default: {
      const v = req.operands?.[name] ?? req.operands?.[c.leftOperand];
      if (v === undefined) return { missing: `the request gives no value for left operand '${name}'` };
      return terms(Array.isArray(v) ? v : [v]);
    }
  }
}
