import { pointOnFeature } from '@turf/turf';
import { contextFor } from '../contexts.ts';
import {
  csvText,
  type Feature,
  featureCollection,
  type MappedDataset,
  type MappingInput,
  num,
  text,
  uniqueIds,
} from '../mapping.ts';
import { entityId, geoProperty, modelledData, type NormalizedEntity, property } from '../normalized.ts';
import { parseCsvRecords } from '../parse-csv.ts';

const TYPE = 'PhotovoltaicDevice';

/** The register is the grid operators' 2012 publication; it has no day of reporting. */
const REGISTER_DATE = '2012-12-31T00:00:00Z';

const LOCATION_NOTE =
  'the register publishes no coordinates (street addresses were removed for privacy); the point is ' +
  'a point inside the Ortsteil where one is published, otherwise inside the city boundary';

/**
 * Leipzig's solar units from the EEG register 2012 as PhotovoltaicDevice. Capacity and
 * commissioning date are real; the location is modelled and labelled as such.
 */
export function mapEegUnits(input: MappingInput): MappedDataset {
  const ortsteile = new Map<string, Feature>();
  for (const f of featureCollection(input, 'ortsteile').features)
    ortsteile.set(String(f.properties.ortsteil), f);
  const boundary = featureCollection(input, 'city').features[0];
  const anchor = (f: Feature) => pointOnFeature(f as Parameters<typeof pointOnFeature>[0]).geometry;
  const cityPoint = anchor(boundary);
  const ortsteilPoint = new Map<string, ReturnType<typeof anchor>>();
  const unique = uniqueIds();
  const entities: NormalizedEntity[] = [];
  for (const r of parseCsvRecords(csvText(input, 'units'))) {
    if (r.energietraeger !== 'Solar' || !r.anlagenschluessel) continue;
    const kw = num(r.leistung_kw);
    if (kw === undefined) continue;
    const ortsteil = text(r, 'ortsteil_as_published');
    const f = ortsteil ? ortsteile.get(ortsteil) : undefined;
    let point = cityPoint;
    if (f && ortsteil) {
      if (!ortsteilPoint.has(ortsteil)) ortsteilPoint.set(ortsteil, anchor(f));
      point = ortsteilPoint.get(ortsteil)!;
    }
    const address: Record<string, string> = { addressLocality: 'Leipzig', addressCountry: 'DE' };
    if (r.plz) address.postalCode = r.plz;
    if (ortsteil) address.district = ortsteil;
    const e: NormalizedEntity = {
      id: unique(entityId(TYPE, input.city, `eeg-${r.anlagenschluessel}`)),
      type: TYPE,
      '@context': contextFor(TYPE),
      name: property(`PV ${r.anlagenschluessel}`),
      NominalPower: property(kw, { unitCode: 'KWT' }),
      application: property(['electric']),
      location: geoProperty(point),
      locationPrecision: property(f ? 'district' : 'city'),
      address: property(address),
      dateLastReported: property(REGISTER_DATE),
      gridOperator: property(r.netzbetreiber),
      gridLevel: property(r.einspeisungsebene),
      dataProvenance: modelledData(['location'], LOCATION_NOTE),
    };
    if (r.inbetriebnahme) e.dateCommissioned = property(r.inbetriebnahme);
    entities.push(e);
  }
  return { entities, history: [] };
}
