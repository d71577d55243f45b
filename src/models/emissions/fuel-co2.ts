/**
 * Tailpipe CO2 from energy consumption: CO2 [g/km] = EC [MJ/km] × carbon factor [g/MJ]. The
 * factors are the default road-transport CO2 emission factors of the 2006 IPCC Guidelines for
 * National Greenhouse Gas Inventories, Vol. 2 Energy, Ch. 3 Mobile Combustion, Table 3.2.1, per
 * net calorific value, which matches the EEA's EC (guidebook 2019, 1.A.3.b, section 3.4.2: CO2
 * follows from fuel consumption and the fuel's carbon content).
 */
import { columnIndex, EmissionDataError, parseCsv } from './csv.ts';

export interface FuelCo2Factor {
  fuel: string;
  co2GPerMJ: number;
  /** Biogenic CO2 (biodiesel) is not counted as fossil tailpipe CO2 (IPCC 2006, Vol. 2, 3.2.1.1). */
  biogenic: boolean;
}

/** Factors by EEA fuel label ("Petrol", "Petrol Hybrid", "LPG Bifuel ~ LPG", ...). */
export type FuelCo2Factors = Map<string, FuelCo2Factor>;

/**
 * Parses `fuel_co2_factors.csv` (columns fuel, co2_g_per_MJ, biogenic, applies_to_eea_fuel; the
 * last one a `;`-separated list of EEA fuel labels, each possibly followed by a remark).
 *
 * @example parseFuelCo2Factors(text).get('Diesel')?.co2GPerMJ // 74.1
 */
export function parseFuelCo2Factors(text: string, source = 'fuel CO2 factors'): FuelCo2Factors {
  const table = parseCsv(text, source);
  const c = columnIndex(table, ['fuel', 'co2_g_per_MJ', 'biogenic', 'applies_to_eea_fuel'], source);
  const out: FuelCo2Factors = new Map();
  for (const { fields, line } of table.rows) {
    const co2 = Number(fields[c.co2_g_per_MJ]);
    if (!Number.isFinite(co2) || co2 <= 0) {
      throw new EmissionDataError(`${source}: line ${line}: co2_g_per_MJ: expected a positive number`);
    }
    const factor: FuelCo2Factor = {
      fuel: fields[c.fuel].trim(),
      co2GPerMJ: co2,
      biogenic: fields[c.biogenic].trim() === 'yes',
    };
    for (const part of fields[c.applies_to_eea_fuel].split(';')) {
      const label = part.split(' (')[0].split(' - ')[0].trim();
      if (label === '') continue;
      if (out.has(label))
        throw new EmissionDataError(`${source}: line ${line}: fuel '${label}' listed twice`);
      out.set(label, factor);
    }
  }
  return out;
}
