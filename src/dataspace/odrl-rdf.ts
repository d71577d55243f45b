import { DataFactory, type Quad_Object, type Store, type Term } from 'n3';
import {
  type AtomicConstraint,
  type Constraint,
  type Duty,
  isOperator,
  ODRL_NS,
  odrlTerm,
  type Permission,
  type Policy,
  type PolicyType,
  type Prohibition,
  type RightOperandValue,
} from './odrl.ts';
import { ok, type Result, refuse } from './result.ts';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const odrl = (term: string) => ODRL_NS + term;

/**
 * Reads an ODRL policy out of an RDF graph (e.g. a Turtle policy parsed with n3), into the same
 * compacted form DSP messages carry. Named nodes keep their IRI as `@id` so reports can point at them.
 *
 * @example policyFromGraph(store, 'urn:uuid:4cbd8f38-348b-4b09-8e1a-04b47c97ad78')
 */
export function policyFromGraph(store: Store, policyIri: string): Result<Policy> {
  const types = objects(store, policyIri, `${RDF}type`).map((t) => odrlTerm(t.value));
  const type: PolicyType | undefined = types.includes('Agreement')
    ? 'Agreement'
    : types.includes('Offer')
      ? 'Offer'
      : types.some((t) => t === 'Set' || t === 'Policy' || t === 'Privacy' || t === 'Request')
        ? 'Set'
        : undefined;
  if (!type) return refuse(`${policyIri} is not an odrl:Set, odrl:Offer or odrl:Agreement`);
  const policy: Policy = { '@id': policyIri, '@type': type };
  for (const key of ['target', 'assigner', 'assignee'] as const) {
    const v = objects(store, policyIri, odrl(key))[0];
    if (v) policy[key] = v.value;
  }
  try {
    const permission = objects(store, policyIri, odrl('permission')).map((n) => readPermission(store, n));
    const prohibition = objects(store, policyIri, odrl('prohibition')).map((n) => readProhibition(store, n));
    const obligation = objects(store, policyIri, odrl('obligation')).map((n) => readDuty(store, n));
    if (permission.length) policy.permission = permission;
    if (prohibition.length) policy.prohibition = prohibition;
    if (obligation.length) policy.obligation = obligation;
  } catch (e) {
    return refuse(`${policyIri}: ${(e as Error).message}`);
  }
  return ok(policy);
}

function objects(store: Store, subject: string | Term, predicate: string): Quad_Object[] {
  const s = typeof subject === 'string' ? DataFactory.namedNode(subject) : subject;
  return store.getObjects(s, predicate, null) as Quad_Object[];
}

function idOf(node: Term): { '@id'?: string } {
  return node.termType === 'NamedNode' ? { '@id': node.value } : {};
}

function readRuleCore(store: Store, node: Term) {
  const action = objects(store, node, odrl('action'))[0];
  const rule: Permission = { ...idOf(node) };
  if (action) {
    // An action with refinements is a node whose rdf:value names the action (ODRL 2.2 §2.4).
    const name =
      action.termType === 'NamedNode' ? action.value : objects(store, action, `${RDF}value`)[0]?.value;
    if (!name) throw new Error(`rule ${node.value} has an action without a name`);
    rule.action = odrlTerm(name);
  }
  for (const key of ['target', 'assignee', 'assigner'] as const) {
    const v = objects(store, node, odrl(key))[0];
    if (v) rule[key] = v.value;
  }
  const constraint = objects(store, node, odrl('constraint')).map((c) => readConstraint(store, c));
  if (constraint.length) rule.constraint = constraint;
  return rule;
}

function readPermission(store: Store, node: Term): Permission {
  const rule = readRuleCore(store, node);
  const duty = objects(store, node, odrl('duty')).map((d) => readDuty(store, d));
  if (duty.length) rule.duty = duty;
  return rule;
}

function readProhibition(store: Store, node: Term): Prohibition {
  const rule: Prohibition = readRuleCore(store, node);
  const remedy = objects(store, node, odrl('remedy')).map((d) => readDuty(store, d));
  if (remedy.length) rule.remedy = remedy;
  return rule;
}

function readDuty(store: Store, node: Term): Duty {
  const { action, constraint } = readRuleCore(store, node);
  if (!action) throw new Error(`duty ${node.value} has no odrl:action`);
  const duty: Duty = { ...idOf(node), action };
  if (constraint) duty.constraint = constraint;
  return duty;
}

function readConstraint(store: Store, node: Term): Constraint {
  for (const op of ['and', 'or', 'xone', 'andSequence'] as const) {
    const members = objects(store, node, odrl(op)).flatMap((m) => listOrSelf(store, m));
    if (members.length) {
      const list = members.map((m) => readConstraint(store, m));
      return { ...idOf(node), [op]: list } as Constraint;
    }
  }
  const left = objects(store, node, odrl('leftOperand'))[0];
  const operator = objects(store, node, odrl('operator'))[0];
  const rights = objects(store, node, odrl('rightOperand'));
  if (!left || !operator || rights.length === 0) {
    throw new Error(`constraint ${node.value} needs leftOperand, operator and rightOperand`);
  }
  const op = odrlTerm(operator.value);
  if (!isOperator(op)) throw new Error(`constraint ${node.value} has unknown operator ${operator.value}`);
  const values = rights.flatMap((r) => listOrSelf(store, r)).map(rightOperand);
  const c: AtomicConstraint = {
    ...idOf(node),
    leftOperand: odrlTerm(left.value),
    operator: op,
    rightOperand: values.length === 1 ? values[0] : values,
  };
  return c;
}

function rightOperand(term: Term): RightOperandValue {
  if (term.termType === 'Literal') {
    const dt = (term as Term & { datatype: Term }).datatype.value;
    return dt === `${XSD}string` ? term.value : { '@value': term.value, '@type': dt };
  }
  return { '@id': term.value };
}

/** Members of an rdf:List (ODRL 2.2 §2.5.2: andSequence is ordered), or the node itself. */
function listOrSelf(store: Store, node: Term): Term[] {
  if (node.termType === 'NamedNode' && node.value === `${RDF}nil`) return [];
  const first = store.getObjects(node, `${RDF}first`, null)[0];
  if (!first) return [node];
  const rest = store.getObjects(node, `${RDF}rest`, null)[0];
  return [first, ...(rest ? listOrSelf(store, rest) : [])];
}
