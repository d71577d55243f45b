import { contextFor } from '../contexts.ts';
import {
  featureCollection,
  type MappedDataset,
  type MappingInput,
  num,
  text,
  uniqueIds,
} from '../mapping.ts';
import {
  entityId,
  type Geometry,
  geoProperty,
  modelledData,
  type NormalizedEntity,
  property,
} from '../normalized.ts';

const TYPE = 'EVChargingStation';

/** BNetzA plug names to the EVChargingStation `socketType` enum. */
const BNETZA_PLUGS: Record<string, string> = {
  'AC Steckdose Typ 2': 'Type2',
  'AC Kupplung Typ 2': 'Type2',
  'AC Schuko': 'Wall_Euro',
  'DC Kupplung Combo': 'CCS/SAE',
  'DC CHAdeMO': 'CHAdeMO',
};

const VEHICLE_NOTE =
  'the source does not state vehicle types; public charging points are assumed to serve cars';

/**
 * Leipzig: BNetzA Ladesäulenregister (state 2019-07). The register has no station id, so the id
 * is built from operator, address and commissioning date, which together identify a row.
 */
export function mapBnetzaCharging(input: MappingInput): MappedDataset {
  const unique = uniqueIds();
  const entities: NormalizedEntity[] = [];
  for (const f of featureCollection(input, 'stations').features) {
    if (!f.geometry) continue;
    const p = f.properties;
    const operator = text(p, 'operator') ?? 'unknown';
    const addr = text(p, 'address') ?? '';
    const sockets = new Set<string>();
    const powers: number[] = [];
    for (let i = 1; i <= 8; i++) {
      for (const plug of (text(p, `plug${i}`) ?? '').split(',')) {
        const s = BNETZA_PLUGS[plug.trim()];
        if (s) sockets.add(s);
      }
      const kw = num(p[`p${i}_kw`]);
      if (kw !== undefined) powers.push(kw);
    }
    const modelled = ['allowedVehicleType'];
    const notes = [VEHICLE_NOTE];
    if (sockets.size === 0) {
      sockets.add('Other');
      modelled.push('socketType');
      notes.push('plug type not given in the register');
    }
    const [postcode, ...locality] = (text(p, 'postcode_city') ?? '').split(' ');
    const e: NormalizedEntity = {
      id: unique(
        entityId(TYPE, input.city, `bnetza-${operator}-${addr}-${text(p, 'commissioning_date') ?? ''}`),
      ),
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(`${operator}, ${addr}`),
      operator: property(operator),
      address: property({
        streetAddress: addr,
        postalCode: postcode,
        addressLocality: locality.join(' ') || 'Leipzig',
        addressCountry: 'DE',
      }),
      location: geoProperty(f.geometry as Geometry),
      capacity: property(Math.max(1, num(p.n_charging_points) ?? 1)),
      socketNumber: property(Math.max(1, num(p.n_charging_points) ?? 1)),
      socketType: property([...sockets].sort()),
      allowedVehicleType: property(['car']),
      chargingPointPower: property(powers, { unitCode: 'KWT' }),
      dataProvenance: modelledData(modelled, notes.join('; ')),
    };
    const power = num(p.connection_power_kw);
    if (power !== undefined) e.connectionPower = property(power, { unitCode: 'KWT' });
    const since = text(p, 'commissioning_date');
    if (since) e.commissioningDate = property(since);
    const kind = text(p, 'type');
    if (kind) e.chargingType = property(kind === 'Schnellladeeinrichtung' ? 'fast' : 'normal');
    entities.push(e);
  }
  return { entities, history: [] };
}

/** PUN status codes to the EVChargingStation `status` enum, station level. */
function stationStatus(statuses: string[]): string {
  if (statuses.every((s) => s === 'OUTOFORDER' || s === 'BLOCKED')) return 'outOfService';
  if (statuses.every((s) => s === 'CHARGING')) return 'full';
  if (statuses.some((s) => s === 'OUTOFORDER')) return 'withIncidence';
  return 'working';
}

/** When the PUN extract was taken (Piattaforma Unica Nazionale, 2024-10-05). */
export const PUN_SNAPSHOT = '2024-10-05T00:00:00Z';

/**
 * Bologna: EVSEs of the Piattaforma Unica Nazionale grouped into stations by their EVSE-id prefix
 * (country*operator*station). Status and available count are the snapshot's.
 */
export function mapPunCharging(input: MappingInput): MappedDataset {
  const groups = new Map<string, { evse: string[]; status: string[]; geometry: Geometry }>();
  for (const f of featureCollection(input, 'evses').features) {
    const evse = text(f.properties, 'evse_id');
    if (!evse || !f.geometry) continue;
    const station = evse.split('*').slice(0, 3).join('*');
    let g = groups.get(station);
    if (!g) {
      g = { evse: [], status: [], geometry: f.geometry as Geometry };
      groups.set(station, g);
    }
    g.evse.push(evse);
    g.status.push(text(f.properties, 'status_at_snapshot') ?? 'UNKNOWN');
  }
  const entities: NormalizedEntity[] = [];
  for (const [station, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const operator = station.split('*')[1];
    entities.push({
      id: entityId(TYPE, input.city, station.replaceAll('*', '-')),
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(station),
      chargingUnitId: property(station),
      network: property(operator),
      address: property({ addressLocality: 'Bologna', addressCountry: 'IT' }),
      location: geoProperty(g.geometry),
      capacity: property(g.evse.length),
      socketNumber: property(g.evse.length),
      availableCapacity: property(g.status.filter((s) => s === 'AVAILABLE').length, {
        observedAt: PUN_SNAPSHOT,
      }),
      status: property(stationStatus(g.status), { observedAt: PUN_SNAPSHOT }),
      evseId: property(g.evse),
      socketType: property(['Other']),
      allowedVehicleType: property(['car']),
      dataProvenance: modelledData(
        ['socketType', 'allowedVehicleType'],
        `the PUN extract gives neither plug types nor vehicle types: socketType "Other" stands for unknown; ${VEHICLE_NOTE}`,
      ),
    });
  }
  return { entities, history: [] };
}
