import { contextFor } from '../contexts.ts';
import {
  featureCollection,
  type MappedDataset,
  type MappingInput,
  num,
  text,
  uniqueIds,
} from '../mapping.ts';
import { entityId, type Geometry, geoProperty, type NormalizedEntity, property } from '../normalized.ts';

const TYPE = 'PointOfInterest';

/**
 * OSM `amenity=kindergarten` as PointOfInterest with category "kindergarten": Smart Data Models
 * has no childcare model. `capacity` is given only where OSM maps it; no value is invented.
 */
export function mapOsmKindergartens(input: MappingInput): MappedDataset {
  const unique = uniqueIds();
  const entities: NormalizedEntity[] = [];
  for (const f of featureCollection(input, 'kindergartens').features) {
    if (!f.geometry) continue;
    const p = f.properties;
    const osmId = text(p, 'osm_id');
    if (!osmId) continue;
    const street = [text(p, 'addr:street'), text(p, 'addr:housenumber')].filter(Boolean).join(' ');
    const address: Record<string, string> = { addressLocality: 'Leipzig', addressCountry: 'DE' };
    if (street) address.streetAddress = street;
    const postcode = text(p, 'addr:postcode');
    if (postcode) address.postalCode = postcode;
    const e: NormalizedEntity = {
      id: unique(entityId(TYPE, input.city, `osm-${osmId}`)),
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(text(p, 'name') ?? 'Kindertagesstätte'),
      category: property(['kindergarten']),
      address: property(address),
      location: geoProperty(f.geometry as Geometry),
      source: property(`https://www.openstreetmap.org/${osmId}`),
    };
    const capacity = num(p.capacity);
    if (capacity !== undefined) e.capacity = property(capacity);
    const operator = text(p, 'operator');
    if (operator) e.operator = property(operator);
    const operatorType = text(p, 'operator:type');
    if (operatorType) e.operatorType = property(operatorType);
    const minAge = num(p.min_age);
    if (minAge !== undefined) e.minimumAge = property(minAge, { unitCode: 'ANN' });
    const maxAge = num(p.max_age);
    if (maxAge !== undefined) e.maximumAge = property(maxAge, { unitCode: 'ANN' });
    const hours = text(p, 'opening_hours');
    if (hours) e.openingHours = property(hours);
    const wheelchair = text(p, 'wheelchair');
    if (wheelchair) e.wheelchairAccessible = property(wheelchair);
    entities.push(e);
  }
  return { entities, history: [] };
}

/**
 * Bologna's official climate shelters ("rifugi climatici"): cool places open to the public in
 * heat waves, as PointOfInterest with category "climateShelter".
 */
export function mapClimateShelters(input: MappingInput): MappedDataset {
  const unique = uniqueIds();
  const entities: NormalizedEntity[] = [];
  for (const f of featureCollection(input, 'shelters').features) {
    if (!f.geometry) continue;
    const p = f.properties;
    const name = text(p, 'nome');
    if (!name) continue;
    const indoor = text(p, 'ambiente') === 'interno';
    const e: NormalizedEntity = {
      id: unique(entityId(TYPE, input.city, `rifugio-${name}`)),
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(name),
      category: property(['climateShelter']),
      address: property({
        streetAddress: text(p, 'indirizzo') ?? '',
        district: text(p, 'quartiere') ?? '',
        addressLocality: 'Bologna',
        addressCountry: 'IT',
      }),
      location: geoProperty(f.geometry as Geometry),
      shelterKind: property(text(p, 'tipo') ?? ''),
      typeOfLocation: property(indoor ? 'indoor' : 'outdoor'),
    };
    const water = text(p, 'acqua');
    if (water) e.drinkingWater = property(water);
    const toilets = text(p, 'bagni');
    if (toilets) e.toilets = property(toilets);
    const hours = text(p, 'orari');
    if (hours?.startsWith('http')) e.additionalInfoURL = property(hours);
    else if (hours) e.openingHours = property(hours);
    entities.push(e);
  }
  return { entities, history: [] };
}
