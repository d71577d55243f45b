import {
  type AtomicConstraint,
  actionIncludes,
  type Constraint,
  type Duty,
  isLogicalConstraint,
  odrlTerm,
  type Policy,
  type RightOperandValue,
  type Rule,
} from './odrl.ts';
import {
  addXsdDuration,
  type DutyState,
  type OdrlRequest,
  operandText,
  parseXsdDateTime,
  resolveLeftOperand,
  type Typed,
  typeRightOperand,
} from './odrl-operands.ts';

export interface ConstraintReport {
  /** The constraint's `@id`, or its path in the policy when it has none. */
  constraint: string;
  satisfied: boolean;
  /** Why, in words: "purpose eq 'mobility planning': request purpose is 'marketing'". */
  detail: string;
  /** Members of a logical constraint. */
  members?: ConstraintReport[];
}

export interface DutyReport {
  duty: string;
  action: string;
  state: DutyState;
  constraints: ConstraintReport[];
}

/** Which of a rule's premises (ODRL formal semantics: target, party, action) the request meets. */
export interface PremiseReport {
  target?: boolean;
  party?: boolean;
  action: boolean;
}

export interface RuleReport {
  rule: string;
  kind: 'permission' | 'prohibition';
  active: boolean;
  premises: PremiseReport;
  constraints: ConstraintReport[];
  duties: DutyReport[];
  /** Why the rule is inactive; absent when it is active. */
  reason?: string;
}

export interface Refusal {
  /** The rule that refused: an active prohibition, or the permission that came closest. */
  rule?: string;
  reason: string;
}

export interface Decision {
  permitted: boolean;
  rules: RuleReport[];
  refusal?: Refusal;
}

/**
 * Evaluates a request against an ODRL 2.2 policy: a rule is active when its target, party and
 * action match, every constraint is satisfied and (for a permission) no duty is violated; the
 * request is permitted when a permission is active and no prohibition is. A prohibition wins a
 * conflict (ODRL 2.2 §2.7.1: `prohibit`, and `invalid` voids the policy, so both refuse).
 *
 * @example
 * evaluatePolicy(offer, { assignee: 'did:web:bologna.example', action: 'use',
 *   target: 'urn:dataset:ev-charging', purpose: 'mobility-planning', now: '2025-05-01T10:00:00Z' })
 * // { permitted: true, rules: [...] }
 */
export function evaluatePolicy(policy: Policy, req: OdrlRequest): Decision {
  const rules: RuleReport[] = [];
  (policy.permission ?? []).forEach((rule, i) => {
    const id = rule['@id'] ?? `${policy['@id']}#permission/${i}`;
    rules.push(evaluateRule(policy, rule, 'permission', id, rule.duty ?? [], req));
  });
  (policy.prohibition ?? []).forEach((rule, i) => {
    const id = rule['@id'] ?? `${policy['@id']}#prohibition/${i}`;
    rules.push(evaluateRule(policy, rule, 'prohibition', id, [], req));
  });

  const prohibition = rules.find((r) => r.kind === 'prohibition' && r.active);
  if (prohibition) {
    return {
      permitted: false,
      rules,
      refusal: {
        rule: prohibition.rule,
        reason: `prohibition ${prohibition.rule} forbids ${odrlTerm(req.action)} on ${req.target}`,
      },
    };
  }
  if (rules.some((r) => r.kind === 'permission' && r.active)) return { permitted: true, rules };

  const permissions = rules.filter((r) => r.kind === 'permission');
  const closest = permissions.find((r) => premisesMet(r.premises)) ?? permissions[0];
  if (!closest) {
    return { permitted: false, rules, refusal: { reason: `policy ${policy['@id']} has no permission` } };
  }
  return {
    permitted: false,
    rules,
    refusal: { rule: closest.rule, reason: `permission ${closest.rule}: ${closest.reason}` },
  };
}

function premisesMet(p: PremiseReport): boolean {
  return p.action && p.target !== false && p.party !== false;
}

