/**
 * twinbox scenario: assigns a baseline and the scenario of an interventions document, turns both
 * into vehicle-km, vehicle-hours and hot emissions, compares them per link and per district,
 * prints a summary table (and one JSON line last) and writes CSV and GeoJSON files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FleetMix,
  fleetFromJson,
  fleetFromKbaStock,
  parseFuelCo2Factors,
  parseHotEmissionTable,
} from '../models/emissions/index.ts';
import {
  type District,
  districtsFromGeoJson,
  type Indicator,
  joinLongStatistics,
  LEIPZIG_INDICATORS,
  LEIPZIG_STATISTICS_INDICATORS,
  type Measure,
} from '../models/social/index.ts';
import {
  ALGORITHMS,
  type AlgorithmName,
  buildDemand,
  buildNetwork,
  type Demand,
  type Network,
  parseGeoJsonNetwork,
  parseInterventions,
  parseTntpNet,
  parseTntpNodes,
  parseTntpTrips,
  runScenario,
  type ScenarioComparison,
} from '../models/traffic/index.ts';
import { parseOptions, positiveNumber, requireString, runCommand, UsageError } from './args.ts';

export const summary = 'compare a baseline and an intervention scenario: flows, times, emissions, districts';

const USAGE = `usage: twinbox scenario --network DIR|EDGES.geojson --interventions FILE.json [options]

  --network DIR          folder with TNTP *_net.tntp and *_trips.tntp (and *_node.tntp with
                         lon/lat for areas, cordons and districts)
  --network EDGES.geojson  an OSMnx road graph (e.g. bologna_osm_drive_edges.geojson), with
    --nodes FILE         its nodes (default: the edges name with "edges" → "nodes")
    --zones FILE         GeoJSON zones (points, or polygons: vertex mean) with a numeric id
    --zone-id PROP       the id property of --zones (default id)
    --trips FILE.csv     trips per period: header origin,destination,trips (zone ids)
  --interventions FILE   JSON document: {"name", "valueOfTimePerHour"?, "interventions": [...]}
                         types closeLinks, capacity, speedLimit, addLink, toll, cordon, demand,
                         fleet (see src/models/traffic/interventions.ts for every field)
  --districts FILE       GeoJSON polygons with statistics (e.g. leipzig_ortsteile.geojson):
                         per-district results and who gains, who loses
  --out DIR              write links.csv, links.geojson, districts.csv, districts.geojson,
                         summary.json there
assignment:
  --gap G                relative gap of both assignments (default 1e-6)
  --algorithm NAME       ${ALGORITHMS.join(' | ')} (default algorithm-b)
  --rigidity R           behavioural rigidity in (0, 1]: 1 fixed demand (default); lower lets the
                         scenario's trips respond to its costs relative to the baseline
  --max-seconds N        time budget per assignment
units and costs:
  --length-unit U        mi | km | m | ft: unit of the network's lengths (default mi for TNTP,
                         m for GeoJSON graphs); times are minutes
  --toll-factor F        minutes per toll unit of the network's own tolls (default 0)
  --distance-factor F    minutes per length unit (default 0)
emissions:
  --fleet KS             KBA registration district key of the car fleet (default 14713, Leipzig)
  --fleet-file FILE      a fleet as JSON instead: {"name", "electricShare", "classes": [{"category",
                         "fuel", "segment", "euroStandard", "technology", "share"}]} (EEA labels)
  --urban MODE           peak | off-peak: urban EEA road mode (default peak)
  --emission-data DIR    tables (default: data/emissions of this package)
districts:
  --district-id PROP     id property (default: ot_nr, cod_area, ... or id)
  --population PROP      residents property (default: pop_2023 or population)
  --stats FILE           long statistics CSV (year,<key>,indicator,value; e.g.
                         leipzig_ortsteile_stats_2000_2023.csv) joined to the districts
  --stats-year Y         year of --stats to use (default 2023)
  --stats-key COL        its district key column (default ot_nr)
  --indicators LIST      leipzig (default; leipzig-stats with --stats) | none |
                         prop:+,prop:-,... (+: more of it is more vulnerable)
  --verdict MEASURE      nox (default) | pm | co2 | vkm: what a district gains or loses`;

class InputError extends Error {
  readonly userFacing = true;
}

const LENGTH_UNITS: Record<string, number> = { mi: 1.609344, km: 1, m: 0.001, ft: 0.0003048 };
const VERDICTS: Record<string, Measure> = { nox: 'noxG', pm: 'pmG', co2: 'co2G', vkm: 'vehicleKm' };
const DEFAULT_EMISSION_DATA = fileURLToPath(new URL('../../data/emissions/', import.meta.url));

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(
      `${what}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${what}: ${path} is not JSON: ${(err as Error).message}`);
  }
}

function tntpFile(dir: string, suffix: string, required: boolean): string | undefined {
  const hits = readdirSync(dir).filter((f) => f.toLowerCase().endsWith(suffix));
  if (hits.length > 1)
    throw new InputError(`--network: ${dir} has several *${suffix} files: ${hits.join(', ')}`);
  if (hits.length === 0 && required) throw new InputError(`--network: no *${suffix} file in ${dir}`);
  return hits[0] && join(dir, hits[0]);
}

function readNetwork(dir: string, tollFactor: number, distanceFactor: number): LoadedNetwork {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`--network: ${dir} is not a folder with TNTP files`);
  }
  const netPath = tntpFile(dir, '_net.tntp', true)!;
  const tripsPath = tntpFile(dir, '_trips.tntp', true)!;
  const nodePath = tntpFile(dir, '_node.tntp', false);
  const { network } = parseTntpNet(readText(netPath, '--network'), {
    source: basename(netPath),
    tollFactor,
    distanceFactor,
  });
  let net = network;
  let coordinates = false;
  if (nodePath) {
    const { x, y } = parseTntpNodes(readText(nodePath, '--network'), network.nodeCount, {
      source: basename(nodePath),
    });
    // Only lon/lat coordinates place links on a map; some TNTP node files are in feet.
    const lonLat = x.every((v) => Math.abs(v) <= 180) && y.every((v) => Math.abs(v) <= 90);
    if (lonLat) {
      net = buildNetwork({ ...network, lon: x, lat: y }, basename(netPath));
      coordinates = true;
    }
  }
  const demand = parseTntpTrips(readText(tripsPath, '--network'), {
    source: basename(tripsPath),
    zoneCount: net.zoneCount,
  });
  return { net, demand, coordinates };
}

interface LoadedNetwork {
  net: Network;
  demand: Demand;
  coordinates: boolean;
  shapes?: number[][][];
  roadType?: Uint8Array;
}

/** A zone's point: the Point itself, or the vertex mean of a polygon's outer ring. */
function zonePoint(f: unknown, k: number, source: string): [number, number] {
  const g = (f as { geometry?: { type?: string; coordinates?: unknown } }).geometry;
  const c = g?.coordinates;
  let ring: unknown;
  if (g?.type === 'Point') return c as [number, number];
  if (g?.type === 'Polygon' && Array.isArray(c)) ring = c[0];
  else if (g?.type === 'MultiPolygon' && Array.isArray(c) && Array.isArray(c[0])) ring = c[0][0];
  if (!Array.isArray(ring) || ring.length < 2)
    throw new InputError(`${source}: feature ${k}: needs a Point or Polygon`);
  const pts = ring.slice(0, -1) as [number, number][];
  return [pts.reduce((a, p) => a + p[0], 0) / pts.length, pts.reduce((a, p) => a + p[1], 0) / pts.length];
}

