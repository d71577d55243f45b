/**
 * Real city instances and a headless Chromium for the web app's browser tests and benchmark.
 * The seeded stores are kept under test-output/web/twins, so only the first run seeds (delete the
 * folder to seed again). Both cities together run on copies in test-output/web/run whose
 * data-space state is emptied: a participant's DID names its port, and ports change between runs.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = resolve(import.meta.dirname, '../..');
export const OUTPUT = join(ROOT, 'test-output/web');

export function chromiumMissing(): string | false {
  return existsSync(CHROMIUM)
    ? false
    : `${CHROMIUM} is absent (apt-get install -y chromium); browser tests skipped`;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** Builds web/dist with Vite (a few seconds); the instances serve it at /. */
export function buildWebApp(): void {
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface Twin {
  city: string;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `twinbox serve --city` and waits until /twinbox/v1/instance answers (seeding included). */
export async function startTwin(
  city: string,
  port: number,
  peers: Record<string, number>,
  timeoutMs = 240_000,
  dataDir = join(OUTPUT, 'twins', city),
): Promise<Twin> {
  mkdirSync(dataDir, { recursive: true });
  const args = [
    join(ROOT, 'bin/twinbox.js'),
    'serve',
    '--city',
    city,
    '--port',
    String(port),
    '--data-dir',
    dataDir,
  ];
  for (const [name, p] of Object.entries(peers)) args.push('--peer', `${name}=http://127.0.0.1:${p}`);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TWINBOX_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`twinbox serve --city ${city} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/twinbox/v1/instance`);
      if (res.ok) break;
    } catch {
      // not listening yet: seeding runs before the server listens
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`twinbox serve --city ${city} did not answer within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    city,
    url,
    process: child,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/**
 * A run's copy of a city's seeded store with no data-space state (negotiations, agreements,
 * trust list, audit): the connector's tables are the ones named `ds_*`.
 */
function freshCopy(city: string): string {
  const from = join(OUTPUT, 'twins', city);
  const to = join(OUTPUT, 'run', city);
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const f of ['twin.sqlite', 'seeded.json']) copyFileSync(join(from, f), join(to, f));
  const db = new Database(join(to, 'twin.sqlite'));
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ds\\_%' ESCAPE '\\'")
    .all() as { name: string }[];
  for (const { name } of tables) db.prepare(`DELETE FROM "${name}"`).run();
  db.close();
  return to;
}

/** Leipzig and Bologna, each the other's peer, on free ports, with an empty data space. */
export async function startBothCities(): Promise<{ leipzig: Twin; bologna: Twin; stop(): Promise<void> }> {
  const cities = ['leipzig', 'bologna'] as const;
  if (cities.some((c) => !existsSync(join(OUTPUT, 'twins', c, 'seeded.json')))) {
    // first run: seed the kept stores once (both at a time, as peers: Bologna's authority is Leipzig)
    const [pl, pb] = [await freePort(), await freePort()];
    const seeding = await Promise.all([
      startTwin('leipzig', pl, { bologna: pb }),
      startTwin('bologna', pb, { leipzig: pl }),
    ]);
    await Promise.all(seeding.map((t) => t.stop()));
  }
  const [pl, pb] = [await freePort(), await freePort()];
  const [leipzig, bologna] = await Promise.all([
    startTwin('leipzig', pl, { bologna: pb }, undefined, freshCopy('leipzig')),
    startTwin('bologna', pb, { leipzig: pl }, undefined, freshCopy('bologna')),
  ]);
  return { leipzig, bologna, stop: async () => void (await Promise.all([leipzig.stop(), bologna.stop()])) };
}

/** Headless Debian Chromium with an empty profile; nothing is downloaded. */
export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'twinbox-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
