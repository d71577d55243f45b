/**
 * Time to relative gap 1e-4, 1e-6 and 1e-10 on the TNTP networks, Algorithm B against the
 * conjugate Frank-Wolfe reference, with peak memory. Each (network, algorithm) runs in its own
 * child process so that its peak resident set is its own. Baseline to beat: tap-b (Algorithm B
 * in C, single thread) on this kind of machine, ChicagoSketch 0.81 s / 1.59 s and Berlin-Center
 * 38 s / 73 s to 1e-6 / 1e-10.
 *
 *   npm run bench:traffic                       all networks found in ../shared/data/tntp
 *   npm run bench:traffic -- ChicagoSketch      only the named ones
 *   TRAFFIC_BENCH_FW_SECONDS=30 npm run bench:traffic    Frank-Wolfe time budget per network
 *   TRAFFIC_BENCH_ALGORITHMS=algorithm-b npm run bench:traffic    one algorithm only
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type AlgorithmName, assign, parseTntpNet, parseTntpTrips } from '../../src/models/traffic/index.ts';

interface NetworkCase {
  name: string;
  dir: string;
  prefix: string;
  tollFactor: number;
  distanceFactor: number;
  /** Best-known Beckmann objective, for the error column. */
  best: number;
}

const DATA = '../shared/data/tntp';
const NETWORKS: NetworkCase[] = [
  {
    name: 'SiouxFalls',
    dir: `${DATA}/SiouxFalls`,
    prefix: 'SiouxFalls',
    tollFactor: 0,
    distanceFactor: 0,
    best: 4231335.28710744,
  },
  {
    name: 'Anaheim',
    dir: `${DATA}/Anaheim`,
    prefix: 'Anaheim',
    tollFactor: 0,
    distanceFactor: 0,
    best: 1286032.171096,
  },
  {
    name: 'ChicagoSketch',
    dir: `${DATA}/ChicagoSketch`,
    prefix: 'ChicagoSketch',
    tollFactor: 0.02,
    distanceFactor: 0.04,
    best: 17313018.7387477,
  },
  {
    name: 'Berlin-Center',
    dir: `${DATA}/Berlin-Center`,
    prefix: 'berlin-center',
    tollFactor: 0,
    distanceFactor: 0,
    best: 20817218.4432,
  },
];
const TARGETS = [1e-4, 1e-6, 1e-10];

interface CaseResult {
  network: string;
  algorithm: AlgorithmName;
  parseS: number;
  reachedS: (number | null)[];
  /** Process CPU seconds at the same points: on a shared machine the truer measure. */
  reachedCpuS: (number | null)[];
  iterations: number;
  gap: number;
  objective: number;
  best: number;
  cpuS: number;
  maxRssMb: number;
}

function runCase(c: NetworkCase, algorithm: AlgorithmName, maxSeconds: number): CaseResult {
  const t0 = performance.now();
  const { network } = parseTntpNet(readFileSync(`${c.dir}/${c.prefix}_net.tntp`, 'utf8'), {
    tollFactor: c.tollFactor,
    distanceFactor: c.distanceFactor,
  });
  const demand = parseTntpTrips(readFileSync(`${c.dir}/${c.prefix}_trips.tntp`, 'utf8'), {
    zoneCount: network.zoneCount,
  });
  const parseS = (performance.now() - t0) / 1000;
  const reachedS: (number | null)[] = TARGETS.map(() => null);
  const reachedCpuS: (number | null)[] = TARGETS.map(() => null);
  const cpu0 = process.cpuUsage();
  const cpuSince = () => {
    const u = process.cpuUsage(cpu0);
    return (u.user + u.system) / 1e6;
  };
  const r = assign(network, demand, {
    algorithm,
    gap: TARGETS[TARGETS.length - 1],
    maxSeconds,
    clock: () => performance.now(),
    onIteration: (e) => {
      TARGETS.forEach((g, i) => {
        if (reachedS[i] === null && e.relativeGap <= g) {
          reachedS[i] = e.elapsedMs / 1000;
          reachedCpuS[i] = cpuSince();
        }
      });
    },
  });
  const cpu = process.cpuUsage(cpu0);
  return {
    network: c.name,
    algorithm,
    parseS,
    reachedS,
    reachedCpuS,
    iterations: r.iterations,
    gap: r.relativeGap,
    objective: r.objective,
    best: c.best,
    cpuS: (cpu.user + cpu.system) / 1e6,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function child(args: string[]): void {
  const [name, algorithm, seconds] = args;
  const c = NETWORKS.find((n) => n.name === name);
  if (!c) throw new Error(`unknown network ${name}`);
  console.log(JSON.stringify(runCase(c, algorithm as AlgorithmName, Number(seconds))));
}

function fmt(s: number | null): string {
  return s === null ? '—' : s < 10 ? s.toFixed(3) : s.toFixed(1);
}

function main(filters: string[]): void {
  const fwSeconds = Number(process.env.TRAFFIC_BENCH_FW_SECONDS ?? 60);
  const abSeconds = Number(process.env.TRAFFIC_BENCH_B_SECONDS ?? 300);
  const cpu = cpus();
  console.log(
    `CPU ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores, Node ${process.version}, single thread`,
  );
  console.log(
    `Frank-Wolfe stops after ${fwSeconds} s, Algorithm B after ${abSeconds} s; times from the start of assign, wall clock / process CPU`,
  );
  const rows: string[][] = [];
  for (const c of NETWORKS) {
    if (filters.length > 0 && !filters.includes(c.name)) continue;
    if (!existsSync(`${c.dir}/${c.prefix}_net.tntp`)) {
      console.log(`skip ${c.name}: ${c.dir} not present`);
      continue;
    }
    const algorithms = (process.env.TRAFFIC_BENCH_ALGORITHMS ?? 'algorithm-b,frank-wolfe').split(
      ',',
    ) as AlgorithmName[];
    for (const algorithm of algorithms) {
      const seconds = algorithm === 'frank-wolfe' ? fwSeconds : abSeconds;
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', c.name, algorithm, String(seconds)],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      if (r.status !== 0) {
        console.log(`${c.name} ${algorithm} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
        continue;
      }
      const res = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as CaseResult;
      rows.push([
        res.network,
        res.algorithm,
        ...res.reachedS.map((w, i) => `${fmt(w)} / ${fmt(res.reachedCpuS[i])}`),
        String(res.iterations),
        res.gap.toExponential(2),
        res.objective.toFixed(4),
        (Math.abs(res.objective - res.best) / res.best).toExponential(1),
        res.cpuS.toFixed(2),
        res.maxRssMb.toFixed(0),
        res.parseS.toFixed(2),
      ]);
      console.error(`done ${res.network} ${res.algorithm}`);
    }
  }
  printTable(rows);
}

function printTable(rows: string[][]): void {
  const head = [
    'network',
    'algorithm',
    'to 1e-4 wall/cpu s',
    'to 1e-6 wall/cpu s',
    'to 1e-10 wall/cpu s',
    'iter',
    'final gap',
    'objective',
    'rel. err',
    'cpu s',
    'peak MB',
    'parse s',
  ];
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((x, i) => x.padEnd(w[i])).join(' | ')} |`;
  console.log('');
  console.log(line(head));
  console.log(`|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

const argv = process.argv.slice(2);
if (argv[0] === '--case') child(argv.slice(1));
else main(argv);
