/**
 * The load loop of the benchmarks: concurrent clients run one operation for a fixed time, closed
 * loop (each client sends its next request when the last is answered) or, with `rate`, open loop
 * (request k is due at start + k / rate, whether or not earlier ones have been answered).
 */

export interface DriveStats {
  ops: number;
  /** operations (times `unit`) per second */
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface DriveOptions {
  clients: number;
  seconds: number;
  /** one operation; `i` is its number; false or a throw counts as an error */
  op: (i: number) => Promise<boolean>;
  /** what one operation counts for in `perSecond` (entities of a batch); 1 */
  unit?: number;
  /** requests per second of an open-loop run; none: as fast as the server answers */
  rate?: number;
  /** operation numbers; a counter that goes on across runs keeps created ids apart */
  numbers?: () => number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export async function drive(o: DriveOptions): Promise<DriveStats> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  let local = 0;
  const numbers = o.numbers ?? (() => local++);
  const start = performance.now();
  const end = start + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: o.clients }, async () => {
      while (performance.now() < end) {
        const k = issued++;
        if (o.rate) {
          const wait = start + (k * 1000) / o.rate - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (performance.now() >= end) break;
        }
        const t0 = performance.now();
        const ok = await o.op(numbers()).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    ops: latencies.length,
    perSecond: (latencies.length * (o.unit ?? 1)) / elapsed,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    errors,
  };
}
