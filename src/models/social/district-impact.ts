/**
 * Who gains, who loses: link results of a baseline and a scenario attributed to districts by the
 * length of each link inside them, compared per district as densities (per km² of the district,
 * so large and small districts compare), and summarised with residents and vulnerability weights.
 */
import type { District } from './districts.ts';
import { containsPoint, segmentLengthM } from './geometry.ts';
import { districtWeights } from './vulnerability.ts';

/** For each link, the districts it runs through and the share of its length in each (CSR). */
export interface LinkDistricts {
  /** Entries of link a are start[a] .. start[a+1]). */
  start: Int32Array;
  district: Int32Array;
  fraction: Float64Array;
}

/**
 * Straight-line link shapes from node coordinates (networks without link geometry, TNTP).
 *
 * @example straightLinkShapes([0], [1], [11.3, 11.4], [44.5, 44.5]) // [[[11.3, 44.5], [11.4, 44.5]]]
 */
export function straightLinkShapes(
  from: ArrayLike<number>,
  to: ArrayLike<number>,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
): number[][][] {
  const shapes: number[][][] = [];
  for (let a = 0; a < from.length; a++) {
    shapes.push([
      [lon[from[a]], lat[from[a]]],
      [lon[to[a]], lat[to[a]]],
    ]);
  }
  return shapes;
}

/**
 * Splits every link polyline into pieces of at most `pieceM` metres and gives each piece to the
 * district that holds its midpoint. With 25 m pieces the length shares are exact to ~25 m per
 * boundary crossing, far below the resolution of any district statistic; the share outside
 * every district is left out.
 *
 * @example attributeLinks(districts, shapes).fraction // length shares, per link summing to ≤ 1
 */
export function attributeLinks(
  districts: readonly District[],
  shapes: readonly number[][][],
  pieceM = 25,
): LinkDistricts {
  const start = new Int32Array(shapes.length + 1);
  const district: number[] = [];
  const fraction: number[] = [];
  const share = new Float64Array(districts.length);
  let last = 0;
  const locate = (lon: number, lat: number): number => {
    // Neighbouring pieces usually fall in the same district: test it first.
    if (containsPoint(districts[last].prepared, lon, lat)) return last;
    for (let d = 0; d < districts.length; d++) {
      if (d !== last && containsPoint(districts[d].prepared, lon, lat)) {
        last = d;
        return d;
      }
    }
    return -1;
  };
  for (let a = 0; a < shapes.length; a++) {
    const line = shapes[a];
    share.fill(0);
    let total = 0;
    for (let i = 0; i + 1 < line.length; i++) {
      const [x1, y1] = line[i];
      const [x2, y2] = line[i + 1];
      const len = segmentLengthM(x1, y1, x2, y2);
      total += len;
      const pieces = Math.max(1, Math.ceil(len / pieceM));
      for (let k = 0; k < pieces; k++) {
        const t = (k + 0.5) / pieces;
        const d = districts.length > 0 ? locate(x1 + t * (x2 - x1), y1 + t * (y2 - y1)) : -1;
        if (d >= 0) share[d] += len / pieces;
      }
    }
    if (total === 0 && line.length > 0 && districts.length > 0) {
      // A zero-length link (a connector drawn as a point) belongs wholly to where it sits.
      const d = locate(line[0][0], line[0][1]);
      if (d >= 0) {
        share[d] = 1;
        total = 1;
      }
    }
    for (let d = 0; d < districts.length; d++) {
      if (share[d] > 0) {
        district.push(d);
        fraction.push(share[d] / total);
      }
    }
    start[a + 1] = district.length;
  }
  return { start, district: Int32Array.from(district), fraction: Float64Array.from(fraction) };
}

/** Per-link quantities of one run, each for the same period. */
export interface LinkMeasures {
  vehicleKm: ArrayLike<number>;
  vehicleHours: ArrayLike<number>;
  co2G: ArrayLike<number>;
  noxG: ArrayLike<number>;
  pmG: ArrayLike<number>;
}

const MEASURES = ['vehicleKm', 'vehicleHours', 'co2G', 'noxG', 'pmG'] as const;
export type Measure = (typeof MEASURES)[number];
export type DistrictTotals = Record<Measure, number>;

/** Sums link measures into districts by length share. */
export function aggregateByDistrict(
  attr: LinkDistricts,
  districtCount: number,
  m: LinkMeasures,
): DistrictTotals[] {
  const out: DistrictTotals[] = Array.from({ length: districtCount }, () => ({
    vehicleKm: 0,
    vehicleHours: 0,
    co2G: 0,
    noxG: 0,
    pmG: 0,
  }));
  const links = attr.start.length - 1;
  for (const key of MEASURES) {
    if (m[key].length !== links)
      throw new RangeError(`${key} has ${m[key].length} links, the attribution ${links}`);
    const v = m[key];
    for (let a = 0; a < links; a++) {
      const x = v[a];
      if (x === 0) continue;
      for (let k = attr.start[a]; k < attr.start[a + 1]; k++)
        out[attr.district[k]][key] += x * attr.fraction[k];
    }
  }
  return out;
}

