/**
 * Values of one attribute at one instant across many entities, for the time slider: district
 * statistics by year, traffic counts by hour.
 */
import type { Series } from '../api/ngsi-client.ts';
import type { TwinFeature } from './features.ts';

/** Every instant in the histories, ascending, each once. */
export function instants(histories: Map<string, Series>): number[] {
  const set = new Set<number>();
  for (const s of histories.values()) for (const t of s.times) set.add(t);
  return [...set].sort((a, b) => a - b);
}

/** entity id -> value observed exactly at `time` (seconds). */
export function valuesAt(histories: Map<string, Series>, time: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, s] of histories) {
    const i = s.times.indexOf(time);
    if (i >= 0) out.set(id, s.values[i]);
  }
  return out;
}

/**
 * The instant to show first: the latest one at which nearly as many entities have a value as at
 * the best covered instant. Counters report on different days, so the very last hour often has
 * few of them; an hour where most report shows the network.
 */
export function bestInstant(histories: Map<string, Series>, times: number[], share = 0.9): number {
  if (times.length === 0) return 0;
  const coverage = new Map<number, number>();
  for (const s of histories.values()) for (const t of s.times) coverage.set(t, (coverage.get(t) ?? 0) + 1);
  let max = 0;
  for (const c of coverage.values()) max = Math.max(max, c);
  for (let i = times.length - 1; i >= 0; i--) if ((coverage.get(times[i]) ?? 0) >= share * max) return i;
  return times.length - 1;
}

/** The latest instant of any history, in seconds; undefined when all are empty. */
export function latestInstant(histories: Map<string, Series>): number | undefined {
  let latest: number | undefined;
  for (const s of histories.values()) {
    const t = s.times[s.times.length - 1];
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}

export function allValues(histories: Map<string, Series>, ids?: Set<string>): number[] {
  const out: number[] = [];
  for (const [id, s] of histories) if (!ids || ids.has(id)) out.push(...s.values);
  return out;
}

/** Numeric properties shared by the features: the statistics a choropleth can show. */
export function numericProperties(features: TwinFeature[]): string[] {
  const counts = new Map<string, number>();
  for (const f of features) {
    for (const [k, v] of Object.entries(f.properties)) {
      if (k.startsWith('_') || typeof v !== 'number') continue;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  return [...counts.keys()].sort();
}

/** Copies of the features with VALUE set from `values` (absent where there is no value). */
export function withValues(features: TwinFeature[], values: Map<string, number>, key: string): TwinFeature[] {
  return features.map((f) => {
    const v = values.get(String(f.properties.id));
    const properties = { ...f.properties };
    if (v === undefined) delete properties[key];
    else properties[key] = v;
    return { ...f, properties };
  });
}
