import { contextFor } from '../contexts.ts';
import { localToUtc } from '../local-time.ts';
import {
  csvText,
  featureCollection,
  type MappedDataset,
  type MappingInput,
  num,
  type TemporalRow,
  text,
  uniqueIds,
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
import { roadSegmentId } from './bologna-roads.ts';

const TYPE = 'TrafficFlowObserved';

/** The loop catalogue is the metadata of the city's 2024 loop-count dataset. */
const CATALOGUE_PERIOD = '2024-01-01T00:00:00Z/2024-12-31T23:59:59Z';

/**
 * Bologna induction loops as TrafficFlowObserved, one per loop. Loops with hourly counts in the
 * extract carry their latest hour as `intensity` (vehicles per hour) and all hours as history;
 * the others carry the catalogue data only. Counts are local time (Europe/Rome).
 */
export function mapBolognaLoops(input: MappingInput): MappedDataset {
  const city = input.city;
  const arcs = input.files.arcs
    ? new Set(featureCollection(input, 'arcs').features.map((f) => text(f.properties, 'codarco')))
    : undefined;
  const unique = uniqueIds();
  const idOfLoop = new Map<string, string>();
  const entities = new Map<string, NormalizedEntity>();
  for (const f of featureCollection(input, 'loops').features) {
    const p = f.properties;
    const code = text(p, 'codice_spira');
    if (!code || !f.geometry) continue;
    const id = unique(entityId(TYPE, city, code));
    if (!idOfLoop.has(code)) idOfLoop.set(code, id);
    const street = text(p, 'nome_via') ?? '';
    const direction = text(p, 'direzione');
    const e: NormalizedEntity = {
      id,
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(direction ? `${street} (${direction})` : street),
      loopCode: property(code),
      stationId: property(text(p, 'id_stazione_spira') ?? ''),
      location: geoProperty(f.geometry as Geometry),
      address: property({ streetAddress: street, addressLocality: 'Bologna', addressCountry: 'IT' }),
      dateObserved: property(CATALOGUE_PERIOD, {
        sub: { description: property('loop catalogue entry; no counts for this loop in the extract') },
      }),
      deviceKind: property(text(p, 'tipologia')?.toLowerCase() === 'telecamera' ? 'camera' : 'inductionLoop'),
      operationalStatus: property(text(p, 'stato') === 'A' ? 'active' : (text(p, 'stato') ?? 'unknown')),
    };
    if (direction) e.direction = property(direction);
    const bearing = num(p.angolo);
    if (bearing !== undefined) e.bearing = property(bearing, { unitCode: 'DD' });
    const arc = text(p, 'codice_arco');
    if (arc && (!arcs || arcs.has(arc))) e.refRoadSegment = relationship(roadSegmentId(city, arc));
    entities.set(id, e);
  }

  const history: TemporalRow[] = [];
  const latest = new Map<string, { at: string; value: number }>();
  for (const r of parseCsvRecords(csvText(input, 'counts'))) {
    const id = idOfLoop.get(r.codice_spira);
    if (!id) continue;
    for (let h = 0; h < 24; h++) {
      const value = num(r[`h${String(h).padStart(2, '0')}`]);
      const at = localToUtc(r.date, h, 0, input.timeZone);
      if (value === undefined || value < 0 || at === undefined) continue;
      history.push({ entityId: id, entityType: TYPE, attribute: 'intensity', observedAt: at, value });
      const prev = latest.get(id);
      if (!prev || prev.at < at) latest.set(id, { at, value });
    }
  }
  for (const [id, { at, value }] of latest) {
    const e = entities.get(id)!;
    const to = new Date(Date.parse(at) + 3_600_000).toISOString().replace('.000Z', 'Z');
    e.dateObserved = property(`${at}/${to}`);
    e.dateObservedFrom = property(at);
    e.dateObservedTo = property(to);
    e.intensity = property(value, {
      observedAt: at,
      sub: { description: property('vehicles counted in the hour starting at observedAt') },
    });
  }
  history.sort((a, b) =>
    a.entityId === b.entityId
      ? a.observedAt.localeCompare(b.observedAt)
      : a.entityId.localeCompare(b.entityId),
  );
  return { entities: [...entities.values()], history };
}