function evaluateRule(
  policy: Policy,
  rule: Rule,
  kind: RuleReport['kind'],
  id: string,
  duties: Duty[],
  req: OdrlRequest,
): RuleReport {
  // ODRL 2.2 §2.7: policy-level target and parties apply to every rule that does not name its own.
  const target = rule.target ?? policy.target;
  const assignee = rule.assignee ?? policy.assignee;
  const premises: PremiseReport = {
    action: rule.action === undefined || actionIncludes(rule.action, req.action),
  };
  if (target !== undefined) premises.target = isMemberOf(req.target, target, req);
  if (assignee !== undefined) premises.party = isMemberOf(req.assignee, assignee, req);

  const constraints = (rule.constraint ?? []).map((c, i) =>
    evaluateConstraint(c, `${id}/constraint/${i}`, req),
  );
  const dutyReports = duties.map((d, i): DutyReport => {
    const dutyId = d['@id'] ?? `${id}/duty/${i}`;
    return {
      duty: dutyId,
      action: odrlTerm(d.action),
      state: req.duties?.[dutyId] ?? 'NonSet',
      constraints: (d.constraint ?? []).map((c, j) =>
        evaluateConstraint(c, `${dutyId}/constraint/${j}`, req),
      ),
    };
  });

  let reason: string | undefined;
  if (!premises.action)
    reason = `action ${odrlTerm(rule.action ?? '')} does not include ${odrlTerm(req.action)}`;
  else if (premises.target === false) reason = `target ${target} does not cover ${req.target}`;
  else if (premises.party === false) reason = `assignee ${assignee} does not include ${req.assignee}`;
  else {
    const failed = constraints.find((c) => !c.satisfied);
    if (failed) reason = `constraint not satisfied: ${failed.detail}`;
    else {
      const violated = dutyReports.find((d) => d.state === 'Violated');
      if (violated) reason = `duty ${violated.duty} (${violated.action}) is violated`;
    }
  }
  const report: RuleReport = {
    rule: id,
    kind,
    active: reason === undefined,
    premises,
    constraints,
    duties: dutyReports,
  };
  if (reason !== undefined) report.reason = reason;
  return report;
}

/** Equal, or a member of the collection through `partOf` (ODRL 2.2 §2.1.1, §2.3.1), transitively. */
function isMemberOf(member: string, collection: string, req: OdrlRequest): boolean {
  const seen = new Set<string>();
  const queue = [member];
  while (queue.length > 0) {
    const m = queue.pop()!;
    if (m === collection) return true;
    if (seen.has(m)) continue;
    seen.add(m);
    queue.push(...(req.partOf?.[m] ?? []));
  }
  return false;
}

/**
 * Evaluates one constraint; every member of a logical constraint is evaluated so the report is
 * complete. `andSequence` is read as `and`: this evaluator sees one instant, not the order of steps.
 */
export function evaluateConstraint(c: Constraint, path: string, req: OdrlRequest): ConstraintReport {
  const id = c['@id'] ?? path;
  if (isLogicalConstraint(c)) {
    const [op, list] = Object.entries(c).find(([k]) => k !== '@id') as [string, Constraint[]];
    const members = list.map((m, i) => evaluateConstraint(m, `${id}/${op}/${i}`, req));
    const n = members.filter((m) => m.satisfied).length;
    const satisfied = op === 'or' ? n > 0 : op === 'xone' ? n === 1 : n === members.length;
    const failed = members.filter((m) => !m.satisfied).map((m) => m.detail);
    const detail = satisfied
      ? `${op}: satisfied (${n} of ${members.length})`
      : op === 'xone' && n > 1
        ? `xone: ${n} of ${members.length} members are satisfied, exactly one must be`
        : `${op}: ${failed.join('; ')}`;
    return { constraint: id, satisfied, detail, members };
  }
  return evaluateAtomic(c, id, req);
}

function describe(c: AtomicConstraint): string {
  const r = Array.isArray(c.rightOperand) ? c.rightOperand : [c.rightOperand];
  const right = r.map((v) => `'${operandText(v)}'`).join(', ');
  return `${odrlTerm(c.leftOperand)} ${c.operator} ${r.length > 1 ? `[${right}]` : right}`;
}

function evaluateAtomic(c: AtomicConstraint, id: string, req: OdrlRequest): ConstraintReport {
  const left = odrlTerm(c.leftOperand);
  const rights: RightOperandValue[] = Array.isArray(c.rightOperand) ? c.rightOperand : [c.rightOperand];
  const head = describe(c);
  const result = (satisfied: boolean, why: string): ConstraintReport => ({
    constraint: id,
    satisfied,
    detail: `${head}: ${why}`,
  });

  if (left === 'elapsedTime') return elapsedTime(c, rights, req, result);
  if (left === 'spatialCoordinates') return spatialCoordinates(c, rights, req, result);

  const resolved = resolveLeftOperand(c, req);
  if ('missing' in resolved) return result(false, resolved.missing);
  const values = resolved.values;
  const typedRights = rights.map((r) => typeRightOperand(left, r));
  const shown = values.length === 0 ? 'none' : values.map((v) => `'${v.text}'`).join(', ');
  const said = `request ${left} is ${shown}`;
  const member = (v: Typed, r: Typed) => same(v, r) || isMemberOf(v.text, r.text, req);

  switch (c.operator) {
    case 'eq':
      return result(
        values.some((v) => typedRights.some((r) => same(v, r))),
        said,
      );
    case 'neq':
      return result(!values.some((v) => typedRights.some((r) => same(v, r))), said);
    case 'lt':
    case 'lteq':
    case 'term-lteq':
    case 'gt':
    case 'gteq': {
      const r = typedRights[0];
      const cmp = values.map((v) => order(v, r));
      if (values.length === 0 || cmp.some((x) => x === undefined)) {
        return result(false, `${said}, which cannot be ordered against the right operand`);
      }
      const op = c.operator === 'term-lteq' ? 'lteq' : c.operator;
      const ok = (cmp as number[]).every((x) =>
        op === 'lt' ? x < 0 : op === 'lteq' ? x <= 0 : op === 'gt' ? x > 0 : x >= 0,
      );
      return result(ok, said);
    }
    case 'isAnyOf':
      return result(
        values.some((v) => typedRights.some((r) => same(v, r))),
        said,
      );
    case 'isAllOf':
      return result(
        typedRights.every((r) => values.some((v) => same(v, r))),
        said,
      );
    case 'isNoneOf':
      return result(!values.some((v) => typedRights.some((r) => same(v, r))), said);
    case 'isA':
    case 'isPartOf':
      return result(
        values.some((v) => typedRights.some((r) => member(v, r))),
        said,
      );
    case 'hasPart':
      return result(
        typedRights.every((r) => values.some((v) => member(r, v))),
        said,
      );
  }
}

