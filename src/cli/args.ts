/**
 * Argument parsing shared by the commands: node's parseArgs with the errors a user can act on
 * ("--horizon: expected a positive integer, got 'x'") instead of a stack trace.
 */
import { parseArgs } from 'node:util';

export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }
>;

export class UsageError extends Error {}

export function parseOptions(
  argv: string[],
  options: OptionSpec,
): Record<string, string | boolean | string[] | undefined> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values as Record<
      string,
      string | boolean | string[] | undefined
    >;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function requireString(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function positiveInt(value: unknown, name: string): number {
  const n = typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name}: expected a positive integer, got '${String(value)}'`);
  return n;
}

export function positiveNumber(value: unknown, name: string): number {
  const n = typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name}: expected a positive number, got '${String(value)}'`);
  return n;
}

/** Runs a command body, printing a UsageError or a user-facing error as one line (exit 2 / 1). */
export async function runCommand(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`twinbox ${name}: ${err.message}`);
      return 2;
    }
    if (err instanceof Error && (err as Error & { userFacing?: boolean }).userFacing) {
      console.error(`twinbox ${name}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
