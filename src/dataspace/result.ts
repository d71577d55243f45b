/**
 * Outcome of a dataspace operation that can fail for expected reasons: a refused transition, a
 * bad signature, an unknown participant. The reason is a sentence the HTTP layer can put in a DSP
 * error's `reason` or a ProblemDetails `detail` unchanged.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function refuse<T = never>(reason: string): Result<T> {
  return { ok: false, reason };
}
