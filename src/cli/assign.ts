/**
 * `twinbox assign`: user-equilibrium traffic assignment of a TNTP network folder. Reading and
 * writing happen here; the solving is the pure engine of models/traffic.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALGORITHMS,
  type AlgorithmName,
  type AssignmentResult,
  assign,
  type CostFunction,
  type Network,
  parseTntpNet,
  parseTntpTrips,
} from '../models/traffic/index.ts';
import { parseOptions, positiveNumber, runCommand, UsageError } from './args.ts';

export const summary = 'user-equilibrium traffic assignment of a TNTP network (Algorithm B, Frank-Wolfe)';

const HELP = `usage: twinbox assign --network DIR [--gap 1e-6] [--max-seconds N] [--algorithm NAME] [--rigidity R] [--out FLOWS.csv]

  --network          folder with one *_net.tntp and one *_trips.tntp
  --gap              target relative gap (default 1e-6)
  --max-seconds      stop after this long even if the gap is not reached
  --algorithm        ${ALGORITHMS.join(' | ')} (default ${ALGORITHMS[0]})
  --rigidity         behavioural rigidity in (0, 1]: 1 = fixed demand (default); lower = elastic demand
  --cost-function    bpr | conical (default bpr)
  --toll-factor      generalized cost per toll unit (default: known network's value, else 0)
  --distance-factor  generalized cost per length unit (default: known network's value, else 0)
  --out              write from,to,flow,cost per link (cost = generalized cost at the flow)
  --quiet            no convergence log on stderr

Prints the convergence log on stderr and, last on stdout, one JSON line:
{"objective","relativeGap","tstt","iterations","seconds","zones","links",...}`;

/**
 * Generalized cost weights of TNTP networks that use them; the net files do not carry them, the
 * upstream READMEs of bstabler/TransportationNetworks state them (minutes per cent, per mile).
 */
const KNOWN_WEIGHTS: Record<string, { tollFactor: number; distanceFactor: number }> = {
  ChicagoSketch: { tollFactor: 0.02, distanceFactor: 0.04 },
  ChicagoRegional: { tollFactor: 0.1, distanceFactor: 0.25 },
};

/** Unreachable OD pairs listed one per line before the rest is counted. */
const MAX_LISTED = 50;

class InputError extends Error {
  readonly userFacing = true;
}

