/**
 * Readers of the TNTP text formats ("Transportation Networks for Research",
 * bstabler/TransportationNetworks): `_net`, `_trips`, `_node` and `_flow` files. Strings in,
 * typed arrays out; the caller reads the files and names them for error messages.
 *
 * Grammar (net): metadata lines `<KEY> value` up to `<END OF METADATA>`, then one link per line,
 * `init term capacity length fft b power speed toll type ;`, comments start with `~`.
 * Trips: metadata, then blocks `Origin o` followed by `d : q;` entries.
 */
import { buildDemand, buildNetwork, type Demand, type Network, NetworkFormatError } from './network.ts';

export interface TntpNetOptions {
  /** File name for error messages. */
  source?: string;
  /** Generalized cost weights (time per toll unit, time per length unit); TNTP files do not carry them. */
  tollFactor?: number;
  distanceFactor?: number;
  /**
   * What to do with a second link between the same two nodes: `first` keeps the first one (the
   * Berlin networks' README asks for that), `keep` keeps parallel links, `error` rejects the file.
   */
  duplicateLinks?: 'first' | 'keep' | 'error';
}

export interface TntpNet {
  network: Network;
  /** File line of each dropped duplicate link. */
  droppedDuplicates: number[];
}

interface Metadata {
  values: Map<string, string>;
  /** Index of the first line after `<END OF METADATA>`. */
  body: number;
}

function readMetadata(lines: string[], source: string): Metadata {
  const values = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('~')) continue;
    const m = /^<([^>]+)>\s*(.*)$/.exec(line);
    if (!m)
      throw new NetworkFormatError(source, i + 1, `expected a <KEY> metadata line or <END OF METADATA>`);
    const key = m[1].trim().toUpperCase();
    if (key === 'END OF METADATA') return { values, body: i + 1 };
    values.set(key, m[2].trim());
  }
  throw new NetworkFormatError(source, lines.length, 'no <END OF METADATA>');
}

