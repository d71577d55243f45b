/**
 * Fleet mix: the share of vehicle-km driven by each EEA vehicle class. Battery-electric vehicles
 * have no hot exhaust emissions (guidebook 2019, 1.A.3.b: hot emissions are tailpipe emissions),
 * so they are one share without a curve.
 */
import { columnIndex, EmissionDataError, parseCsv } from './csv.ts';
import type { VehicleClass } from './hot-emission-factors.ts';

export interface FleetClass extends VehicleClass {
  /** Share of the vehicle-km, 0..1. */
  share: number;
  /**
   * Classes whose curve stands in for a pollutant the source has no curve for (PM of petrol
   * hybrids), each one stated in the fleet's mapping table.
   */
  proxies?: { pollutant: string; vehicleClass: VehicleClass }[];
}

export interface FleetMix {
  name: string;
  /** Share of battery-electric vehicles, 0..1: zero hot exhaust emissions. */
  electricShare: number;
  /** Combustion classes; their shares sum to 1 − electricShare. */
  classes: FleetClass[];
}

const SHARE_TOLERANCE = 1e-9;

/** Throws when shares are out of range or do not add up to 1. */
export function checkFleet(fleet: FleetMix): FleetMix {
  const { electricShare } = fleet;
  if (!(electricShare >= 0 && electricShare <= 1)) {
    throw new EmissionDataError(
      `fleet '${fleet.name}': electricShare must be in [0, 1], got ${electricShare}`,
    );
  }
  let sum = electricShare;
  for (const c of fleet.classes) {
    if (!(c.share >= 0 && c.share <= 1)) {
      throw new EmissionDataError(
        `fleet '${fleet.name}': share of ${classLabel(c)} must be in [0, 1], got ${c.share}`,
      );
    }
    sum += c.share;
  }
  if (Math.abs(sum - 1) > SHARE_TOLERANCE) {
    throw new EmissionDataError(`fleet '${fleet.name}': shares sum to ${sum}, expected 1`);
  }
  return fleet;
}

export function classLabel(c: VehicleClass): string {
  return [c.category, c.fuel, c.segment, c.euroStandard, c.technology].filter((s) => s !== '').join(' / ');
}

/**
 * The fleet with another battery-electric share. Electric vehicles replace combustion vehicles
 * in proportion, so every combustion class keeps its share of the combustion fleet and hot
 * exhaust emissions scale by (1 − evShare) / (1 − fleet.electricShare) at equal traffic.
 *
 * @example withEvShare(fleet, 0.3).electricShare // 0.3
 */
export function withEvShare(fleet: FleetMix, evShare: number): FleetMix {
  if (!(evShare >= 0 && evShare <= 1))
    throw new EmissionDataError(`evShare must be in [0, 1], got ${evShare}`);
  const combustion = 1 - fleet.electricShare;
  if (combustion <= 0 && evShare < 1) {
    throw new EmissionDataError(
      `fleet '${fleet.name}' has no combustion vehicles to scale to an EV share of ${evShare}`,
    );
  }
  const scale = combustion > 0 ? (1 - evShare) / combustion : 0;
  return {
    name: `${fleet.name}, EV share ${evShare}`,
    electricShare: evShare,
    classes: fleet.classes.map((c) => ({ ...c, share: c.share * scale })),
  };
}

interface MappingRow {
  kbaFuel: string;
  kbaEuro: string;
  vehicleClass: VehicleClass;
  pmProxyFuel: string;
}

const KBA_FUELS = ['Benzin', 'Diesel', 'Gas', 'Hybrid'] as const;
const KBA_EURO = ['Euro 1', 'Euro 2', 'Euro 3', 'Euro 4', 'Euro 5', 'Euro 6'] as const;

function parseMapping(text: string): Map<string, MappingRow> {
  const source = 'kba_fleet_mapping.csv';
  const table = parseCsv(text, source);
  const cols = [
    'kba_fuel',
    'kba_euro',
    'Category',
    'Fuel',
    'Segment',
    'EuroStandard',
    'Technology',
    'PmProxyFuel',
  ];
  const c = columnIndex(table, cols, source);
  const out = new Map<string, MappingRow>();
  for (const { fields } of table.rows) {
    const row: MappingRow = {
      kbaFuel: fields[c.kba_fuel],
      kbaEuro: fields[c.kba_euro],
      vehicleClass: {
        category: fields[c.Category],
        fuel: fields[c.Fuel],
        segment: fields[c.Segment],
        euroStandard: fields[c.EuroStandard],
        technology: fields[c.Technology],
      },
      pmProxyFuel: fields[c.PmProxyFuel],
    };
    out.set(`${row.kbaFuel}|${row.kbaEuro}`, row);
  }
  return out;
}

