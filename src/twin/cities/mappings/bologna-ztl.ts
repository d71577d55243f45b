import { contextFor } from '../contexts.ts';
import { featureCollection, type MappedDataset, type MappingInput, text, uniqueIds } from '../mapping.ts';
import { entityId, type Geometry, geoProperty, type NormalizedEntity, property } from '../normalized.ts';

const TYPE = 'RestrictedTrafficArea';

/**
 * The polygons of Bologna's limited-traffic zone (ZTL). Entry is restricted to permit holders;
 * the file carries the ordinance number but not the hours, so no validity hours are stated.
 */
export function mapBolognaZtl(input: MappingInput): MappedDataset {
  const unique = uniqueIds();
  const entities: NormalizedEntity[] = [];
  for (const f of featureCollection(input, 'zones').features) {
    if (!f.geometry) continue;
    const p = f.properties;
    const code = text(p, 'codice');
    if (!code) continue;
    const streets = ['nomevia1', 'nomevia2', 'nomevia3', 'nomevia4']
      .map((k) => text(p, k))
      .filter((s): s is string => s !== undefined);
    const e: NormalizedEntity = {
      id: unique(entityId(TYPE, input.city, `ztl-${code}`)),
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(`ZTL ${code}`),
      category: property(['onlyWithPermit']),
      location: geoProperty(f.geometry as Geometry),
      address: property({ addressLocality: 'Bologna', addressCountry: 'IT' }),
      zoneCode: property(code),
      active: property(text(p, 'stato') === 'A'),
    };
    const ordinance = text(p, 'ordinanza');
    if (ordinance) e.ordinance = property(ordinance);
    if (streets.length > 0) e.boundingStreets = property(streets);
    entities.push(e);
  }
  return { entities, history: [] };
}