export type Verdict = 'gains' | 'loses' | 'unchanged';

export interface DistrictImpact {
  id: string;
  name: string;
  population: number | null;
  areaKm2: number;
  vulnerability: number;
  baseline: DistrictTotals;
  scenario: DistrictTotals;
  /** Traffic exposure: vehicle-km per km² of the district, baseline and scenario. */
  trafficDensityBase: number;
  trafficDensityScenario: number;
  /** Change per km² of the verdict measure (e.g. g NOx per km²). */
  burdenDensityChange: number;
  /** Relative change of the verdict measure; 0 when both are 0, Infinity from nothing. */
  burdenRelativeChange: number;
  verdict: Verdict;
}

export interface SocialSummary {
  /** What a district's weight is: residents, or area when populations are missing. */
  basis: 'population' | 'area';
  measure: Measure;
  districtsGaining: number;
  districtsLosing: number;
  /** Residents (or km²) in districts that gain / lose. */
  weightGaining: number;
  weightLosing: number;
  /** Residents-weighted mean change per km² of the verdict measure. */
  meanChange: number;
  /** The same, weighted also by vulnerability. */
  vulnerabilityWeightedChange: number;
  /**
   * vulnerabilityWeightedChange − meanChange: positive when the more vulnerable districts get
   * more of an increase or less of a decrease than the average resident (a regressive effect).
   */
  equityGap: number;
  /** Pearson correlation of vulnerability and relative change over districts; NaN if undefined. */
  correlation: number;
}

export interface SocialImpactOptions {
  /** The measure the verdict is about; NOx by default, the traffic pollutant of most local health concern (WHO 2021). */
  measure?: Measure;
  /** Relative change below which a district is "unchanged"; default 0.01. */
  threshold?: number;
}

/**
 * Compares baseline and scenario per district.
 *
 * @example socialImpact(districts, vuln.index, attr, baseLinks, scenLinks).summary.equityGap
 */
export function socialImpact(
  districts: readonly District[],
  vulnerability: ArrayLike<number>,
  attr: LinkDistricts,
  baseline: LinkMeasures,
  scenario: LinkMeasures,
  options: SocialImpactOptions = {},
): { districts: DistrictImpact[]; summary: SocialSummary } {
  const measure = options.measure ?? 'noxG';
  const threshold = options.threshold ?? 0.01;
  const base = aggregateByDistrict(attr, districts.length, baseline);
  const scen = aggregateByDistrict(attr, districts.length, scenario);
  const { weights, basis } = districtWeights(districts);
  const impacts = districts.map((d, i): DistrictImpact => {
    const b = base[i][measure];
    const s = scen[i][measure];
    const rel = b > 0 ? (s - b) / b : s > 0 ? Number.POSITIVE_INFINITY : 0;
    const area = d.areaKm2 > 0 ? d.areaKm2 : Number.NaN;
    return {
      id: d.id,
      name: d.name,
      population: d.population,
      areaKm2: d.areaKm2,
      vulnerability: vulnerability[i],
      baseline: base[i],
      scenario: scen[i],
      trafficDensityBase: base[i].vehicleKm / area,
      trafficDensityScenario: scen[i].vehicleKm / area,
      burdenDensityChange: (s - b) / area,
      burdenRelativeChange: rel,
      verdict: rel <= -threshold ? 'gains' : rel >= threshold ? 'loses' : 'unchanged',
    };
  });
  let w = 0;
  let wv = 0;
  let mean = 0;
  let vmean = 0;
  let gainW = 0;
  let loseW = 0;
  for (let i = 0; i < impacts.length; i++) {
    const c = impacts[i].burdenDensityChange;
    if (!Number.isFinite(c)) continue;
    w += weights[i];
    wv += weights[i] * vulnerability[i];
    mean += weights[i] * c;
    vmean += weights[i] * vulnerability[i] * c;
    if (impacts[i].verdict === 'gains') gainW += weights[i];
    if (impacts[i].verdict === 'loses') loseW += weights[i];
  }
  mean = w > 0 ? mean / w : 0;
  vmean = wv > 0 ? vmean / wv : 0;
  return {
    districts: impacts,
    summary: {
      basis,
      measure,
      districtsGaining: impacts.filter((d) => d.verdict === 'gains').length,
      districtsLosing: impacts.filter((d) => d.verdict === 'loses').length,
      weightGaining: gainW,
      weightLosing: loseW,
      meanChange: mean,
      vulnerabilityWeightedChange: vmean,
      equityGap: vmean - mean,
      correlation: pearson(
        impacts.map((d) => d.vulnerability),
        impacts.map((d) => d.burdenRelativeChange),
      ),
    },
  };
}

function pearson(x: number[], y: number[]): number {
  const pairs = x.map((xi, i) => [xi, y[i]]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const n = pairs.length;
  if (n < 3) return Number.NaN;
  const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
  const my = pairs.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [a, b] of pairs) {
    sxy += (a - mx) * (b - my);
    sxx += (a - mx) ** 2;
    syy += (b - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}