/**
 * An OSMnx GeoJSON road graph with zones (points or polygons with a numeric id) and a trip
 * table `origin,destination,trips` in zone ids. Road types follow the OSM class: motorways are
 * highway, trunk roads rural, everything else urban.
 */
function readGeoJsonNetwork(
  edgesPath: string,
  nodesPath: string,
  zonesPath: string,
  tripsPath: string,
  zoneId: string,
): LoadedNetwork {
  const zonesDoc = readJson(zonesPath, '--zones') as { features?: unknown[] };
  if (!Array.isArray(zonesDoc.features))
    throw new InputError(`--zones: ${zonesPath} is not a GeoJSON FeatureCollection`);
  const zones = zonesDoc.features.map((f, k) => {
    const id = Number((f as { properties?: Record<string, unknown> }).properties?.[zoneId]);
    if (!Number.isFinite(id)) throw new InputError(`--zones: feature ${k}: no numeric '${zoneId}' property`);
    const [lon, lat] = zonePoint(f, k, basename(zonesPath));
    return { id, lon, lat };
  });
  const g = parseGeoJsonNetwork(readText(edgesPath, '--network'), readText(nodesPath, '--nodes'), {
    source: basename(edgesPath),
    zones,
  });
  const net = g.network;
  const edges = (
    readJson(edgesPath, '--network') as { features: { geometry?: { coordinates?: number[][] } }[] }
  ).features;
  const shapes: number[][][] = [];
  const roadType = new Uint8Array(net.linkCount);
  for (let a = 0; a < net.linkCount; a++) {
    const f = g.feature[a];
    const line = f >= 0 ? edges[f].geometry?.coordinates : undefined;
    shapes.push(
      Array.isArray(line) && line.length >= 2
        ? line
        : [
            [net.lon![net.from[a]], net.lat![net.from[a]]],
            [net.lon![net.to[a]], net.lat![net.to[a]]],
          ],
    );
    const cls = g.highway[a];
    roadType[a] = cls.startsWith('motorway') ? 2 : cls.startsWith('trunk') ? 1 : 0;
  }
  const zoneIndex = new Map(zones.map((z, i) => [z.id, i]));
  const text = readText(tripsPath, '--trips');
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== 'origin,destination,trips') {
    throw new InputError(`--trips: ${basename(tripsPath)}:1: expected the header origin,destination,trips`);
  }
  const o: number[] = [];
  const d: number[] = [];
  const q: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const [a, b, c] = lines[i].split(',').map(Number);
    const oi = zoneIndex.get(a);
    const di = zoneIndex.get(b);
    if (oi === undefined || di === undefined || !(c >= 0)) {
      throw new InputError(
        `--trips: ${basename(tripsPath)}:${i + 1}: unknown zone or bad trips in '${lines[i]}'`,
      );
    }
    o.push(oi);
    d.push(di);
    q.push(c);
  }
  return {
    net,
    demand: buildDemand(zones.length, o, d, q, basename(tripsPath)),
    coordinates: true,
    shapes,
    roadType,
  };
}

