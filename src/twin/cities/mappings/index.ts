import type { Mapping } from '../mapping.ts';
import { mapArpaeAirQuality, mapLfulgAirQuality } from './air-quality.ts';
import { mapBolognaDistricts } from './bologna-districts.ts';
import { mapBolognaLoops } from './bologna-loops.ts';
import { mapRifterRoads } from './bologna-roads.ts';
import { mapBolognaZtl } from './bologna-ztl.ts';
import { mapEegUnits } from './eeg-units.ts';
import { mapBnetzaCharging, mapPunCharging } from './ev-charging.ts';
import { mapLeipzigDistricts } from './leipzig-districts.ts';
import { mapOsmBuildings } from './osm-buildings.ts';
import { mapOsmGreenAreas } from './osm-green-areas.ts';
import { mapClimateShelters, mapOsmKindergartens } from './points-of-interest.ts';

/** Mappings by the name a dataset in `city.json` refers to. */
export const MAPPINGS: Record<string, Mapping> = {
  'leipzig-districts': mapLeipzigDistricts,
  'bologna-districts': mapBolognaDistricts,
  'osm-buildings': mapOsmBuildings,
  'bnetza-charging': mapBnetzaCharging,
  'pun-charging': mapPunCharging,
  'osm-kindergartens': mapOsmKindergartens,
  'osm-green-areas': mapOsmGreenAreas,
  'climate-shelters': mapClimateShelters,
  'bologna-ztl': mapBolognaZtl,
  'rifter-roads': mapRifterRoads,
  'bologna-loops': mapBolognaLoops,
  'lfulg-air-quality': mapLfulgAirQuality,
  'arpae-air-quality': mapArpaeAirQuality,
  'eeg-units': mapEegUnits,
};