function same(a: Typed, b: Typed): boolean {
  const o = order(a, b);
  return o === undefined ? a.text === b.text : o === 0;
}

function order(a: Typed, b: Typed): number | undefined {
  if (a.kind === 'time' && b.kind === 'time') return Math.sign(a.ms - b.ms);
  if (a.kind === 'number' && b.kind === 'number') return Math.sign(a.n - b.n);
  if (a.kind === 'number' && b.kind === 'term' && b.text !== '' && Number.isFinite(Number(b.text))) {
    return Math.sign(a.n - Number(b.text));
  }
  return undefined;
}

type Result = (satisfied: boolean, why: string) => ConstraintReport;

/** ODRL 2.2 vocabulary `elapsedTime`: time since first use, against an xsd:duration. */
function elapsedTime(c: AtomicConstraint, rights: RightOperandValue[], req: OdrlRequest, result: Result) {
  const now = parseXsdDateTime(req.now);
  const first = req.firstUseAt === undefined ? now : parseXsdDateTime(req.firstUseAt);
  if (now === undefined || first === undefined) return result(false, 'request times are not xsd:dateTime');
  const deadline = addXsdDuration(first, operandText(rights[0]));
  if (deadline === undefined) return result(false, `'${operandText(rights[0])}' is not an xsd:duration`);
  const cmp = Math.sign(now - deadline);
  const ops: Record<string, boolean> = {
    lt: cmp < 0,
    lteq: cmp <= 0,
    gt: cmp > 0,
    gteq: cmp >= 0,
    eq: cmp === 0,
    neq: cmp !== 0,
  };
  const ok = ops[c.operator];
  if (ok === undefined) return result(false, `operator ${c.operator} does not apply to a duration`);
  return result(ok, `first use ${req.firstUseAt ?? 'now'}, request at ${req.now}`);
}

/**
 * `spatialCoordinates` against a GeoJSON Polygon or MultiPolygon right operand (as JSON text):
 * `isPartOf`/`isA`/`eq` hold when the request position lies inside (even-odd rule, RFC 7946 rings).
 */
function spatialCoordinates(
  c: AtomicConstraint,
  rights: RightOperandValue[],
  req: OdrlRequest,
  result: Result,
) {
  if (!req.position) return result(false, 'the request states no position');
  const [x, y] = req.position;
  let inside = false;
  for (const right of rights) {
    let geometry: { type?: string; coordinates?: unknown };
    try {
      geometry = JSON.parse(operandText(right)) as typeof geometry;
    } catch {
      return result(false, 'right operand is not GeoJSON');
    }
    const polygons =
      geometry.type === 'Polygon'
        ? [geometry.coordinates as number[][][]]
        : geometry.type === 'MultiPolygon'
          ? (geometry.coordinates as number[][][][])
          : undefined;
    if (!polygons) return result(false, 'right operand is not a GeoJSON Polygon or MultiPolygon');
    if (polygons.some((rings) => inPolygon(x, y, rings))) inside = true;
  }
  const where = `position [${x}, ${y}] is ${inside ? 'inside' : 'outside'}`;
  if (c.operator === 'isPartOf' || c.operator === 'isA' || c.operator === 'eq') return result(inside, where);
  if (c.operator === 'neq' || c.operator === 'isNoneOf') return result(!inside, where);
  return result(false, `operator ${c.operator} does not apply to coordinates`);
}

function inPolygon(x: number, y: number, rings: number[][][]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