function parseIndicators(spec: string): Indicator[] {
  if (spec === 'leipzig') return [...LEIPZIG_INDICATORS];
  if (spec === 'leipzig-stats') return [...LEIPZIG_STATISTICS_INDICATORS];
  if (spec === 'none') return [];
  return spec.split(',').map((part) => {
    const m = /^([^:]+):([+-])$/.exec(part.trim());
    if (!m) throw new UsageError(`--indicators: expected prop:+ or prop:-, got '${part}'`);
    return { property: m[1], direction: m[2] === '+' ? 1 : -1, reason: 'given on the command line' };
  });
}

function loadFleet(dataDir: string, ks: string): { fleet: FleetMix; read: (name: string) => string } {
  const read = (name: string) => readText(join(dataDir, name), '--emission-data');
  return {
    fleet: fleetFromKbaStock(
      read('kba_pkw_bestand_by_district_fuel_euro_20190101.csv'),
      ks,
      read('kba_fleet_mapping.csv'),
    ),
    read,
  };
}

const fmt = (x: number, digits = 1) =>
  Number.isFinite(x)
    ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : String(x);
const pct = (b: number, s: number) =>
  b !== 0 ? `${s >= b ? '+' : ''}${(((s - b) / b) * 100).toFixed(2)} %` : s === 0 ? '0 %' : 'new';

