/**
 * Starts the requests of the first view before the app's code has loaded: the instance and its
 * districts (the base map). The small entry chunk runs this while the browser still fetches and
 * compiles React and MapLibre.
 */
import { fetchInstance, type Instance } from './api/instance.ts';
import { type EntityTypeInfo, fetchAllEntities, type KeyValuesEntity } from './api/ngsi-client.ts';

export const DISTRICTS = 'AdministrativeArea';

export interface FirstRequests {
  base: string;
  instance: Promise<Instance>;
  districts: Promise<KeyValuesEntity[]>;
}

let pending: FirstRequests | undefined;

export function prefetch(base: string): FirstRequests {
  // the core context of a twin resolves this term; /types confirms it later
  const guess: EntityTypeInfo = { name: DISTRICTS, iri: DISTRICTS, attributes: new Map() };
  const districts = fetchAllEntities({ base }, guess).catch(() => [] as KeyValuesEntity[]);
  const instance = fetchInstance(base);
  instance.catch(() => {});
  pending = { base, instance, districts };
  return pending;
}

/** The requests started for `base`, once; later calls (a city switch) start new ones. */
export function takePrefetch(base: string): FirstRequests {
  const p = pending?.base === base ? pending : prefetch(base);
  pending = undefined;
  return p;
}
