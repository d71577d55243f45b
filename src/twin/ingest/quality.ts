/**
 * Quality checks on the way in: schema (the type's Smart Data Models schema), ranges of numeric
 * attributes, and timeliness of observations. A check returns the reason for rejecting an
 * entity, or undefined when it passes.
 */
import { type SmartDataModelValidator, toKeyValues } from '../cities/index.ts';

export interface QualityRules {
  /** validate against the type's Smart Data Models schema */
  schema?: SmartDataModelValidator;
  /** attribute name -> [min, max] for numeric values */
  ranges?: Record<string, [number, number]>;
  /** observations older than this many seconds are stale */
  maxAgeSeconds?: number;
  /** observations later than now plus this many seconds are impossible (clock skew allowance) */
  futureToleranceSeconds?: number;
}

/** The reason to reject a normalized entity, or undefined. */
export function checkEntity(
  entity: Record<string, unknown>,
  rules: QualityRules,
  nowMs: number,
): string | undefined {
  for (const [name, raw] of Object.entries(entity)) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const attr = raw as { value?: unknown; observedAt?: unknown };
    const range = rules.ranges?.[name];
    if (range && typeof attr.value === 'number' && (attr.value < range[0] || attr.value > range[1])) {
      return `${name} = ${attr.value} is outside the plausible range [${range[0]}, ${range[1]}]`;
    }
    if (typeof attr.observedAt === 'string') {
      const t = Date.parse(attr.observedAt);
      if (Number.isNaN(t)) return `${name}.observedAt '${attr.observedAt}' is not a date-time`;
      const future = (rules.futureToleranceSeconds ?? 300) * 1000;
      if (t > nowMs + future) return `${name}.observedAt ${attr.observedAt} lies in the future`;
      if (rules.maxAgeSeconds !== undefined && t < nowMs - rules.maxAgeSeconds * 1000) {
        return `${name}.observedAt ${attr.observedAt} is older than ${rules.maxAgeSeconds} s`;
      }
    }
  }
  if (rules.schema) {
    const problem = rules.schema.validate(toKeyValues(entity as never) as Record<string, unknown>);
    if (problem) return `schema ${problem.type}: ${problem.errors.slice(0, 3).join('; ')}`;
  }
  return undefined;
}