/**
 * The passenger-car fleet of a German registration district from the KBA stock table (FZ1,
 * counts by fuel and, separately, by Euro group) and the mapping of KBA groups to EEA classes.
 *
 * KBA publishes no fuel × Euro cross-table, so the Euro distribution is taken as independent of
 * the fuel: share(fuel, euro) = n_fuel / N × n_euro / N_euro. Vehicles of "other" fuel or "other"
 * emission group are left out and the rest renormalised. Stock shares stand in for vehicle-km
 * shares (diesel cars drive more per year, so diesel is under-weighted: see the README).
 *
 * @example fleetFromKbaStock(kbaCsv, '14713', mappingCsv).electricShare // 608 / 227,206 ≈ 0.0027 for Leipzig
 */
export function fleetFromKbaStock(kbaCsv: string, districtKey: string, mappingCsv: string): FleetMix {
  const source = 'KBA stock table';
  const table = parseCsv(kbaCsv, source);
  const c = columnIndex(table, ['KS', 'Zulassungsbezirk', ...KBA_FUELS, 'Elektro', ...KBA_EURO], source);
  const row = table.rows.find((r) => r.fields[c.KS] === districtKey);
  if (!row) throw new EmissionDataError(`${source}: no registration district with KS '${districtKey}'`);
  const count = (name: string): number => {
    const v = Number(row.fields[c[name]]);
    if (!Number.isFinite(v) || v < 0)
      throw new EmissionDataError(`${source}: line ${row.line}: ${name}: not a count`);
    return v;
  };
  const mapping = parseMapping(mappingCsv);
  const fuelCounts = KBA_FUELS.map(count);
  const electric = count('Elektro');
  const known = fuelCounts.reduce((a, b) => a + b, 0) + electric;
  const euroCounts = KBA_EURO.map(count);
  const euroTotal = euroCounts.reduce((a, b) => a + b, 0);
  if (known <= 0 || euroTotal <= 0)
    throw new EmissionDataError(`${source}: district ${districtKey} has no cars`);
  const merged = new Map<string, FleetClass>();
  KBA_FUELS.forEach((fuel, i) => {
    KBA_EURO.forEach((euro, j) => {
      const m = mapping.get(`${fuel}|${euro}`);
      if (!m) throw new EmissionDataError(`kba_fleet_mapping.csv: no row for ${fuel} ${euro}`);
      const share = (fuelCounts[i] / known) * (euroCounts[j] / euroTotal);
      const key = classLabel(m.vehicleClass);
      const prev = merged.get(key);
      if (prev) prev.share += share;
      else {
        const cls: FleetClass = { ...m.vehicleClass, share };
        if (m.pmProxyFuel !== '') {
          cls.proxies = [
            { pollutant: 'PM Exhaust', vehicleClass: { ...m.vehicleClass, fuel: m.pmProxyFuel } },
          ];
        }
        merged.set(key, cls);
      }
    });
  });
  return checkFleet({
    name: `KBA passenger cars ${row.fields[c.Zulassungsbezirk]} (KS ${districtKey}), 1 Jan 2019`,
    electricShare: electric / known,
    classes: [...merged.values()],
  });
}

/**
 * A fleet from a JSON document `{ "name", "electricShare", "classes": [{ "category", "fuel",
 * "segment", "euroStandard", "technology"?, "share" }] }` (EEA labels verbatim), for fleets the
 * KBA table does not describe: another country, or one with vans, lorries and buses.
 *
 * @example fleetFromJson({ name: 'diesel', electricShare: 0, classes: [{ ...dieselEuro5, share: 1 }] })
 */
export function fleetFromJson(doc: unknown, source = 'fleet'): FleetMix {
  const obj = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!obj(doc) || typeof doc.name !== 'string' || !Array.isArray(doc.classes)) {
    throw new EmissionDataError(
      `${source}: expected {"name": string, "electricShare": number, "classes": [...]}`,
    );
  }
  const electricShare = doc.electricShare ?? 0;
  if (typeof electricShare !== 'number')
    throw new EmissionDataError(`${source}: electricShare: expected a number`);
  const classes = doc.classes.map((c, i): FleetClass => {
    const at = `${source}: classes[${i}]`;
    if (!obj(c)) throw new EmissionDataError(`${at}: expected an object`);
    const text = (k: string, optional = false): string => {
      const v = c[k] ?? (optional ? '' : undefined);
      if (typeof v !== 'string')
        throw new EmissionDataError(`${at}.${k}: expected the EEA label as a string`);
      return v;
    };
    if (typeof c.share !== 'number') throw new EmissionDataError(`${at}.share: expected a number`);
    return {
      category: text('category'),
      fuel: text('fuel'),
      segment: text('segment'),
      euroStandard: text('euroStandard'),
      technology: text('technology', true),
      share: c.share,
    };
  });
  return checkFleet({ name: doc.name, electricShare, classes });
}
