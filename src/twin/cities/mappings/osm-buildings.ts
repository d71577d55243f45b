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

const TYPE = 'Building';

/** The Smart Data Models Building `category` enum. */
const CATEGORIES = new Set([
  'apartments',
  'bakehouse',
  'barn',
  'bridge',
  'bungalow',
  'bunker',
  'cathedral',
  'cabin',
  'carport',
  'cemetery',
  'chapel',
  'church',
  'civic',
  'commercial',
  'conservatory',
  'construction',
  'cowshed',
  'detached',
  'digester',
  'dormitory',
  'farm',
  'farm_auxiliary',
  'garage',
  'garages',
  'garbage_shed',
  'grandstand',
  'greenhouse',
  'hangar',
  'hospital',
  'hotel',
  'house',
  'houseboat',
  'hut',
  'industrial',
  'kindergarten',
  'kiosk',
  'mosque',
  'office',
  'parking',
  'pavilion',
  'public',
  'residential',
  'retail',
  'riding_hall',
  'roof',
  'ruins',
  'school',
  'service',
  'shed',
  'shrine',
  'stable',
  'stadium',
  'static_caravan',
  'sty',
  'synagogue',
  'temple',
  'terrace',
  'train_station',
  'transformer_tower',
  'transportation',
  'university',
  'warehouse',
  'water_tower',
]);

/** OSM `building` values outside the enum and the enum value that names the same kind of building. */
const OSM_SYNONYMS: Record<string, string> = {
  semidetached_house: 'house',
  allotment_house: 'hut',
  college: 'school',
  government: 'civic',
  police: 'civic',
  museum: 'civic',
  townhall: 'civic',
  supermarket: 'retail',
  restaurant: 'commercial',
  hall: 'public',
  sports_centre: 'public',
  sport_hall: 'public',
  toilets: 'public',
  ruin: 'ruins',
  collapsed: 'ruins',
  abandoned: 'ruins',
  container: 'shed',
  prefabricated: 'residential',
  gatehouse: 'service',
};

/**
 * Where OSM only says `building=yes`, the Building model still requires a category. Residential
 * is assumed because apartments are the most common tagged use in these Ortsteile (~47 %), and
 * the assumption is labelled on the entity.
 */
const ASSUMED_CATEGORY = 'residential';

/**
 * OSM building footprints (Leipzig centre) with height and listed status. Heights come from the
 * OSM `height` tag where mapped; `levels × 3 m` estimates are labelled as modelled.
 */
export function mapOsmBuildings(input: MappingInput): MappedDataset {
  const unique = uniqueIds();
  const entities: NormalizedEntity[] = [];
  for (const f of featureCollection(input, 'buildings').features) {
    if (!f.geometry) continue;
    const p = f.properties;
    const osmId = text(p, 'osm_way_id') ?? text(p, 'osm_id');
    if (!osmId) continue;
    const tag = text(p, 'building') ?? 'yes';
    const mapped = CATEGORIES.has(tag) ? tag : OSM_SYNONYMS[tag];
    const modelled: string[] = [];
    const notes: string[] = [];
    if (!mapped) {
      modelled.push('category');
      notes.push(`OSM gives no building type (building=${tag}); category "${ASSUMED_CATEGORY}" is assumed`);
    }
    const street = [text(p, 'addr:street'), text(p, 'addr:housenumber')].filter(Boolean).join(' ');
    const address: Record<string, string> = { addressLocality: 'Leipzig', addressCountry: 'DE' };
    if (street) address.streetAddress = street;
    const postcode = text(p, 'addr:postcode');
    if (postcode) address.postalCode = postcode;
    const district = text(p, 'ortsteil_file');
    if (district) address.district = district;
    const e: NormalizedEntity = {
      id: unique(entityId(TYPE, input.city, `osm-way-${osmId}`)),
      type: TYPE,
      '@context': contextFor(TYPE),
      category: property([mapped ?? ASSUMED_CATEGORY]),
      address: property(address),
      location: geoProperty(f.geometry as Geometry),
      source: property(`https://www.openstreetmap.org/way/${osmId}`),
    };
    const name = text(p, 'name');
    if (name) e.name = property(name);
    const levels = num(p['building:levels']);
    if (levels !== undefined && Number.isInteger(levels)) e.floorsAboveGround = property(levels);
    const height = num(p.est_height_m);
    const heightSource = text(p, 'est_height_source');
    if (height !== undefined) {
      e.height = property(height, { unitCode: 'MTR' });
      if (heightSource !== 'height') {
        modelled.push('height');
        notes.push('height estimated from OSM building:levels at 3 m per level (+1.5 m with roof levels)');
      }
    }
    const heritage = text(p, 'heritage');
    e.listedBuilding = property(heritage !== undefined);
    if (heritage !== undefined) {
      const ref = text(p, 'heritage:ref');
      if (ref) e.heritageRef = property(ref);
      const operator = text(p, 'heritage:operator');
      if (operator) e.heritageOperator = property(operator);
    }
    const start = text(p, 'start_date');
    if (start) e.constructionDate = property(start);
    const roof = text(p, 'roof:shape');
    if (roof) e.roofShape = property(roof);
    if (modelled.length > 0) e.dataProvenance = modelledData(modelled, notes.join('; '));
    entities.push(e);
  }
  return { entities, history: [] };
}
