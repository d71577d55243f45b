/**
 * A what-if run: the baseline and the scenario of an interventions document assigned to user
 * equilibrium on the same terms, their link flows turned into vehicle-km, vehicle-hours and hot
 * emissions (EMEP/EEA 2019 Tier 3 at the loaded speed), and compared per link and per district.
 */
import {
  compileFleetModel,
  type EmissionModelOptions,
  type FleetMix,
  type FuelCo2Factors,
  type HotEmissionTable,
  linkEmissions,
  roadTypeFromSpeed,
  withEvShare,
} from '../emissions/index.ts';
import {
  attributeLinks,
  type District,
  type DistrictImpact,
  type Indicator,
  type Measure,
  type SocialSummary,
  socialImpact,
  type VulnerabilityResult,
  vulnerabilityIndex,
} from '../social/index.ts';
import { type AppliedScenario, applyInterventions, type NetworkUnits } from './apply-interventions.ts';
import { type AssignmentOptions, type AssignmentResult, assign } from './assign.ts';
import type { Checked, InterventionDocument } from './interventions.ts';
import type { Demand, Network } from './network.ts';

export interface ScenarioOptions {
  units: NetworkUnits;
  emissions: {
    table: HotEmissionTable;
    fuels: FuelCo2Factors;
    fleet: FleetMix;
    options?: EmissionModelOptions;
  };
  /**
   * Passed to both assignments. With rigidity < 1 the baseline keeps fixed demand and the
   * scenario's demand responds to its costs relative to the baseline's equilibrium OD costs.
   */
  assignment?: Omit<AssignmentOptions, 'referenceCost' | 'onIteration'>;
  /** Road type per baseline link (0 urban, 1 rural, 2 highway); default from free-flow speed. */
  roadType?: ArrayLike<number>;
  /** Polyline per baseline link for district attribution; default straight lines between nodes. */
  linkShapes?: number[][][];
  districts?: {
    districts: District[];
    indicators: readonly Indicator[];
    measure?: Measure;
    threshold?: number;
  };
}

/** Per-run totals, in the period of the demand. */
export interface RunTotals {
  demandTrips: number;
  /** Trips that travel: the demand less the unserved trips and, under elastic demand, those not made. */
  tripsMade: number;
  /** Trips without a path (reported by the assignment, not loaded). */
  unservedTrips: number;
  vehicleKm: number;
  vehicleHours: number;
  co2Tonnes: number;
  noxKg: number;
  pmKg: number;
  /** Σ flow × money toll (cordon charges included). */
  tollRevenue: number;
  relativeGap: number;
  iterations: number;
  seconds: number;
}

export type LinkStatus = 'open' | 'closed' | 'added';

/** Per-run link quantities aligned to the comparison rows (0 where the link does not exist). */
export interface RowRun {
  flow: Float64Array;
  /** Loaded travel time in hours; NaN where the link does not exist. */
  timeH: Float64Array;
  speedKmh: Float64Array;
  vehicleKm: Float64Array;
  vehicleHours: Float64Array;
  co2G: Float64Array;
  noxG: Float64Array;
  pmG: Float64Array;
}

/** One row per baseline link, then one per added link. */
export interface LinkComparison {
  count: number;
  fromId: Float64Array;
  toId: Float64Array;
  status: LinkStatus[];
  lengthKm: Float64Array;
  baseline: RowRun;
  scenario: RowRun;
  /** Polyline per row, for maps and district attribution. */
  shapes: number[][][] | null;
}

export interface UnreachableTrips {
  /** External zone ids. */
  origin: number;
  destination: number;
  trips: number;
}

export interface ScenarioComparison {
  name: string;
  changes: string[];
  fleet: { baseline: string; scenario: string; evShareBaseline: number; evShareScenario: number };
  baseline: RunTotals;
  scenario: RunTotals;
  links: LinkComparison;
  /** OD pairs with demand and no path in the scenario (for example a zone cut off by a closure). */
  unreachable: UnreachableTrips[];
  /** External ids of zones all of whose trips lost their path in the scenario. */
  cutOffZones: number[];
  unreachableBaseline: UnreachableTrips[];
  districts: { impacts: DistrictImpact[]; summary: SocialSummary; vulnerability: VulnerabilityResult } | null;
}

