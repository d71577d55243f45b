/**
 * District statistics in the long format of the Leipzig open-data export
 * (`year,ot_nr,ortsteil,indicator,value`, Stadt Leipzig, Amt für Statistik und Wahlen,
 * dl-de/by-2-0), joined to districts for any year, so the vulnerability index is not tied to the
 * 2023 values a GeoJSON file happens to carry.
 */
import { parseCsv } from '../emissions/index.ts';
import { type District, DistrictFormatError } from './districts.ts';
import type { Indicator } from './vulnerability.ts';

/** The Leipzig indicators of {@link LEIPZIG_INDICATORS} under their names in the long export. */
export const LEIPZIG_STATISTICS_INDICATORS: readonly Indicator[] = [
  {
    property: 'Altenquote',
    direction: 1,
    reason: 'people 65+ per 100 aged 15-64 (WHO 2021: more sensitive to NO2 and PM)',
  },
  { property: 'Jugendquote', direction: 1, reason: 'children under 15 per 100 aged 15-64 (WHO 2021)' },
  {
    property: 'Einwohnerdichte',
    direction: 1,
    reason: 'residents per km²: more people next to each vehicle-km',
  },
  {
    property: 'Privat-PKW je 1 000 Einwohner',
    direction: -1,
    reason: 'few private cars: exposure without the benefit (Mitchell & Dorling 2003)',
  },
];

export interface JoinReport {
  districts: District[];
  /** Indicators found for the year. */
  indicators: string[];
  /** District ids with no row for the year. */
  unmatched: string[];
}

/**
 * Copies of the districts with every indicator of `year` added to their statistics (the key
 * column matched to the district id) and, where missing, the population from
 * `populationIndicator`.
 *
 * @example joinLongStatistics(districts, csv, { year: 2019 }).districts[0].statistics.Altenquote
 */
export function joinLongStatistics(
  districts: readonly District[],
  csv: string,
  options: { year: number; key?: string; populationIndicator?: string; source?: string },
): JoinReport {
  const source = options.source ?? 'statistics';
  const key = options.key ?? 'ot_nr';
  const popName = options.populationIndicator ?? 'Einwohner insgesamt';
  const table = parseCsv(csv, source);
  const col = (name: string) => {
    const i = table.header.indexOf(name);
    if (i < 0) throw new DistrictFormatError(`${source}: missing column ${name}`);
    return i;
  };
  const cYear = col('year');
  const cKey = col(key);
  const cInd = col('indicator');
  const cVal = col('value');
  const byId = new Map<string, Record<string, number>>();
  const indicators = new Set<string>();
  for (const { fields, line } of table.rows) {
    if (Number(fields[cYear]) !== options.year) continue;
    const raw = fields[cVal].trim();
    if (raw === '') continue;
    const v = Number(raw);
    if (!Number.isFinite(v))
      throw new DistrictFormatError(`${source}: line ${line}: value '${raw}' is not a number`);
    const id = fields[cKey];
    let stats = byId.get(id);
    if (!stats) {
      stats = {};
      byId.set(id, stats);
    }
    stats[fields[cInd]] = v;
    indicators.add(fields[cInd]);
  }
  if (byId.size === 0) throw new DistrictFormatError(`${source}: no rows for year ${options.year}`);
  const unmatched: string[] = [];
  const joined = districts.map((d) => {
    const stats = byId.get(d.id);
    if (!stats) {
      unmatched.push(d.id);
      return d;
    }
    const population = d.population ?? stats[popName] ?? null;
    return { ...d, population, statistics: { ...d.statistics, ...stats } };
  });
  return { districts: joined, indicators: [...indicators].sort(), unmatched };
}
