/**
 * twinbox command line. Each command is a module `src/cli/<name>.ts` exporting `summary` and
 * `run(argv)`; the dispatcher loads only the one asked for, so `twinbox forecast` never pays for
 * starting the broker and a new command needs no registration here.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

const here = dirname(fileURLToPath(import.meta.url));
const NOT_COMMANDS = new Set(['main', 'args']);

function commandNames(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .filter((n) => !NOT_COMMANDS.has(n))
    .sort();
}

async function load(name: string): Promise<Command> {
  return (await import(join(here, `${name}.ts`))) as Command;
}

async function usage(): Promise<string> {
  const lines = ['usage: twinbox <command> [options]', '', 'commands:'];
  for (const name of commandNames()) lines.push(`  ${name.padEnd(10)} ${(await load(name)).summary}`);
  lines.push('', 'twinbox <command> --help shows the options of a command.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  if (!commandNames().includes(name)) {
    console.error(`twinbox: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  return (await load(name)).run(rest);
}

process.exitCode = await main(process.argv.slice(2));
