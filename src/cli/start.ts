/**
 * `twinbox start` (what `npm start` runs): the twin with its defaults, printing where it is.
 */
import { run as serve } from './serve.ts';

export const summary = 'start the twin with its defaults (what npm start runs)';

export async function run(argv: string[]): Promise<number> {
  return serve(argv);
}