function table(r: ScenarioComparison): string {
  const rows: [string, number, number, number][] = [
    ['trips made', r.baseline.tripsMade, r.scenario.tripsMade, 0],
    ['vehicle-km', r.baseline.vehicleKm, r.scenario.vehicleKm, 0],
    ['vehicle-hours', r.baseline.vehicleHours, r.scenario.vehicleHours, 0],
    ['CO2 t', r.baseline.co2Tonnes, r.scenario.co2Tonnes, 2],
    ['NOx kg', r.baseline.noxKg, r.scenario.noxKg, 2],
    ['PM exhaust kg', r.baseline.pmKg, r.scenario.pmKg, 3],
    ['toll revenue', r.baseline.tollRevenue, r.scenario.tollRevenue, 0],
  ];
  const lines = [`scenario: ${r.name}`, ...r.changes.map((c) => `  ${c}`), ''];
  lines.push(`${''.padEnd(16)}${'baseline'.padStart(16)}${'scenario'.padStart(16)}${'change'.padStart(12)}`);
  for (const [label, b, s, d] of rows) {
    lines.push(
      `${label.padEnd(16)}${fmt(b, d).padStart(16)}${fmt(s, d).padStart(16)}${pct(b, s).padStart(12)}`,
    );
  }
  lines.push(
    `${'relative gap'.padEnd(16)}${r.baseline.relativeGap.toExponential(2).padStart(16)}${r.scenario.relativeGap.toExponential(2).padStart(16)}`,
  );
  lines.push(`fleet: ${r.fleet.scenario}`);
  if (r.unreachable.length > 0) {
    const trips = r.unreachable.reduce((s, u) => s + u.trips, 0);
    lines.push(
      `unreachable: ${r.unreachable.length} OD pair(s), ${fmt(trips)} trips without a path in the scenario` +
        (r.cutOffZones.length > 0 ? `; zones cut off: ${r.cutOffZones.join(', ')}` : ''),
    );
  }
  if (r.districts) {
    const s = r.districts.summary;
    const unit = s.basis === 'population' ? 'residents' : 'km²';
    lines.push(
      `districts: ${s.districtsGaining} gain (${fmt(s.weightGaining, 0)} ${unit}), ${s.districtsLosing} lose (${fmt(s.weightLosing, 0)} ${unit}); ` +
        `equity gap ${s.equityGap.toExponential(2)} per km² (${s.equityGap > 0 ? 'regressive' : s.equityGap < 0 ? 'progressive' : 'neutral'})`,
    );
    const byChange = [...r.districts.impacts].sort((a, b) => a.burdenDensityChange - b.burdenDensityChange);
    const show = (d: (typeof byChange)[number]) =>
      `${d.name} (${d.id}) ${fmt(d.burdenDensityChange)}/km², ${pct(d.baseline[s.measure], d.scenario[s.measure])}, vulnerability ${d.vulnerability.toFixed(2)}`;
    const gain = byChange.filter((d) => d.verdict === 'gains').slice(0, 3);
    const lose = byChange
      .filter((d) => d.verdict === 'loses')
      .reverse()
      .slice(0, 3);
    if (gain.length > 0) lines.push(`  gain most: ${gain.map(show).join('; ')}`);
    if (lose.length > 0) lines.push(`  lose most: ${lose.map(show).join('; ')}`);
  }
  return lines.join('\n');
}

const csvCell = (x: number | string) =>
  typeof x === 'number'
    ? Number.isFinite(x)
      ? String(Math.round(x * 1e6) / 1e6)
      : ''
    : x.includes(',')
      ? `"${x}"`
      : x;

