/**
 * A fleet's hot emission factors as one function of speed and road type, and the emissions of
 * every link of an assigned network: E = flow × length × EF(v), the Tier 3 form of the
 * guidebook (EMEP/EEA 2019, 1.A.3.b, eq. for hot emissions E_hot = N × M × e_hot(v)) with the
 * link's congested speed for v.
 */
import { EmissionDataError } from './csv.ts';
import { classLabel, type FleetMix } from './fleet.ts';
import type { FuelCo2Factors } from './fuel-co2.ts';
import {
  findCurve,
  type HotEmissionCurve,
  type HotEmissionTable,
  hotEmissionFactor,
  type RoadMode,
} from './hot-emission-factors.ts';

/** Road types in the order of the codes used in typed arrays: 0 urban, 1 rural, 2 highway. */
export const ROAD_TYPES = ['urban', 'rural', 'highway'] as const;
export type RoadType = (typeof ROAD_TYPES)[number];

/**
 * Default road type from free-flow speed, for networks that do not say: urban up to 60 km/h
 * (50 km/h limits plus signalised arterials), rural up to 100 km/h (German and Italian limits
 * outside built-up areas), highway above. The EEA road modes are defined by location, not speed,
 * so a network that knows the location should pass it instead.
 */
export function roadTypeFromSpeed(freeFlowKmh: number): number {
  if (freeFlowKmh <= 60) return 0;
  if (freeFlowKmh <= 100) return 1;
  return 2;
}

export interface EmissionModelOptions {
  /** Which urban row to use for mode-specific curves; peak by default (assignment periods are peaks). */
  urban?: 'Urban Peak' | 'Urban Off Peak';
  /** Heavy vehicles: gradient (fraction) and load (0, 0.5, 1); guidebook defaults 0 and 0.5. */
  roadSlope?: number;
  load?: number;
}

/** Fleet-average hot emission factors at one speed and road type. */
export interface EmissionFactors {
  ecMJPerKm: number;
  co2GPerKm: number;
  noxGPerKm: number;
  pmGPerKm: number;
}

interface Term {
  curve: HotEmissionCurve;
  /** share × unit factor (g CO2/MJ for the CO2 term). */
  weight: number;
}

export interface FleetEmissionModel {
  fleet: FleetMix;
  /** terms[pollutant][roadType]. */
  terms: { ec: Term[][]; co2: Term[][]; nox: Term[][]; pm: Term[][] };
}

const MODES_BY_ROAD: readonly RoadMode[][] = [['Urban Peak', 'Urban Off Peak'], ['Rural'], ['Highway']];

/**
 * Binds a fleet to its curves once, checking every class has an EC, NOx and PM curve on every
 * road type and a fuel CO2 factor, so evaluation in the loop cannot fail.
 *
 * @example compileFleetModel(table, fuels, fleet).terms.nox[0].length // classes with NOx
 */
export function compileFleetModel(
  table: HotEmissionTable,
  fuels: FuelCo2Factors,
  fleet: FleetMix,
  options: EmissionModelOptions = {},
): FleetEmissionModel {
  const urban = options.urban ?? 'Urban Peak';
  const missing: string[] = [];
  const terms: FleetEmissionModel['terms'] = {
    ec: [[], [], []],
    co2: [[], [], []],
    nox: [[], [], []],
    pm: [[], [], []],
  };
  for (const cls of fleet.classes) {
    if (cls.share === 0) continue;
    const fuel = fuels.get(cls.fuel);
    if (!fuel) missing.push(`${classLabel(cls)}: no CO2 factor for fuel '${cls.fuel}'`);
    for (let r = 0; r < 3; r++) {
      const mode = r === 0 ? urban : MODES_BY_ROAD[r][0];
      const pick = (pollutant: string) => {
        const selector = { mode, roadSlope: options.roadSlope, load: options.load };
        const proxy = cls.proxies?.find((p) => p.pollutant === pollutant);
        const curve = findCurve(table, proxy ? proxy.vehicleClass : cls, pollutant, selector);
        if (!curve?.hasFactor) missing.push(`${classLabel(cls)}: no ${pollutant} curve for ${mode}`);
        return curve;
      };
      const ec = pick('EC');
      const nox = pick('NOx');
      const pm = pick('PM Exhaust');
      if (ec) {
        terms.ec[r].push({ curve: ec, weight: cls.share });
        // Biogenic CO2 is reported apart from fossil CO2 (IPCC 2006, Vol. 2, 3.2.1.1), so it adds nothing here.
        if (fuel && !fuel.biogenic) terms.co2[r].push({ curve: ec, weight: cls.share * fuel.co2GPerMJ });
      }
      if (nox) terms.nox[r].push({ curve: nox, weight: cls.share });
      if (pm) terms.pm[r].push({ curve: pm, weight: cls.share });
    }
  }
  if (missing.length > 0) {
    const unique = [...new Set(missing)];
    throw new EmissionDataError(
      `fleet '${fleet.name}': ${unique.length} missing factor(s): ${unique.slice(0, 5).join('; ')}${unique.length > 5 ? '; ...' : ''}`,
    );
  }
  return { fleet, terms };
}

