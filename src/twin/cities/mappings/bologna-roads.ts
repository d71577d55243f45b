import { contextFor } from '../contexts.ts';
import { featureCollection, type MappedDataset, type MappingInput, num, text } from '../mapping.ts';
import {
  entityId,
  geoProperty,
  modelledData,
  type NormalizedEntity,
  property,
  relationship,
} from '../normalized.ts';

/** RIFTER, the municipal street graph, does not record which vehicles may use an arc. */
const VEHICLE_NOTE = 'RIFTER has no access restrictions per arc; all vehicles are assumed allowed';

/** The Road model requires a class; RIFTER has none, so every street is "unclassified". */
const ROAD_CLASS_NOTE = 'RIFTER gives no road class; "unclassified" stands for unknown';

export function roadSegmentId(city: string, codarco: string): string {
  return entityId('RoadSegment', city, `rifter-${codarco}`);
}

/**
 * Bologna's official street graph: each arc a RoadSegment, each street (codvia) a Road listing
 * its segments. Traffic loops point at segments through `codice_arco`.
 */
export function mapRifterRoads(input: MappingInput): MappedDataset {
  const city = input.city;
  const segments: NormalizedEntity[] = [];
  const roads = new Map<
    string,
    { name: string; segments: string[]; lengthM: number; district: Set<string> }
  >();
  for (const f of featureCollection(input, 'arcs').features) {
    const p = f.properties;
    const arc = text(p, 'codarco');
    const street = text(p, 'codvia');
    const g = f.geometry as { type: string; coordinates: number[][] } | null;
    if (!arc || !street || !g || g.type !== 'LineString' || g.coordinates.length < 2) continue;
    const name = text(p, 'nomevia') ?? `Via ${street}`;
    const id = roadSegmentId(city, arc);
    const roadId = entityId('Road', city, `rifter-${street}`);
    const lengthM = num(p.lunghez);
    const first = g.coordinates[0];
    const last = g.coordinates[g.coordinates.length - 1];
    const e: NormalizedEntity = {
      id,
      type: 'RoadSegment',
      '@context': contextFor('RoadSegment'),
      name: property(name),
      roadId: property(arc),
      refRoad: relationship(roadId),
      location: geoProperty(g),
      startPoint: geoProperty({ type: 'Point', coordinates: first }),
      endPoint: geoProperty({ type: 'Point', coordinates: last }),
      startNodeCode: property(text(p, 'cod_nodo1') ?? ''),
      endNodeCode: property(text(p, 'cod_nodo2') ?? ''),
      allowedVehicleType: property(['anyVehicle']),
      dataProvenance: modelledData(['allowedVehicleType'], VEHICLE_NOTE),
    };
    if (lengthM !== undefined) e.length = property(lengthM, { unitCode: 'MTR' });
    const district = text(p, 'nomequart');
    if (district) e.address = property({ district, addressLocality: 'Bologna', addressCountry: 'IT' });
    segments.push(e);
    let road = roads.get(street);
    if (!road) {
      road = { name, segments: [], lengthM: 0, district: new Set() };
      roads.set(street, road);
    }
    road.segments.push(id);
    road.lengthM += lengthM ?? 0;
    if (district) road.district.add(district);
  }
  const roadEntities: NormalizedEntity[] = [];
  for (const [street, r] of roads) {
    roadEntities.push({
      id: entityId('Road', city, `rifter-${street}`),
      type: 'Road',
      '@context': contextFor('Road'),
      name: property(r.name),
      roadCode: property(street),
      refRoadSegment: relationship(r.segments),
      length: property(Math.round(r.lengthM), { unitCode: 'MTR' }),
      responsible: property('Comune di Bologna'),
      roadClass: property('unclassified'),
      dataProvenance: modelledData(['roadClass'], ROAD_CLASS_NOTE),
      address: property({
        district: [...r.district].sort().join(', '),
        addressLocality: 'Bologna',
        addressCountry: 'IT',
      }),
    });
  }
  return { entities: [...roadEntities, ...segments], history: [] };
}