function metaInt(meta: Metadata, key: string, source: string, required: boolean): number {
  const v = meta.values.get(key);
  if (v === undefined) {
    if (required) throw new NetworkFormatError(source, 0, `missing <${key}>`);
    return Number.NaN;
  }
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new NetworkFormatError(source, 0, `<${key}> is not an integer: '${v}'`);
  return n;
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * Parses a TNTP `_net` file.
 *
 * @example
 * const { network } = parseTntpNet(text, { source: 'ChicagoSketch_net.tntp', tollFactor: 0.02, distanceFactor: 0.04 });
 */
export function parseTntpNet(text: string, options: TntpNetOptions = {}): TntpNet {
  const source = options.source ?? 'net';
  const lines = splitLines(text);
  const meta = readMetadata(lines, source);
  const zoneCount = metaInt(meta, 'NUMBER OF ZONES', source, true);
  const nodeCount = metaInt(meta, 'NUMBER OF NODES', source, true);
  const declaredLinks = metaInt(meta, 'NUMBER OF LINKS', source, true);
  let firstThru = metaInt(meta, 'FIRST THRU NODE', source, false);
  // Without the key every node carries through traffic (FIRST THRU NODE = 1).
  if (Number.isNaN(firstThru)) firstThru = 1;
  if (firstThru < 1 || firstThru > zoneCount + 1) {
    throw new NetworkFormatError(source, 0, `<FIRST THRU NODE> ${firstThru} outside 1..${zoneCount + 1}`);
  }
  const dupPolicy = options.duplicateLinks ?? 'first';
  const cols = 10;
  const raw: number[] = [];
  const rawLine: number[] = [];
  const seen = new Map<number, number>();
  const dropped: number[] = [];
  for (let i = meta.body; i < lines.length; i++) {
    let line = lines[i];
    const tilde = line.indexOf('~');
    if (tilde >= 0) line = line.slice(0, tilde);
    const semi = line.indexOf(';');
    if (semi >= 0) line = line.slice(0, semi);
    line = line.trim();
    if (line === '') continue;
    const parts = line.split(/\s+/);
    if (parts.length < 7) {
      throw new NetworkFormatError(
        source,
        i + 1,
        `expected at least 7 columns (init term capacity length fft b power), got ${parts.length}`,
      );
    }
    const v = new Array<number>(cols).fill(0);
    for (let c = 0; c < cols && c < parts.length; c++) {
      const x = Number(parts[c]);
      if (!Number.isFinite(x))
        throw new NetworkFormatError(source, i + 1, `column ${c + 1} is not a number: '${parts[c]}'`);
      v[c] = x;
    }
    const [from, to] = v;
    if (
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < 1 ||
      to < 1 ||
      from > nodeCount ||
      to > nodeCount
    ) {
      throw new NetworkFormatError(
        source,
        i + 1,
        `link ${from} -> ${to} names a node outside 1..${nodeCount}`,
      );
    }
    if (from === to) throw new NetworkFormatError(source, i + 1, `link ${from} -> ${to} is a loop`);
    if (v[2] < 0 || v[3] < 0 || v[4] < 0 || v[5] < 0 || v[6] < 0) {
      throw new NetworkFormatError(source, i + 1, 'negative capacity, length, free-flow time, b or power');
    }
    if (v[2] === 0 && v[5] !== 0)
      throw new NetworkFormatError(source, i + 1, 'zero capacity on a congestible link');
    const key = from * (nodeCount + 1) + to;
    const prev = seen.get(key);
    if (prev !== undefined) {
      if (dupPolicy === 'error') {
        throw new NetworkFormatError(
          source,
          i + 1,
          `duplicate link ${from} -> ${to} (first at line ${prev})`,
        );
      }
      if (dupPolicy === 'first') {
        dropped.push(i + 1);
        continue;
      }
    } else {
      seen.set(key, i + 1);
    }
    for (const x of v) raw.push(x);
    rawLine.push(i + 1);
  }
  const m = rawLine.length;
  if (m + dropped.length !== declaredLinks) {
    throw new NetworkFormatError(
      source,
      0,
      `<NUMBER OF LINKS> is ${declaredLinks} but the file has ${m + dropped.length} links`,
    );
  }
  const col = (c: number) => {
    const out = new Float64Array(m);
    for (let a = 0; a < m; a++) out[a] = raw[a * cols + c];
    return out;
  };
  const from = Int32Array.from(col(0), (x) => x - 1);
  const to = Int32Array.from(col(1), (x) => x - 1);
  const nodeId = Float64Array.from({ length: nodeCount }, (_, i) => i + 1);
  const network = buildNetwork(
    {
      nodeCount,
      zoneCount,
      firstThruNode: firstThru - 1,
      from,
      to,
      capacity: col(2),
      length: col(3),
      freeFlowTime: col(4),
      b: col(5),
      power: col(6),
      speedLimit: col(7),
      toll: col(8),
      linkType: Int32Array.from(col(9)),
      tollFactor: options.tollFactor ?? 0,
      distanceFactor: options.distanceFactor ?? 0,
      nodeId,
    },
    source,
  );
  return { network, droppedDuplicates: dropped };
}

/**
 * Parses a TNTP `_trips` file into demand. `<TOTAL OD FLOW>`, when present, is checked against
 * the sum of the entries (intra-zonal ones included) to 1e-6 relative.
 *
 * @example
 * const demand = parseTntpTrips(text, { source: 'SiouxFalls_trips.tntp' });
 */
export function parseTntpTrips(text: string, options: { source?: string; zoneCount?: number } = {}): Demand {
  const source = options.source ?? 'trips';
  const lines = splitLines(text);
  const meta = readMetadata(lines, source);
  const zoneCount = metaInt(meta, 'NUMBER OF ZONES', source, true);
  if (options.zoneCount !== undefined && options.zoneCount !== zoneCount) {
    throw new NetworkFormatError(
      source,
      0,
      `<NUMBER OF ZONES> is ${zoneCount} but the network has ${options.zoneCount}`,
    );
  }
  const declaredTotal = meta.values.has('TOTAL OD FLOW')
    ? Number(meta.values.get('TOTAL OD FLOW'))
    : Number.NaN;
  const o: number[] = [];
  const d: number[] = [];
  const q: number[] = [];
  let origin = -1;
  let sum = 0;
  const entry = /(\S+)\s*:\s*([^;\s]+)\s*;?/g;
  for (let i = meta.body; i < lines.length; i++) {
    let line = lines[i];
    const tilde = line.indexOf('~');
    if (tilde >= 0) line = line.slice(0, tilde);
    line = line.trim();
    if (line === '') continue;
    const om = /^Origin\s+(\S+)/i.exec(line);
    if (om) {
      const z = Number(om[1]);
      if (!Number.isInteger(z) || z < 1 || z > zoneCount) {
        throw new NetworkFormatError(source, i + 1, `origin '${om[1]}' outside zones 1..${zoneCount}`);
      }
      origin = z - 1;
      continue;
    }
    if (origin < 0) throw new NetworkFormatError(source, i + 1, 'OD entries before the first "Origin" line');
    entry.lastIndex = 0;
    let consumed = 0;
    for (let m = entry.exec(line); m !== null; m = entry.exec(line)) {
      if (line.slice(consumed, m.index).trim() !== '') break;
      const z = Number(m[1]);
      const v = Number(m[2]);
      if (!Number.isInteger(z) || z < 1 || z > zoneCount) {
        throw new NetworkFormatError(source, i + 1, `destination '${m[1]}' outside zones 1..${zoneCount}`);
      }
      if (!Number.isFinite(v) || v < 0)
        throw new NetworkFormatError(source, i + 1, `bad trips '${m[2]}' to zone ${z}`);
      o.push(origin);
      d.push(z - 1);
      q.push(v);
      sum += v;
      consumed = entry.lastIndex;
    }
    if (line.slice(consumed).trim() !== '') {
      throw new NetworkFormatError(
        source,
        i + 1,
        `expected 'destination : trips;' entries, got '${line.slice(consumed).trim()}'`,
      );
    }
  }
  if (Number.isFinite(declaredTotal) && Math.abs(sum - declaredTotal) > 1e-6 * Math.max(1, declaredTotal)) {
    throw new NetworkFormatError(
      source,
      0,
      `<TOTAL OD FLOW> is ${declaredTotal} but the entries sum to ${sum}`,
    );
  }
  return buildDemand(zoneCount, o, d, q, source);
}

/** A published link solution: flows and (generalized) costs keyed by the link's line order. */
export interface TntpFlow {
  from: Int32Array;
  to: Int32Array;
  flow: Float64Array;
  cost: Float64Array;
}

/**
 * Parses a TNTP `_flow` file (`From To Volume Cost`, optional metadata and trailing `;`).
 * Node numbers stay as in the file (1-based).
 */
export function parseTntpFlow(text: string, options: { source?: string } = {}): TntpFlow {
  const source = options.source ?? 'flow';
  const from: number[] = [];
  const to: number[] = [];
  const flow: number[] = [];
  const cost: number[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/;/g, ' ').trim();
    if (line === '' || line.startsWith('~') || line.startsWith('<')) continue;
    const parts = line.split(/\s+/);
    const nums = parts.map(Number);
    if (nums.length < 3 || nums.slice(0, 3).some((x) => !Number.isFinite(x))) {
      if (from.length === 0) continue; // a header such as "From To Volume Cost"
      throw new NetworkFormatError(source, i + 1, `expected 'from to volume cost', got '${line}'`);
    }
    from.push(nums[0]);
    to.push(nums[1]);
    flow.push(nums[2]);
    cost.push(nums.length > 3 && Number.isFinite(nums[3]) ? nums[3] : Number.NaN);
  }
  return {
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    flow: Float64Array.from(flow),
    cost: Float64Array.from(cost),
  };
}

/** Parses a TNTP `_node` file (`Node X Y ;`) into coordinates by 1-based node number. */
export function parseTntpNodes(
  text: string,
  nodeCount: number,
  options: { source?: string } = {},
): { x: Float64Array; y: Float64Array } {
  const source = options.source ?? 'node';
  const x = new Float64Array(nodeCount).fill(Number.NaN);
  const y = new Float64Array(nodeCount).fill(Number.NaN);
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/;/g, ' ').trim();
    if (line === '' || line.startsWith('~') || line.startsWith('<')) continue;
    const nums = line.split(/\s+/).map(Number);
    if (nums.length < 3 || nums.slice(0, 3).some((v) => !Number.isFinite(v))) {
      if (i === 0 || /^node/i.test(line)) continue;
      throw new NetworkFormatError(source, i + 1, `expected 'node x y', got '${line}'`);
    }
    const n = nums[0];
    if (!Number.isInteger(n) || n < 1 || n > nodeCount) {
      throw new NetworkFormatError(source, i + 1, `node ${n} outside 1..${nodeCount}`);
    }
    x[n - 1] = nums[1];
    y[n - 1] = nums[2];
  }
  return { x, y };
}
