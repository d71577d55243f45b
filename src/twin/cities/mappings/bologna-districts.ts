import { area as turfArea } from '@turf/turf';
import { contextFor } from '../contexts.ts';
import { type Feature, featureCollection, type MappedDataset, type MappingInput } from '../mapping.ts';
import {
  entityId,
  type Geometry,
  geoProperty,
  type NormalizedEntity,
  property,
  relationship,
} from '../normalized.ts';

const TYPE = 'AdministrativeArea';

/**
 * Bologna: 6 quartieri, 18 zone and 90 aree statistiche, linked child to parent. The open
 * boundary files carry no population; only the area (from the geometry) is given.
 */
export function mapBolognaDistricts(input: MappingInput): MappedDataset {
  const city = input.city;
  const quartiereId = (code: unknown) => entityId(TYPE, city, `quartiere-${code}`);
  const zonaId = (code: unknown) => entityId(TYPE, city, `zona-${code}`);
  const areaId = (code: unknown) => entityId(TYPE, city, `area-statistica-${code}`);
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
      address: property({ addressLocality: 'Bologna', addressCountry: 'IT' }),
    };
    if (parent) e.refParentArea = relationship(parent);
    return e;
  };
  const entities: NormalizedEntity[] = [];
  for (const f of featureCollection(input, 'quartieri').features) {
    const p = f.properties;
    entities.push(
      entity(quartiereId(p.cod_quartiere), f, String(p.quartiere), 'borough', String(p.cod_quartiere)),
    );
  }
  for (const f of featureCollection(input, 'zone').features) {
    const p = f.properties;
    entities.push(
      entity(zonaId(p.cod_zona), f, String(p.zona), 'zone', String(p.cod_zona), quartiereId(p.cod_quartiere)),
    );
  }
  for (const f of featureCollection(input, 'areeStatistiche').features) {
    const p = f.properties;
    const name = titleCase(String(p.area_statistica));
    entities.push(
      entity(areaId(p.cod_area), f, name, 'statisticalArea', String(p.cod_area), zonaId(p.cod_zona)),
    );
  }
  return { entities, history: [] };
}

/** The source spells statistical areas in capitals; show them as the other boundary files do. */
function titleCase(s: string): string {
  return s
    .toLowerCase()
    .replace(/(^|[\s'(-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}