function writeOutputs(dir: string, r: ScenarioComparison, districts: District[] | undefined): void {
  mkdirSync(dir, { recursive: true });
  const L = r.links;
  const b = L.baseline;
  const s = L.scenario;
  const header = [
    'from',
    'to',
    'status',
    'length_km',
    'flow_base',
    'flow_scen',
    'flow_change',
    'time_min_base',
    'time_min_scen',
    'speed_kmh_base',
    'speed_kmh_scen',
    'vkm_base',
    'vkm_scen',
    'co2_kg_base',
    'co2_kg_scen',
    'nox_g_base',
    'nox_g_scen',
    'pm_g_base',
    'pm_g_scen',
  ];
  const row = (i: number): (number | string)[] => [
    L.fromId[i],
    L.toId[i],
    L.status[i],
    L.lengthKm[i],
    b.flow[i],
    s.flow[i],
    s.flow[i] - b.flow[i],
    b.timeH[i] * 60,
    s.timeH[i] * 60,
    b.speedKmh[i],
    s.speedKmh[i],
    b.vehicleKm[i],
    s.vehicleKm[i],
    b.co2G[i] / 1e3,
    s.co2G[i] / 1e3,
    b.noxG[i],
    s.noxG[i],
    b.pmG[i],
    s.pmG[i],
  ];
  const lines = [header.join(',')];
  for (let i = 0; i < L.count; i++) lines.push(row(i).map(csvCell).join(','));
  writeFileSync(join(dir, 'links.csv'), `${lines.join('\n')}\n`);
  if (L.shapes) {
    const features = [];
    for (let i = 0; i < L.count; i++) {
      const values = row(i);
      const properties = Object.fromEntries(
        header.map((h, k) => [
          h,
          typeof values[k] === 'number' && !Number.isFinite(values[k]) ? null : values[k],
        ]),
      );
      features.push({
        type: 'Feature',
        properties,
        geometry: { type: 'LineString', coordinates: L.shapes[i] },
      });
    }
    writeFileSync(join(dir, 'links.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
  }
  const districtRows: Record<string, number | string | null>[] = (r.districts?.impacts ?? []).map((d) => ({
    id: d.id,
    name: d.name,
    population: d.population,
    area_km2: d.areaKm2,
    vulnerability: d.vulnerability,
    verdict: d.verdict,
    vkm_base: d.baseline.vehicleKm,
    vkm_scen: d.scenario.vehicleKm,
    vkm_per_km2_base: d.trafficDensityBase,
    vkm_per_km2_scen: d.trafficDensityScenario,
    vehicle_hours_base: d.baseline.vehicleHours,
    vehicle_hours_scen: d.scenario.vehicleHours,
    co2_kg_base: d.baseline.co2G / 1e3,
    co2_kg_scen: d.scenario.co2G / 1e3,
    nox_g_base: d.baseline.noxG,
    nox_g_scen: d.scenario.noxG,
    pm_g_base: d.baseline.pmG,
    pm_g_scen: d.scenario.pmG,
    burden_change_per_km2: d.burdenDensityChange,
    burden_relative_change: d.burdenRelativeChange,
  }));
  if (r.districts) {
    const keys = Object.keys(districtRows[0] ?? { id: '' });
    const out = [keys.join(',')];
    for (const d of districtRows)
      out.push(keys.map((k) => (d[k] === null ? '' : csvCell(d[k] as number | string))).join(','));
    writeFileSync(join(dir, 'districts.csv'), `${out.join('\n')}\n`);
  }
  writeFileSync(
    join(dir, 'summary.json'),
    `${JSON.stringify(
      {
        name: r.name,
        changes: r.changes,
        fleet: r.fleet,
        baseline: r.baseline,
        scenario: r.scenario,
        unreachable: r.unreachable,
        cutOffZones: r.cutOffZones,
        unreachableBaseline: r.unreachableBaseline,
        districts: r.districts
          ? {
              summary: r.districts.summary,
              missingIndicators: r.districts.vulnerability.missing,
              imputed: r.districts.vulnerability.imputed,
            }
          : null,
      },
      (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
      2,
    )}\n`,
  );
  if (districts) {
    const features = districts.map((d, i) => ({
      type: 'Feature',
      properties: districtRows[i],
      geometry:
        d.parts.length === 1
          ? { type: 'Polygon', coordinates: d.parts[0] }
          : { type: 'MultiPolygon', coordinates: d.parts },
    }));
    writeFileSync(join(dir, 'districts.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
  }
}

export async function run(argv: string[]): Promise<number> {
  return runCommand('scenario', async () => {
    const v = parseOptions(argv, {
      network: { type: 'string' },
      nodes: { type: 'string' },
      zones: { type: 'string' },
      'zone-id': { type: 'string' },
      trips: { type: 'string' },
      interventions: { type: 'string' },
      districts: { type: 'string' },
      out: { type: 'string' },
      gap: { type: 'string' },
      algorithm: { type: 'string' },
      rigidity: { type: 'string' },
      'max-seconds': { type: 'string' },
      'length-unit': { type: 'string' },
      'toll-factor': { type: 'string' },
      'distance-factor': { type: 'string' },
      fleet: { type: 'string' },
      'fleet-file': { type: 'string' },
      urban: { type: 'string' },
      'emission-data': { type: 'string' },
      'district-id': { type: 'string' },
      population: { type: 'string' },
      indicators: { type: 'string' },
      stats: { type: 'string' },
      'stats-year': { type: 'string' },
      'stats-key': { type: 'string' },
      verdict: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      console.log(USAGE);
      return 0;
    }
    const networkDir = requireString(v, 'network');
    const interventionsPath = requireString(v, 'interventions');
    const gap = v.gap === undefined ? 1e-6 : positiveNumber(v.gap, 'gap');
    const algorithm = (v.algorithm ?? 'algorithm-b') as AlgorithmName;
    if (!ALGORITHMS.includes(algorithm))
      throw new UsageError(`--algorithm: expected one of ${ALGORITHMS.join(', ')}`);
    const rigidity = v.rigidity === undefined ? 1 : positiveNumber(v.rigidity, 'rigidity');
    if (rigidity > 1) throw new UsageError('--rigidity: expected a number in (0, 1]');
    const maxSeconds =
      v['max-seconds'] === undefined ? undefined : positiveNumber(v['max-seconds'], 'max-seconds');
    const geojson = /\.(geo)?json$/i.test(networkDir);
    const unit = (v['length-unit'] as string | undefined) ?? (geojson ? 'm' : 'mi');
    if (!(unit in LENGTH_UNITS))
      throw new UsageError(`--length-unit: expected one of ${Object.keys(LENGTH_UNITS).join(', ')}`);
    const nonNegative = (name: string) => {
      const x = v[name] === undefined ? 0 : Number(v[name]);
      if (!(x >= 0)) throw new UsageError(`--${name}: expected a number >= 0, got '${String(v[name])}'`);
      return x;
    };
    const urban = (v.urban as string | undefined) ?? 'peak';
    if (urban !== 'peak' && urban !== 'off-peak') throw new UsageError('--urban: expected peak or off-peak');
    const verdict = VERDICTS[(v.verdict as string | undefined) ?? 'nox'];
    if (!verdict) throw new UsageError(`--verdict: expected one of ${Object.keys(VERDICTS).join(', ')}`);
    const indicators = parseIndicators(
      (v.indicators as string | undefined) ?? (typeof v.stats === 'string' ? 'leipzig-stats' : 'leipzig'),
    );
    const statsYear = v['stats-year'] === undefined ? 2023 : Number(v['stats-year']);
    if (!Number.isInteger(statsYear))
      throw new UsageError(`--stats-year: expected a year, got '${String(v['stats-year'])}'`);

    const parsed = parseInterventions(readJson(interventionsPath, '--interventions'));
    if (!parsed.ok) throw new InputError(`${interventionsPath}:\n  ${parsed.errors.join('\n  ')}`);
    let loaded: LoadedNetwork;
    if (geojson) {
      const nodesPath = (v.nodes as string | undefined) ?? networkDir.replace(/edges(?=[^/]*$)/, 'nodes');
      if (nodesPath === networkDir)
        throw new UsageError('--nodes is required when the edges file name has no "edges" in it');
      loaded = readGeoJsonNetwork(
        networkDir,
        nodesPath,
        requireString(v, 'zones'),
        requireString(v, 'trips'),
        (v['zone-id'] as string | undefined) ?? 'id',
      );
    } else loaded = readNetwork(networkDir, nonNegative('toll-factor'), nonNegative('distance-factor'));
    const { net, demand, coordinates } = loaded;
    const dataDir = (v['emission-data'] as string | undefined) ?? DEFAULT_EMISSION_DATA;
    const { fleet: kbaFleet, read } = loadFleet(dataDir, (v.fleet as string | undefined) ?? '14713');
    const fleetFile = v['fleet-file'];
    const fleet =
      typeof fleetFile === 'string'
        ? fleetFromJson(readJson(fleetFile, '--fleet-file'), basename(fleetFile))
        : kbaFleet;
    const emissions = {
      table: parseHotEmissionTable(read('eea2019_hot_ef_subset.csv'), 'eea2019_hot_ef_subset.csv'),
      fuels: parseFuelCo2Factors(read('fuel_co2_factors.csv'), 'fuel_co2_factors.csv'),
      fleet,
      options: { urban: urban === 'peak' ? ('Urban Peak' as const) : ('Urban Off Peak' as const) },
    };
    let districts: District[] | undefined;
    if (typeof v.districts === 'string') {
      if (!coordinates)
        throw new InputError('--districts: the network has no lon/lat node file to place its links');
      districts = districtsFromGeoJson(readJson(v.districts, '--districts'), {
        source: basename(v.districts),
        idProperty: v['district-id'] as string | undefined,
        populationProperty: v.population as string | undefined,
      });
      if (typeof v.stats === 'string') {
        const joined = joinLongStatistics(districts, readText(v.stats, '--stats'), {
          year: statsYear,
          key: v['stats-key'] as string | undefined,
          source: basename(v.stats),
        });
        if (joined.unmatched.length > 0) {
          console.error(
            `twinbox scenario: --stats has no ${statsYear} rows for district(s) ${joined.unmatched.join(', ')}`,
          );
        }
        districts = joined.districts;
      }
    }
    const result = runScenario(net, demand, parsed.value, {
      units: { lengthKm: LENGTH_UNITS[unit], timeH: 1 / 60 },
      emissions,
      assignment: { gap, algorithm, rigidity, maxSeconds, clock: () => performance.now() },
      districts: districts ? { districts, indicators, measure: verdict } : undefined,
      linkShapes: loaded.shapes,
      roadType: loaded.roadType,
    });
    if (!result.ok) throw new InputError(`${interventionsPath}:\n  ${result.errors.join('\n  ')}`);
    const r = result.value;
    console.log(table(r));
    if (typeof v.out === 'string') writeOutputs(v.out, r, districts);
    console.log(
      JSON.stringify({
        name: r.name,
        vehicleKm: [r.baseline.vehicleKm, r.scenario.vehicleKm],
        vehicleHours: [r.baseline.vehicleHours, r.scenario.vehicleHours],
        co2Tonnes: [r.baseline.co2Tonnes, r.scenario.co2Tonnes],
        noxKg: [r.baseline.noxKg, r.scenario.noxKg],
        pmKg: [r.baseline.pmKg, r.scenario.pmKg],
        tripsMade: [r.baseline.tripsMade, r.scenario.tripsMade],
        relativeGap: [r.baseline.relativeGap, r.scenario.relativeGap],
        unreachablePairs: r.unreachable.length,
        cutOffZones: r.cutOffZones,
        districtsGaining: r.districts?.summary.districtsGaining ?? null,
        districtsLosing: r.districts?.summary.districtsLosing ?? null,
      }),
    );
    return 0;
  });
}
