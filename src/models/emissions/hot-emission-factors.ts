/**
 * Hot exhaust emission factors of the EMEP/EEA air pollutant emission inventory guidebook 2019,
 * 1.A.3.b.i-iv Road transport, Tier 3 (the COPERT 5 speed curves), Appendix 4 sheet
 * HOT_EMISSIONS_PARAMETERS. One curve per vehicle class, pollutant and, where the source splits
 * them, road mode, slope and load.
 */
import { columnIndex, EmissionDataError, parseCsv } from './csv.ts';

/** The pollutants of the EEA sheet; `EC` is energy consumption in MJ/km, the rest g/km. */
export type Pollutant = 'CO' | 'NOx' | 'VOC' | 'PM Exhaust' | 'EC' | 'CH4' | 'NH3' | 'N2O';

/**
 * Road modes of the sheet. Most curves have none (one speed curve for every road); the
 * mode-specific rows are mostly constants (guidebook 2019, 1.A.3.b, section 3.4.1).
 */
export type RoadMode = 'Urban Peak' | 'Urban Off Peak' | 'Rural' | 'Highway';

/** A vehicle class with the EEA labels, verbatim. */
export interface VehicleClass {
  category: string;
  fuel: string;
  segment: string;
  euroStandard: string;
  /** GDI, PFI, DPF, DPF+SCR, ...; '' when the source does not differentiate. */
  technology: string;
}

export interface HotEmissionCurve extends VehicleClass {
  pollutant: string;
  mode: RoadMode | '';
  /** Gradient as a fraction; null for light vehicles. */
  roadSlope: number | null;
  /** 0, 0.5 or 1 of the payload; null for light vehicles. */
  load: number | null;
  /** Valid speed range; NaN where the source gives none (PC 2-stroke). */
  minSpeedKmh: number;
  maxSpeedKmh: number;
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
  epsilon: number;
  zita: number;
  hta: number;
  /** A fraction (not a percentage, despite the xlsx header). */
  reductionFactor: number;
  unit: string;
  /** False when the denominator is identically zero (some bus NH3/N2O/CH4 rows): no factor. */
  hasFactor: boolean;
}

export interface HotEmissionTable {
  curves: HotEmissionCurve[];
  byKey: Map<string, HotEmissionCurve>;
}

export interface CurveSelector {
  mode?: RoadMode;
  roadSlope?: number;
  load?: number;
}

const COLUMNS = [
  'Category',
  'Fuel',
  'Segment',
  'EuroStandard',
  'Technology',
  'Pollutant',
  'Mode',
  'RoadSlope',
  'Load',
  'MinSpeed_kmh',
  'MaxSpeed_kmh',
  'Alpha',
  'Beta',
  'Gamma',
  'Delta',
  'Epsilon',
  'Zita',
  'Hta',
  'ReductionFactor',
  'Unit',
] as const;

const MODES = new Set(['', 'Urban Peak', 'Urban Off Peak', 'Rural', 'Highway']);

function curveKey(
  cls: VehicleClass,
  pollutant: string,
  mode: string,
  slope: number | null,
  load: number | null,
) {
  return [
    cls.category,
    cls.fuel,
    cls.segment,
    cls.euroStandard,
    cls.technology,
    pollutant,
    mode,
    slope ?? '',
    load ?? '',
  ].join('|');
}

/**
 * Parses the EEA table (the columns of `../shared/data/emissions/eea2019_hot_ef_*.csv` and of
 * `data/emissions/eea2019_hot_ef_subset.csv`). Several texts may be concatenated by calling this
 * once per file and merging with {@link mergeTables}.
 *
 * @example parseHotEmissionTable(csvText).curves.length // 2233 for the shipped subset
 */