function emptyRun(n: number): RowRun {
  return {
    flow: new Float64Array(n),
    timeH: new Float64Array(n).fill(Number.NaN),
    speedKmh: new Float64Array(n).fill(Number.NaN),
    vehicleKm: new Float64Array(n),
    vehicleHours: new Float64Array(n),
    co2G: new Float64Array(n),
    noxG: new Float64Array(n),
    pmG: new Float64Array(n),
  };
}

interface Loaded {
  result: AssignmentResult;
  lengthKm: Float64Array;
  timeH: Float64Array;
  speedKmh: Float64Array;
  vehicleHours: Float64Array;
  emissions: ReturnType<typeof linkEmissions>;
}

function load(
  net: Network,
  result: AssignmentResult,
  units: NetworkUnits,
  roadType: ArrayLike<number>,
  model: ReturnType<typeof compileFleetModel>,
): Loaded {
  const m = net.linkCount;
  const lengthKm = new Float64Array(m);
  const timeH = new Float64Array(m);
  const speedKmh = new Float64Array(m);
  const vehicleHours = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    lengthKm[a] = net.length[a] * units.lengthKm;
    const hours = result.time[a] * units.timeH;
    timeH[a] = hours;
    // A zero-time link (a centroid connector) has no meaningful speed; its length is 0 too in
    // practice, and with a length the curve's maximum speed is used.
    speedKmh[a] = hours > 0 ? lengthKm[a] / hours : Number.POSITIVE_INFINITY;
    vehicleHours[a] = result.flow[a] * hours;
  }
  const emissions = linkEmissions(model, { lengthKm, speedKmh, flowVeh: result.flow, roadType });
  return { result, lengthKm, timeH, speedKmh, vehicleHours, emissions };
}

function totals(l: Loaded, demand: Demand, tollMoney: ArrayLike<number>): RunTotals {
  const sum = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    return s;
  };
  let revenue = 0;
  for (let a = 0; a < l.result.flow.length; a++) revenue += l.result.flow[a] * tollMoney[a];
  return {
    demandTrips: demand.total,
    tripsMade: sum(l.result.odFlow),
    unservedTrips: l.result.unreachable.reduce((s, u) => s + u.trips, 0),
    vehicleKm: sum(l.emissions.vehicleKm),
    vehicleHours: sum(l.vehicleHours),
    co2Tonnes: sum(l.emissions.co2G) / 1e6,
    noxKg: sum(l.emissions.noxG) / 1e3,
    pmKg: sum(l.emissions.pmG) / 1e3,
    tollRevenue: revenue,
    relativeGap: l.result.relativeGap,
    iterations: l.result.iterations,
    seconds: l.result.seconds,
  };
}

function fill(run: RowRun, row: number, l: Loaded, a: number): void {
  run.flow[row] = l.result.flow[a];
  run.timeH[row] = l.timeH[a];
  run.speedKmh[row] = l.speedKmh[a];
  run.vehicleKm[row] = l.emissions.vehicleKm[a];
  run.vehicleHours[row] = l.vehicleHours[a];
  run.co2G[row] = l.emissions.co2G[a];
  run.noxG[row] = l.emissions.noxG[a];
  run.pmG[row] = l.emissions.pmG[a];
}

/** Index of each (origin, destination) entry of a demand, for matching two demands. */
function entryIndex(d: Demand): Map<number, number> {
  const map = new Map<number, number>();
  for (let o = 0; o < d.zoneCount; o++) {
    for (let e = d.start[o]; e < d.start[o + 1]; e++) map.set(o * d.zoneCount + d.dest[e], e);
  }
  return map;
}