function findOne(dir: string, suffix: string): string {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new InputError(`${dir}: not a readable folder`);
  }
  const hits = names.filter((n) => n.endsWith(suffix)).sort();
  if (hits.length === 0) throw new InputError(`${dir}: no *${suffix} file`);
  if (hits.length > 1) throw new InputError(`${dir}: more than one *${suffix} file (${hits.join(', ')})`);
  return join(dir, hits[0]);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: ${(err as Error).message}`);
  }
}

function numberOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`--${name}: expected a non-negative number, got '${String(value)}'`);
  }
  return n;
}

export function flowsCsv(net: Network, r: AssignmentResult): string {
  const lines = ['from,to,flow,cost'];
  for (let a = 0; a < net.linkCount; a++) {
    lines.push(`${net.nodeId[net.from[a]]},${net.nodeId[net.to[a]]},${r.flow[a]},${r.cost[a]}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  return runCommand('assign', async () => {
    const v = parseOptions(argv, {
      network: { type: 'string' },
      gap: { type: 'string' },
      'max-seconds': { type: 'string' },
      algorithm: { type: 'string' },
      rigidity: { type: 'string' },
      'cost-function': { type: 'string' },
      'toll-factor': { type: 'string' },
      'distance-factor': { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    const dir = v.network;
    if (typeof dir !== 'string' || dir === '') throw new UsageError('--network is required');
    const gap = v.gap === undefined ? 1e-6 : numberOption(v.gap, 'gap');
    const maxSeconds =
      v['max-seconds'] === undefined ? undefined : positiveNumber(v['max-seconds'], 'max-seconds');
    const algorithm = (v.algorithm ?? ALGORITHMS[0]) as AlgorithmName;
    if (!ALGORITHMS.includes(algorithm)) {
      throw new UsageError(
        `--algorithm: expected one of ${ALGORITHMS.join(', ')}, got '${String(v.algorithm)}'`,
      );
    }
    const rigidity = v.rigidity === undefined ? 1 : Number(v.rigidity);
    if (!(rigidity > 0 && rigidity <= 1)) {
      throw new UsageError(`--rigidity: expected a number in (0, 1], got '${String(v.rigidity)}'`);
    }
    const costFunction = (v['cost-function'] ?? 'bpr') as CostFunction;
    if (costFunction !== 'bpr' && costFunction !== 'conical') {
      throw new UsageError(`--cost-function: expected bpr or conical, got '${String(costFunction)}'`);
    }

    const netPath = findOne(dir, '_net.tntp');
    const tripsPath = findOne(dir, '_trips.tntp');
    const prefix = netPath.slice(netPath.lastIndexOf('/') + 1, -'_net.tntp'.length);
    const known = KNOWN_WEIGHTS[prefix];
    const tollFactor = numberOption(v['toll-factor'], 'toll-factor') ?? known?.tollFactor ?? 0;
    const distanceFactor =
      numberOption(v['distance-factor'], 'distance-factor') ?? known?.distanceFactor ?? 0;
    if (known && v['toll-factor'] === undefined && v['distance-factor'] === undefined) {
      console.error(
        `${prefix}: generalized cost weights toll ${tollFactor}, distance ${distanceFactor} (upstream README)`,
      );
    }
    const { network, droppedDuplicates } = parseTntpNet(readText(netPath), {
      source: netPath,
      tollFactor,
      distanceFactor,
    });
    for (const line of droppedDuplicates)
      console.error(`${netPath}:${line}: duplicate link ignored (the first one is kept)`);
    const demand = parseTntpTrips(readText(tripsPath), { source: tripsPath, zoneCount: network.zoneCount });

    const quiet = v.quiet === true;
    const r = assign(network, demand, {
      algorithm,
      gap,
      maxSeconds,
      rigidity,
      costFunction,
      clock: () => performance.now(),
      onIteration: quiet
        ? undefined
        : (e) =>
            console.error(
              `iteration ${e.iteration} relative gap ${e.relativeGap.toExponential(3)} objective ${e.objective} ${(e.elapsedMs / 1000).toFixed(3)} s`,
            ),
    });
    if (r.unreachable.length > 0) {
      const trips = r.unreachable.reduce((s, u) => s + u.trips, 0);
      console.error(
        `${r.unreachable.length} OD pairs with ${trips} trips have no path and were not assigned:`,
      );
      for (const u of r.unreachable.slice(0, MAX_LISTED)) {
        console.error(`  ${network.nodeId[u.origin]} -> ${network.nodeId[u.destination]}: ${u.trips} trips`);
      }
      if (r.unreachable.length > MAX_LISTED)
        console.error(`  ... and ${r.unreachable.length - MAX_LISTED} more`);
    }
    if (!r.converged) console.error(`stopped before the target gap ${gap}: reached ${r.relativeGap}`);
    if (typeof v.out === 'string') {
      try {
        writeFileSync(v.out, flowsCsv(network, r));
      } catch (err) {
        throw new InputError(`${v.out}: ${(err as Error).message}`);
      }
    }
    const travelled = r.odFlow.reduce((s, q) => s + q, 0);
    console.log(
      JSON.stringify({
        objective: r.objective,
        relativeGap: r.relativeGap,
        tstt: r.tstt,
        iterations: r.iterations,
        seconds: r.seconds,
        zones: network.zoneCount,
        links: network.linkCount,
        algorithm: r.algorithm,
        converged: r.converged,
        unreachablePairs: r.unreachable.length,
        demand: demand.total,
        demandTravelled: travelled,
      }),
    );
    return 0;
  });
}
