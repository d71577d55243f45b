import { area as turfArea } from '@turf/turf';
import { contextFor } from '../contexts.ts';
import {
  csvText,
  type Feature,
  featureCollection,
  type MappedDataset,
  type MappingInput,
  num,
  type TemporalRow,
  text,
} from '../mapping.ts';
import {
  entityId,
  type Geometry,
  geoProperty,
  type NormalizedEntity,
  property,
  relationship,
} from '../normalized.ts';
import { parseCsvRecords } from '../parse-csv.ts';

const TYPE = 'AdministrativeArea';

interface Indicator {
  attribute: string;
  unitCode?: string;
  /** Counts add up from Ortsteile to Stadtbezirke and city; ratios and means do not. */
  additive: boolean;
}

/** Indicators of the Leipzig statistics office (`kdvalues`) and the attribute each becomes. */
const INDICATORS: Record<string, Indicator> = {
  'Einwohner insgesamt': { attribute: 'population', additive: true },
  Männer: { attribute: 'populationMale', additive: true },
  Frauen: { attribute: 'populationFemale', additive: true },
  Deutsche: { attribute: 'populationGerman', additive: true },
  Ausländer: { attribute: 'populationForeign', additive: true },
  // Under-15s per 100 inhabitants aged 15 to 64 (Leipzig's definition of Jugendquote).
  Jugendquote: { attribute: 'populationYouthRatio', additive: false },
  // Inhabitants aged 65+ per 100 aged 15 to 64.
  Altenquote: { attribute: 'populationOldAgeRatio', additive: false },
  Durchschnittsalter: { attribute: 'populationMeanAge', unitCode: 'ANN', additive: false },
  // Inhabitants per km².
  Einwohnerdichte: { attribute: 'populationDensity', additive: false },
  PKW: { attribute: 'vehiclesCars', additive: true },
  'Privat-PKW': { attribute: 'vehiclesPrivateCars', additive: true },
  'Privat-PKW je 1 000 Einwohner': { attribute: 'vehiclesPrivateCarsPer1000', additive: false },
  'Kraftfahrzeuge insgesamt': { attribute: 'vehiclesTotal', additive: true },
  'mit Elektromotor': { attribute: 'vehiclesElectric', additive: true },
  'mit Hybridantrieb': { attribute: 'vehiclesHybrid', additive: true },
  Gesamtfläche: { attribute: 'landUseTotal', unitCode: 'HAR', additive: true },
  'Gebäude- und Freifläche': { attribute: 'landUseBuildingAndOpen', unitCode: 'HAR', additive: true },
  Wohnbaufläche: { attribute: 'landUseResidential', unitCode: 'HAR', additive: true },
  'Industrie- und Gewerbefläche': {
    attribute: 'landUseIndustrialCommercial',
    unitCode: 'HAR',
    additive: true,
  },
  Verkehrsfläche: { attribute: 'landUseTransport', unitCode: 'HAR', additive: true },
  Erholungsfläche: { attribute: 'landUseRecreation', unitCode: 'HAR', additive: true },
  Landwirtschaftsfläche: { attribute: 'landUseAgriculture', unitCode: 'HAR', additive: true },
  Waldfläche: { attribute: 'landUseForest', unitCode: 'HAR', additive: true },
  Wasserfläche: { attribute: 'landUseWater', unitCode: 'HAR', additive: true },
};

/** Installed renewable capacity per carrier (kW, from MaStR via LocalZero) on the city entity. */
const CAPACITY_COLUMNS: Record<string, string> = {
  pv: 'installedCapacityPv',
  wind_on: 'installedCapacityWindOnshore',
  biomass: 'installedCapacityBiomass',
  water: 'installedCapacityHydro',
};

/** Leipzig statistics are stock figures on 31 December of each year. */
export function yearEnd(year: number | string): string {
  return `${year}-12-31T00:00:00Z`;
}

/**
 * Leipzig: the city, its 10 Stadtbezirke and 63 Ortsteile as AdministrativeArea entities. Each
 * entity holds the latest year of every indicator; all years go to the history. Stadtbezirk and
 * city counts are sums over their Ortsteile for years in which every Ortsteil reports.
 */