/**
 * Runs baseline and scenario and compares them. Input problems (unknown nodes, links, empty
 * selections) come back as errors, not exceptions.
 *
 * @example
 * const r = runScenario(net, demand, doc, { units: { lengthKm: 1.609344, timeH: 1 / 60 }, emissions });
 * if (r.ok) console.log(r.value.scenario.co2Tonnes - r.value.baseline.co2Tonnes);
 */
export function runScenario(
  base: Network,
  demand: Demand,
  doc: InterventionDocument,
  options: ScenarioOptions,
): Checked<ScenarioComparison> {
  const applied = applyInterventions(base, demand, doc, options.units);
  if (!applied.ok) return applied;
  const s: AppliedScenario = applied.value;
  const { units } = options;
  const baseNet = s.baseline;
  const em = options.emissions;
  const fleetBase = em.fleet;
  const fleetScen = s.evShare === null ? fleetBase : withEvShare(fleetBase, s.evShare);
  const modelBase = compileFleetModel(em.table, em.fuels, fleetBase, em.options);
  const modelScen =
    s.evShare === null ? modelBase : compileFleetModel(em.table, em.fuels, fleetScen, em.options);

  const roadBase = new Uint8Array(baseNet.linkCount);
  for (let a = 0; a < baseNet.linkCount; a++) {
    roadBase[a] = options.roadType
      ? options.roadType[a]
      : roadTypeFromSpeed(
          (baseNet.length[a] * units.lengthKm) / (baseNet.freeFlowTime[a] * units.timeH || Number.NaN) || 0,
        );
  }
  const net = s.network;
  const roadScen = new Uint8Array(net.linkCount);
  for (let a = 0; a < net.linkCount; a++) {
    const o = s.linkOrigin[a];
    roadScen[a] = o >= 0 ? roadBase[o] : roadTypeFromSpeed(net.speedLimit[a]);
  }

  const assignOpts = options.assignment ?? {};
  const rigidity = assignOpts.rigidity ?? 1;
  // The OD matrix is the baseline's observed demand, so the baseline is assigned with fixed
  // demand; elastic demand then answers the change of cost from the baseline equilibrium, the
  // usual what-if reading of a demand elasticity (Sheffi 1985, §6.1).
  const baseResult = assign(baseNet, demand, { ...assignOpts, rigidity: 1 });
  let referenceCost: Float64Array | undefined;
  if (rigidity !== 1) {
    // Allowed trips into a banned cordon pay its entry penalty once whatever their route, so
    // the penalty is added to their reference and does not cut them.
    const index = entryIndex(demand);
    let penalty = 0;
    for (const p of s.banPenalty) penalty = Math.max(penalty, p);
    referenceCost = new Float64Array(s.demand.dest.length);
    for (let o = 0; o < s.demand.zoneCount; o++) {
      for (let e = s.demand.start[o]; e < s.demand.start[o + 1]; e++) {
        const d = s.demand.dest[e];
        const be = index.get(o * demand.zoneCount + d);
        const ref = be === undefined ? Number.POSITIVE_INFINITY : baseResult.odCost[be];
        referenceCost[e] = ref + (!s.insideBan[o] && s.insideBan[d] ? penalty : 0);
      }
    }
  }
  // A fleet-only scenario changes no cost and no trip: its equilibrium is the baseline's.
  const trafficUnchanged = doc.interventions.every((iv) => iv.type === 'fleet');
  const scenResult = trafficUnchanged ? baseResult : assign(net, s.demand, { ...assignOpts, referenceCost });

  const lb = load(baseNet, baseResult, units, roadBase, modelBase);
  const ls = load(net, scenResult, units, roadScen, modelScen);

  // Comparison rows: every baseline link, then the added ones.
  const added: number[] = [];
  const scenOf = new Int32Array(baseNet.linkCount).fill(-1);
  for (let a = 0; a < net.linkCount; a++) {
    if (s.linkOrigin[a] >= 0) scenOf[s.linkOrigin[a]] = a;
    else added.push(a);
  }
  const rows = baseNet.linkCount + added.length;
  const links: LinkComparison = {
    count: rows,
    fromId: new Float64Array(rows),
    toId: new Float64Array(rows),
    status: [],
    lengthKm: new Float64Array(rows),
    baseline: emptyRun(rows),
    scenario: emptyRun(rows),
    shapes: null,
  };
  const coords = baseNet.lon !== undefined && baseNet.lat !== undefined;
  const shapes: number[][][] = [];
  const straight = (n: Network, a: number) => [
    [n.lon![n.from[a]], n.lat![n.from[a]]],
    [n.lon![n.to[a]], n.lat![n.to[a]]],
  ];
  for (let a = 0; a < baseNet.linkCount; a++) {
    links.fromId[a] = baseNet.nodeId[baseNet.from[a]];
    links.toId[a] = baseNet.nodeId[baseNet.to[a]];
    links.lengthKm[a] = lb.lengthKm[a];
    links.status.push(scenOf[a] >= 0 ? 'open' : 'closed');
    fill(links.baseline, a, lb, a);
    if (scenOf[a] >= 0) fill(links.scenario, a, ls, scenOf[a]);
    if (options.linkShapes) shapes.push(options.linkShapes[a]);
    else if (coords) shapes.push(straight(baseNet, a));
  }
  added.forEach((a, k) => {
    const row = baseNet.linkCount + k;
    links.fromId[row] = net.nodeId[net.from[a]];
    links.toId[row] = net.nodeId[net.to[a]];
    links.lengthKm[row] = ls.lengthKm[a];
    links.status.push('added');
    fill(links.scenario, row, ls, a);
    if (coords) shapes.push(straight(net, a));
  });
  if (shapes.length === rows) links.shapes = shapes;

  let districts: ScenarioComparison['districts'] = null;
  if (options.districts) {
    if (!links.shapes) {
      return {
        ok: false,
        errors: ['districts: the network has no node coordinates or link shapes to place links in districts'],
      };
    }
    const ds = options.districts;
    const vulnerability = vulnerabilityIndex(ds.districts, ds.indicators);
    const attr = attributeLinks(ds.districts, links.shapes);
    const impact = socialImpact(ds.districts, vulnerability.index, attr, links.baseline, links.scenario, {
      measure: ds.measure,
      threshold: ds.threshold,
    });
    districts = { impacts: impact.districts, summary: impact.summary, vulnerability };
  }

  const lost = new Set(scenResult.unreachable.map((u) => u.origin * s.demand.zoneCount + u.destination));
  const pairs = new Int32Array(s.demand.zoneCount);
  const lostPairs = new Int32Array(s.demand.zoneCount);
  for (let o = 0; o < s.demand.zoneCount; o++) {
    for (let e = s.demand.start[o]; e < s.demand.start[o + 1]; e++) {
      const d = s.demand.dest[e];
      const gone = lost.has(o * s.demand.zoneCount + d) ? 1 : 0;
      pairs[o]++;
      pairs[d]++;
      lostPairs[o] += gone;
      lostPairs[d] += gone;
    }
  }
  const cutOffZones: number[] = [];
  for (let z = 0; z < s.demand.zoneCount; z++)
    if (pairs[z] > 0 && lostPairs[z] === pairs[z]) cutOffZones.push(net.nodeId[z]);
  const ids = (n: Network, list: AssignmentResult['unreachable']) =>
    list.map((u) => ({ origin: n.nodeId[u.origin], destination: n.nodeId[u.destination], trips: u.trips }));
  return {
    ok: true,
    value: {
      name: doc.name,
      changes: s.changes,
      fleet: {
        baseline: fleetBase.name,
        scenario: fleetScen.name,
        evShareBaseline: fleetBase.electricShare,
        evShareScenario: fleetScen.electricShare,
      },
      baseline: totals(lb, demand, baseNet.toll),
      scenario: totals(ls, s.demand, s.tollMoney),
      links,
      unreachable: ids(net, scenResult.unreachable),
      cutOffZones,
      unreachableBaseline: ids(baseNet, baseResult.unreachable),
      districts,
    },
  };
}