function sum(terms: Term[], speedKmh: number): number {
  let s = 0;
  for (let i = 0; i < terms.length; i++) s += terms[i].weight * hotEmissionFactor(terms[i].curve, speedKmh);
  return s;
}

/**
 * Fleet-average factors at a speed on a road type (0 urban, 1 rural, 2 highway).
 *
 * @example fleetEmissionFactors(model, 50, 0).co2GPerKm // g CO2 per vehicle-km at 50 km/h in town
 */
export function fleetEmissionFactors(
  model: FleetEmissionModel,
  speedKmh: number,
  roadType: number,
): EmissionFactors {
  const t = model.terms;
  return {
    ecMJPerKm: sum(t.ec[roadType], speedKmh),
    co2GPerKm: sum(t.co2[roadType], speedKmh),
    noxGPerKm: sum(t.nox[roadType], speedKmh),
    pmGPerKm: sum(t.pm[roadType], speedKmh),
  };
}

export interface LinkTraffic {
  lengthKm: ArrayLike<number>;
  /** Congested (loaded) speed. */
  speedKmh: ArrayLike<number>;
  /** Vehicles in the period; emissions are per the same period. */
  flowVeh: ArrayLike<number>;
  /** 0 urban, 1 rural, 2 highway. */
  roadType: ArrayLike<number>;
}

export interface LinkEmissions {
  vehicleKm: Float64Array;
  ecMJ: Float64Array;
  co2G: Float64Array;
  noxG: Float64Array;
  pmG: Float64Array;
}

/**
 * Hot emissions per link for the period of the flows.
 *
 * @example linkEmissions(model, { lengthKm: [2], speedKmh: [50], flowVeh: [100], roadType: [0] }).co2G[0]
 */
export function linkEmissions(model: FleetEmissionModel, links: LinkTraffic): LinkEmissions {
  const n = links.lengthKm.length;
  if (links.speedKmh.length !== n || links.flowVeh.length !== n || links.roadType.length !== n) {
    throw new EmissionDataError(
      'linkEmissions: lengthKm, speedKmh, flowVeh and roadType must have the same length',
    );
  }
  const out: LinkEmissions = {
    vehicleKm: new Float64Array(n),
    ecMJ: new Float64Array(n),
    co2G: new Float64Array(n),
    noxG: new Float64Array(n),
    pmG: new Float64Array(n),
  };
  const t = model.terms;
  for (let a = 0; a < n; a++) {
    const vkm = links.flowVeh[a] * links.lengthKm[a];
    out.vehicleKm[a] = vkm;
    if (vkm === 0) continue;
    const r = links.roadType[a];
    if (r !== 0 && r !== 1 && r !== 2)
      throw new EmissionDataError(`linkEmissions: link ${a}: road type ${r} is not 0, 1 or 2`);
    const v = links.speedKmh[a];
    if (!(v > 0)) throw new EmissionDataError(`linkEmissions: link ${a}: speed ${v} km/h is not positive`);
    out.ecMJ[a] = vkm * sum(t.ec[r], v);
    out.co2G[a] = vkm * sum(t.co2[r], v);
    out.noxG[a] = vkm * sum(t.nox[r], v);
    out.pmG[a] = vkm * sum(t.pm[r], v);
  }
  return out;
}
