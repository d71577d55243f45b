import { contextFor } from '../contexts.ts';
import { fixedOffsetToUtc } from '../local-time.ts';
import {
  csvText,
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
  safeIdPart,
} from '../normalized.ts';
import { parseCsv, parseCsvRecords } from '../parse-csv.ts';

const TYPE = 'AirQualityObserved';

/** UN/CEFACT codes: GQ = µg/m³, GP = mg/m³. */
const UNIT: Record<string, string> = { co: 'GP' };
const unitOf = (pollutant: string) => UNIT[pollutant] ?? 'GQ';

interface Station {
  id: string;
  name: string;
  geometry: Geometry;
  address: Record<string, string>;
}

/** Station entities holding each pollutant's latest value, plus the full series as history. */
function assemble(stations: Station[], rows: TemporalRow[], extra: (s: Station) => Record<string, unknown>) {
  rows.sort((a, b) =>
    a.entityId === b.entityId
      ? a.attribute === b.attribute
        ? a.observedAt.localeCompare(b.observedAt)
        : a.attribute.localeCompare(b.attribute)
      : a.entityId.localeCompare(b.entityId),
  );
  const latest = new Map<string, TemporalRow>();
  for (const r of rows) latest.set(`${r.entityId}|${r.attribute}`, r);
  const entities: NormalizedEntity[] = [];
  for (const s of stations) {
    const e: NormalizedEntity = {
      id: s.id,
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(s.name),
      location: geoProperty(s.geometry),
      address: property(s.address),
      typeofLocation: property('outdoor'),
      ...extra(s),
    };
    let newest = '';
    for (const r of latest.values()) {
      if (r.entityId !== s.id) continue;
      e[r.attribute] = property(r.value, { observedAt: r.observedAt, unitCode: r.unitCode });
      if (r.observedAt > newest) newest = r.observedAt;
    }
    if (newest === '') continue;
    e.dateObserved = property(newest);
    entities.push(e);
  }
  return { entities, history: rows };
}

/** LfULG columns to Smart Data Models pollutant names. */
const LFULG: Record<string, string> = {
  no2: 'no2',
  no: 'no',
  o3: 'o3',
  so2: 'so2',
  pm10: 'pm10',
  pm25: 'pm25',
  ben: 'c6h6',
  co: 'co',
};

/**
 * Leipzig: LfULG Saxony stations, hourly, autumn 2014. The export writes 0 for "not measured",
 * so zeros are dropped rather than stored as clean air.
 */
export function mapLfulgAirQuality(input: MappingInput): MappedDataset {
  const stationId = (name: string) => entityId(TYPE, input.city, `lfulg-${name}`);
  const stations: Station[] = featureCollection(input, 'stations').features.map((f) => ({
    id: stationId(String(f.properties.station)),
    name: String(f.properties.station),
    geometry: f.geometry as Geometry,
    address: {
      streetAddress: text(f.properties, 'location') ?? '',
      addressLocality: 'Leipzig',
      addressCountry: 'DE',
    },
  }));
  const alt = new Map(
    featureCollection(input, 'stations').features.map((f) => [
      stationId(String(f.properties.station)),
      num(f.properties.amsl_m),
    ]),
  );
  const rows: TemporalRow[] = [];
  for (const r of parseCsvRecords(csvText(input, 'hourly'))) {
    const id = stationId(r.station);
    const at = r.timestamp_utc;
    if (!at) continue;
    for (const [column, attribute] of Object.entries(LFULG)) {
      const value = num(r[column]);
      if (value === undefined || value <= 0) continue;
      rows.push({
        entityId: id,
        entityType: TYPE,
        attribute,
        observedAt: at,
        value,
        unitCode: unitOf(attribute),
      });
    }
  }
  return assemble(stations, rows, (s) => {
    const a = alt.get(s.id);
    return a === undefined ? {} : { altitude: property(a, { unitCode: 'MTR' }) };
  });
}

/** ARPAE file roles and the pollutant each holds. */
const ARPAE_FILES: Record<string, string> = { no2: 'no2', o3: 'o3', co: 'co', pm10: 'pm10', pm25: 'pm25' };

/**
 * ARPAE publishes in solar time (UTC+1 all year). Only rows flagged "S" (validated) are kept;
 * other flags (M, G, blank) are missing or not validated values.
 */
const ARPAE_UTC_OFFSET_H = 1;

/**
 * Bologna: ARPAE urban stations, 2024; NO2, O3, CO hourly; PM10, PM2.5 daily means (stamped at
 * the start of their day). One CSV per pollutant with a value and a validity column per station.
 */
export function mapArpaeAirQuality(input: MappingInput): MappedDataset {
  const stationId = (name: string) => entityId(TYPE, input.city, `arpae-${safeIdPart(name)}`);
  const stations: Station[] = featureCollection(input, 'stations').features.map((f) => ({
    id: stationId(String(f.properties.station)),
    name: String(f.properties.station),
    geometry: f.geometry as Geometry,
    address: { addressLocality: 'Bologna', addressCountry: 'IT' },
  }));
  const rows: TemporalRow[] = [];
  for (const [role, attribute] of Object.entries(ARPAE_FILES)) {
    if (typeof input.files[role] !== 'string') continue;
    const [header, ...lines] = parseCsv(csvText(input, role));
    for (const line of lines) {
      if (line.length < header.length || !line[0]) continue;
      const at = fixedOffsetToUtc(line[0], ARPAE_UTC_OFFSET_H);
      for (let c = 1; c < header.length; c++) {
        if (header[c].startsWith('v_')) continue;
        if (line[header.indexOf(`v_${header[c]}`)] !== 'S') continue;
        const value = num(line[c]);
        if (value === undefined || value < 0) continue;
        rows.push({
          entityId: stationId(header[c]),
          entityType: TYPE,
          attribute,
          observedAt: at,
          value,
          unitCode: unitOf(attribute),
        });
      }
    }
  }
  return assemble(stations, rows, () => ({
    dataProvenance: property('measured', {
      sub: { description: property('station positions geocoded from the address (approximate)') },
    }),
  }));
}