export function parseHotEmissionTable(text: string, source = 'hot emission table'): HotEmissionTable {
  const table = parseCsv(text, source);
  const c = columnIndex(table, COLUMNS, source);
  const curves: HotEmissionCurve[] = [];
  const byKey = new Map<string, HotEmissionCurve>();
  for (const { fields, line } of table.rows) {
    const num = (name: string, optional: boolean): number => {
      const raw = fields[c[name]].trim();
      if (raw === '') {
        if (optional) return Number.NaN;
        throw new EmissionDataError(`${source}: line ${line}: ${name} is empty`);
      }
      const v = Number(raw);
      if (!Number.isFinite(v))
        throw new EmissionDataError(`${source}: line ${line}: ${name}: not a number: '${raw}'`);
      return v;
    };
    const mode = fields[c.Mode].trim();
    if (!MODES.has(mode)) throw new EmissionDataError(`${source}: line ${line}: unknown Mode '${mode}'`);
    const slope = num('RoadSlope', true);
    const load = num('Load', true);
    const curve: HotEmissionCurve = {
      category: fields[c.Category].trim(),
      fuel: fields[c.Fuel].trim(),
      segment: fields[c.Segment].trim(),
      euroStandard: fields[c.EuroStandard].trim(),
      technology: fields[c.Technology].trim(),
      pollutant: fields[c.Pollutant].trim(),
      mode: mode as RoadMode | '',
      roadSlope: Number.isNaN(slope) ? null : slope,
      load: Number.isNaN(load) ? null : load,
      minSpeedKmh: num('MinSpeed_kmh', true),
      maxSpeedKmh: num('MaxSpeed_kmh', true),
      alpha: num('Alpha', false),
      beta: num('Beta', false),
      gamma: num('Gamma', false),
      delta: num('Delta', false),
      epsilon: num('Epsilon', false),
      zita: num('Zita', false),
      hta: num('Hta', false),
      reductionFactor: num('ReductionFactor', false),
      unit: fields[c.Unit].trim(),
      hasFactor: true,
    };
    curve.hasFactor = !(curve.epsilon === 0 && curve.zita === 0 && curve.hta === 0);
    const key = curveKey(curve, curve.pollutant, curve.mode, curve.roadSlope, curve.load);
    if (byKey.has(key)) throw new EmissionDataError(`${source}: line ${line}: duplicate curve ${key}`);
    byKey.set(key, curve);
    curves.push(curve);
  }
  return { curves, byKey };
}

/** One table from several (the light and heavy vehicle files); a key present twice is an error. */
export function mergeTables(...tables: HotEmissionTable[]): HotEmissionTable {
  const curves: HotEmissionCurve[] = [];
  const byKey = new Map<string, HotEmissionCurve>();
  for (const t of tables) {
    for (const [key, curve] of t.byKey) {
      if (byKey.has(key)) throw new EmissionDataError(`duplicate curve ${key} across tables`);
      byKey.set(key, curve);
      curves.push(curve);
    }
  }
  return { curves, byKey };
}

/**
 * The curve of a class and pollutant. A curve without road mode wins; otherwise the row of the
 * requested mode is taken, since the sheet gives some pollutants (PM of older petrol cars, EC of
 * conventional LPG cars) per road mode only. Heavy vehicles default to the guidebook's
 * defaults, slope 0 and load 0.5 (guidebook 2019, 1.A.3.b, Tier 3 HDV notes).
 */
export function findCurve(
  table: HotEmissionTable,
  cls: VehicleClass,
  pollutant: Pollutant | string,
  selector: CurveSelector = {},
): HotEmissionCurve | undefined {
  const heavy = cls.category === 'Heavy Duty Trucks' || cls.category === 'Buses';
  const slope = heavy ? (selector.roadSlope ?? 0) : null;
  const load = heavy ? (selector.load ?? 0.5) : null;
  return (
    table.byKey.get(curveKey(cls, pollutant, '', slope, load)) ??
    (selector.mode ? table.byKey.get(curveKey(cls, pollutant, selector.mode, slope, load)) : undefined)
  );
}

/**
 * EF(V) = (αV² + βV + γ + δ/V) / (εV² + ζV + η) × (1 − RF), V clamped to the curve's valid range
 * (guidebook 2019, 1.A.3.b, Appendix 4). The result is clamped at 0 because a few heavy-vehicle
 * curves dip below zero at extreme slopes; NaN when the source has no factor.
 *
 * @example hotEmissionFactor(curve, 50) // 0.5368 g/km for PC diesel Medium Euro 5 DPF NOx
 */
export function hotEmissionFactor(curve: HotEmissionCurve, speedKmh: number): number {
  if (!curve.hasFactor) return Number.NaN;
  let v = speedKmh;
  if (v < curve.minSpeedKmh) v = curve.minSpeedKmh;
  if (v > curve.maxSpeedKmh) v = curve.maxSpeedKmh;
  const num = (curve.alpha * v + curve.beta) * v + curve.gamma + curve.delta / v;
  const den = (curve.epsilon * v + curve.zita) * v + curve.hta;
  const ef = (num / den) * (1 - curve.reductionFactor);
  return Math.max(ef, 0);
}