export function mapLeipzigDistricts(input: MappingInput): MappedDataset {
  const city = input.city;
  const ortsteile = featureCollection(input, 'ortsteile').features;
  const bezirke = featureCollection(input, 'stadtbezirke').features;
  const boundary = featureCollection(input, 'city').features[0];
  const stats = parseCsvRecords(csvText(input, 'stats'));

  const cityCode = text(boundary.properties, 'ags') ?? 'city';
  const cityId = entityId(TYPE, city, cityCode);
  const bezirkId = (nr: string) => entityId(TYPE, city, `stadtbezirk-${nr}`);
  const ortsteilId = (nr: string) => entityId(TYPE, city, `ortsteil-${nr}`);
  const bezirkOf = new Map<string, string>();
  for (const f of ortsteile) bezirkOf.set(String(f.properties.ot_nr), String(f.properties.sbz_nr));

  const history: TemporalRow[] = [];
  // value[entityId][attribute][year]
  const series = new Map<string, Map<string, Map<number, number>>>();
  const put = (id: string, attribute: string, year: number, value: number) => {
    let byAttr = series.get(id);
    if (!byAttr) {
      byAttr = new Map();
      series.set(id, byAttr);
    }
    let byYear = byAttr.get(attribute);
    if (!byYear) {
      byYear = new Map();
      byAttr.set(attribute, byYear);
    }
    byYear.set(year, (byYear.get(year) ?? 0) + value);
  };
  // Counts of Ortsteile reporting an additive indicator per (Stadtbezirk|city, attribute, year).
  const reporting = new Map<string, number>();
  const additive = new Set<string>();
  const units = new Map<string, string>();
  for (const r of stats) {
    const ind = INDICATORS[r.indicator];
    const value = num(r.value);
    const year = Number(r.year);
    if (!ind || value === undefined || !bezirkOf.has(r.ot_nr)) continue;
    if (ind.unitCode) units.set(ind.attribute, ind.unitCode);
    put(ortsteilId(r.ot_nr), ind.attribute, year, value);
    if (!ind.additive) continue;
    additive.add(ind.attribute);
    for (const parent of [bezirkId(bezirkOf.get(r.ot_nr)!), cityId]) {
      put(parent, ind.attribute, year, value);
      const key = `${parent}|${ind.attribute}|${year}`;
      reporting.set(key, (reporting.get(key) ?? 0) + 1);
    }
  }
  const members = new Map<string, number>([[cityId, ortsteile.length]]);
  for (const nr of bezirkOf.values()) members.set(bezirkId(nr), (members.get(bezirkId(nr)) ?? 0) + 1);
  // Drop parent sums for years in which an Ortsteil is missing: a partial sum would look like a drop.
  for (const [id, n] of members) {
    for (const [attribute, byYear] of series.get(id) ?? []) {
      for (const year of [...byYear.keys()]) {
        if (reporting.get(`${id}|${attribute}|${year}`) !== n) byYear.delete(year);
      }
    }
  }

  const entity = (id: string, f: Feature, name: string, level: string, code: string, parent?: string) => {
    const e: NormalizedEntity = {
      id,
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(name),
      administrativeLevel: property(level),
      officialCode: property(code),
      location: geoProperty(f.geometry as Geometry),
      area: property(Math.round(turfArea(f as Parameters<typeof turfArea>[0])), { unitCode: 'MTK' }),
      address: property({ addressLocality: 'Leipzig', addressCountry: 'DE' }),
    };
    if (parent) e.refParentArea = relationship(parent);
    for (const [attribute, byYear] of series.get(id) ?? []) {
      const years = [...byYear.keys()].sort((a, b) => a - b);
      if (years.length === 0) continue;
      const unitCode = units.get(attribute);
      const last = years[years.length - 1];
      e[attribute] = property(byYear.get(last), {
        observedAt: yearEnd(last),
        ...(unitCode ? { unitCode } : {}),
        ...(id !== ortsteilId(code) && additive.has(attribute)
          ? { sub: { description: property('sum over the Ortsteile of this area') } }
          : {}),
      });
      for (const year of years) {
        history.push({
          entityId: id,
          entityType: TYPE,
          attribute,
          observedAt: yearEnd(year),
          value: byYear.get(year)!,
          ...(unitCode ? { unitCode } : {}),
        });
      }
    }
    return e;
  };

  const entities: NormalizedEntity[] = [];
  const cityEntity = entity(
    cityId,
    boundary,
    text(boundary.properties, 'name') ?? 'Leipzig',
    'city',
    cityCode,
  );
  const capacity = input.files.reCapacity;
  if (typeof capacity === 'string') {
    const rows = parseCsvRecords(capacity).filter((r) => r.ags === cityCode);
    rows.sort((a, b) => Number(a.year) - Number(b.year));
    for (const r of rows) {
      for (const [column, attribute] of Object.entries(CAPACITY_COLUMNS)) {
        const kw = num(r[column]);
        if (kw === undefined) continue;
        const observedAt = yearEnd(r.year);
        cityEntity[attribute] = property(kw, { observedAt, unitCode: 'KWT' });
        history.push({
          entityId: cityId,
          entityType: TYPE,
          attribute,
          observedAt,
          value: kw,
          unitCode: 'KWT',
        });
      }
    }
  }
  entities.push(cityEntity);
  for (const f of bezirke) {
    const nr = String(f.properties.sbz_nr);
    entities.push(entity(bezirkId(nr), f, String(f.properties.stadtbezirk), 'borough', nr, cityId));
  }
  for (const f of ortsteile) {
    const nr = String(f.properties.ot_nr);
    entities.push(
      entity(ortsteilId(nr), f, String(f.properties.ortsteil), 'district', nr, bezirkId(bezirkOf.get(nr)!)),
    );
  }
  return { entities, history };
}
