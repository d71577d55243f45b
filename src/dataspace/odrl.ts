/**
 * The ODRL 2.2 Information Model (https://www.w3.org/TR/odrl-model/) in the compacted JSON-LD form
 * the Dataspace Protocol 2025-1 uses for offers and agreements (`negotiation/contract-schema.json`),
 * so one value travels unchanged from a catalogue through a negotiation into the evaluator.
 */

export const ODRL_NS = 'http://www.w3.org/ns/odrl/2/';

/** ODRL 2.2 §2.5.3 operators, plus the DSP schema's `term-lteq`. */
export const OPERATORS = [
  'eq',
  'neq',
  'lt',
  'lteq',
  'gt',
  'gteq',
  'isA',
  'hasPart',
  'isPartOf',
  'isAllOf',
  'isAnyOf',
  'isNoneOf',
  'term-lteq',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** A literal with its XSD datatype, or a reference to a resource, or a plain string (DSP style). */
export type RightOperandValue = string | { '@value': string; '@type'?: string } | { '@id': string };
export type RightOperand = RightOperandValue | RightOperandValue[];

export interface AtomicConstraint {
  '@id'?: string;
  leftOperand: string;
  operator: Operator;
  rightOperand: RightOperand;
  /** ODRL 2.2 §2.5.4: the unit of the right operand (e.g. a currency); informational here. */
  unit?: string;
}

/** ODRL 2.2 §2.5.2 logical constraint: exactly one of the four operators is present. */
export type LogicalConstraint =
  | { '@id'?: string; and: Constraint[] }
  | { '@id'?: string; or: Constraint[] }
  | { '@id'?: string; xone: Constraint[] }
  | { '@id'?: string; andSequence: Constraint[] };

export type Constraint = AtomicConstraint | LogicalConstraint;

/** ODRL 2.2 §2.6 Duty: an obligation, or (attached to a permission) a condition of it. */
export interface Duty {
  '@id'?: string;
  action: string;
  constraint?: Constraint[];
}

/** ODRL 2.2 §2.2 Rule; `target`, `assignee` and `assigner` may come from the policy (§2.7). */
export interface Rule {
  '@id'?: string;
  /**
   * Required by ODRL 2.2 and by DSP; a rule read from RDF without one (as some test suites write
   * "everybody may do everything") applies to every action.
   */
  action?: string;
  target?: string;
  assignee?: string;
  assigner?: string;
  constraint?: Constraint[];
}

export interface Permission extends Rule {
  duty?: Duty[];
}

export interface Prohibition extends Rule {
  remedy?: Duty[];
}

export type PolicyType = 'Set' | 'Offer' | 'Agreement';

export interface Policy {
  '@id': string;
  '@type': PolicyType;
  profile?: string | string[];
  target?: string;
  assigner?: string;
  assignee?: string;
  /** DSP: the xsd:dateTime at which an Agreement was concluded. */
  timestamp?: string;
  permission?: Permission[];
  prohibition?: Prohibition[];
  obligation?: Duty[];
}

/** Strips the ODRL namespace or the `odrl:` prefix so `odrl:use`, `use` and the full IRI compare equal. */
export function odrlTerm(value: string): string {
  if (value.startsWith(ODRL_NS)) return value.slice(ODRL_NS.length);
  if (value.startsWith('odrl:')) return value.slice(5);
  return value;
}

export function isLogicalConstraint(c: Constraint): c is LogicalConstraint {
  return 'and' in c || 'or' in c || 'xone' in c || 'andSequence' in c;
}

export function isOperator(value: string): value is Operator {
  return (OPERATORS as readonly string[]).includes(value);
}

/**
 * The actions of the ODRL 2.2 vocabulary that are `odrl:includedIn` another (ODRL22.ttl), plus the
 * deprecated `write`/`writeTo`, which the vocabulary declares `skos:exactMatch odrl:modify`.
 * `use` and `transfer` are the two roots: third-party transfers (sell, give) are not a use.
 */
const INCLUDED_IN: Record<string, string> = {
  display: 'play',
  extract: 'reproduce',
  give: 'transfer',
  sell: 'transfer',
  write: 'modify',
  writeTo: 'modify',
};
for (const action of [
  'grantUse',
  'compensate',
  'acceptTracking',
  'aggregate',
  'annotate',
  'anonymize',
  'archive',
  'attribute',
  'concurrentUse',
  'delete',
  'derive',
  'digitize',
  'distribute',
  'ensureExclusivity',
  'execute',
  'include',
  'index',
  'inform',
  'install',
  'modify',
  'move',
  'nextPolicy',
  'obtainConsent',
  'play',
  'present',
  'print',
  'read',
  'reproduce',
  'reviewPolicy',
  'stream',
  'synchronize',
  'textToSpeech',
  'transform',
  'translate',
  'uninstall',
  'watermark',
]) {
  INCLUDED_IN[action] = 'use';
}

/**
 * Whether exercising `requested` is an exercise of `granted` (ODRL 2.2 §2.4: includedIn is
 * transitive, so a permission to `use` covers `read`, but not `sell`).
 *
 * @example actionIncludes('use', 'odrl:read') // true
 */
export function actionIncludes(granted: string, requested: string): boolean {
  const g = odrlTerm(granted);
  let a: string | undefined = odrlTerm(requested);
  const seen = new Set<string>();
  while (a !== undefined && !seen.has(a)) {
    if (a === g) return true;
    seen.add(a);
    a = INCLUDED_IN[a];
  }
  return false;
}
