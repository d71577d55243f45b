/**
 * `twinbox start` (what `npm start` runs): the demo federation — the Leipzig and Bologna
 * instances as two processes with their own stores and ports, each serving the web app — and
 * the URLs to open. The web app is built first if it has not been.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runDataspaceDemo, WEB_DIST } from '../twin/index.ts';
import { parseOptions, runCommand } from './args.ts';

export const summary = 'start the demo: Leipzig and Bologna twins (ports 1026, 1027) with the web app';

const CITIES = [
  { id: 'leipzig', port: 1026 },
  { id: 'bologna', port: 1027 },
];

async function buildWeb(): Promise<void> {
  if (existsSync(join(WEB_DIST, 'index.html'))) return;
  const config = join(WEB_DIST, '..', 'vite.config.ts');
  if (!existsSync(config)) return;
  console.log('building the web app ...');
  const vite = await import('vite');
  await vite.build({ configFile: config, logLevel: 'warn' });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/twinbox/v1/instance`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not start within ${timeoutMs / 1000} s`);
}

export async function run(argv: string[]): Promise<number> {
  return runCommand('start', async () => {
    const v = parseOptions(argv, {
      help: { type: 'boolean', short: 'h' },
      'no-web': { type: 'boolean' },
      'no-dataspace': { type: 'boolean' },
    });
    if (v.help) {
      console.log(
        "usage: twinbox start [--no-web] [--no-dataspace]\n\nStarts the Leipzig (1026) and Bologna (1027) twins (data in .twinbox/<city>); Bologna then negotiates\naccess to Leipzig's EV charging stations through the data-space connector.",
      );
      return 0;
    }
    const t0 = performance.now();
    const web = v['no-web'] ? Promise.resolve() : buildWeb();
    const bin = join(WEB_DIST, '..', '..', 'bin', 'twinbox.js');
    const children = CITIES.map((c) => {
      const peers = CITIES.filter((p) => p.id !== c.id).flatMap((p) => [
        '--peer',
        `${p.id}=http://127.0.0.1:${p.port}`,
      ]);
      const child = spawn(
        process.execPath,
        [bin, 'serve', '--city', c.id, '--port', String(c.port), ...peers],
        {
          stdio: ['ignore', 'inherit', 'inherit'],
          env: { ...process.env, TWINBOX_LOG_LEVEL: process.env.TWINBOX_LOG_LEVEL ?? 'warn' },
        },
      );
      return { city: c, child, url: `http://127.0.0.1:${c.port}` };
    });
    const stop = () => {
      for (const c of children) c.child.kill('SIGTERM');
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await Promise.all([web, ...children.map((c) => waitReady(c.url, c.child, 120_000))]);
    } catch (err) {
      stop();
      throw Object.assign(err as Error, { userFacing: true });
    }
    console.log(`\ntwinbox demo ready in ${((performance.now() - t0) / 1000).toFixed(1)} s:`);
    if (!v['no-dataspace']) {
      // Bologna negotiates access to Leipzig's EV charging stations for "mobility planning"
      const [leipzig, bologna] = children;
      try {
        const report = await runDataspaceDemo({
          consumer: bologna.url,
          provider: leipzig.url,
          expiringOffer: 'trial',
          expiryWaitMs: 3500,
          log: (line: string) => console.log(`  dataspace: ${line}`),
        });
        console.log(
          `  dataspace: Bologna holds agreement ${report.agreementId} for Leipzig's EV charging stations`,
        );
      } catch (err) {
        console.log(`  dataspace: the demo negotiation failed: ${(err as Error).message}`);
      }
    }
    for (const c of children)
      console.log(`  ${c.city.id.padEnd(8)} ${c.url}/   (NGSI-LD API ${c.url}/ngsi-ld/v1)`);
    console.log('Ctrl-C stops both.');
    const codes = await Promise.all(
      children.map((c) => new Promise<number>((r) => c.child.once('exit', (code) => r(code ?? 0)))),
    );
    return codes.every((c) => c === 0) ? 0 : 1;
  });
}
