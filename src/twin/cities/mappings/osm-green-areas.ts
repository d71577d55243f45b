import { contextFor } from '../contexts.ts';
import { featureCollection, type MappedDataset, type MappingInput, text, uniqueIds } from '../mapping.ts';
import { entityId, type Geometry, geoProperty, type NormalizedEntity, property } from '../normalized.ts';

const TYPE = 'Garden';

/**
 * OSM parks (`leisure=park`) and green land use (grass, meadow, forest, allotments …) as Garden,
 * the Smart Data Models type for planned green space. `greenAreaKind` keeps the OSM tag so a
 * reader can tell a park from a verge. Parks are public unless OSM restricts access; for
 * land-use polygons OSM says nothing about access, so no category is set.
 */
export function mapOsmGreenAreas(input: MappingInput): MappedDataset {
  const unique = uniqueIds();
  const entities: NormalizedEntity[] = [];
  const locality = input.city === 'bologna' ? 'Bologna' : input.city === 'leipzig' ? 'Leipzig' : input.city;
  for (const f of featureCollection(input, 'areas').features) {
    if (!f.geometry) continue;
    const p = f.properties;
    const rawId = text(p, 'osm_id');
    if (!rawId) continue;
    const osmRef = rawId.includes('/') ? rawId : `${text(p, 'osm_type') ?? 'way'}/${rawId}`;
    const leisure = text(p, 'leisure');
    const landuse = text(p, 'landuse');
    const kind = leisure === 'park' ? 'park' : (landuse ?? leisure ?? 'green');
    const e: NormalizedEntity = {
      id: unique(entityId(TYPE, input.city, `osm-${osmRef}`)),
      type: TYPE,
      '@context': contextFor(TYPE),
      greenAreaKind: property(kind),
      location: geoProperty(f.geometry as Geometry),
      address: property({ addressLocality: locality }),
      source: property(`https://www.openstreetmap.org/${osmRef}`),
    };
    const name = text(p, 'name');
    if (name) e.name = property(name);
    if (leisure === 'park') {
      const access = text(p, 'access');
      e.category = property([access === 'private' || access === 'no' ? 'private' : 'public']);
    }
    const operator = text(p, 'operator');
    if (operator) e.operator = property(operator);
    entities.push(e);
  }
  return { entities, history: [] };
}
