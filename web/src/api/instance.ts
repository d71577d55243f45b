/** What GET /twinbox/v1/instance says about a city instance. */
export interface Dataset {
  id: string;
  title?: string;
  entityTypes: string[];
  licence: string;
  attribution: string;
  source: string;
}

export interface Peer {
  id: string;
  name: string;
  url: string;
}

export interface Instance {
  id: string;
  name: string;
  url: string;
  languages: string[];
  centre: [number, number];
  bbox: [number, number, number, number];
  peers: Peer[];
  datasets: Dataset[];
  /** NGSILD-Tenant the city's data lives in, when it is not the default tenant */
  tenant?: string;
}

/**
 * Where the demo runs its two cities (`npm start`). Used only when an instance does not answer
 * /twinbox/v1/instance, so the switcher still offers both.
 */
export const DEMO_INSTANCES: Peer[] = [
  { id: 'leipzig', name: 'Leipzig', url: 'http://127.0.0.1:1026' },
  { id: 'bologna', name: 'Bologna', url: 'http://127.0.0.1:1027' },
];

/** OpenStreetMap data is always ODbL; named here so the attribution never depends on a typo. */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors (ODbL)';

export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The instance at `base`, or a minimal description when the endpoint is missing. */
export async function fetchInstance(base: string, signal?: AbortSignal): Promise<Instance> {
  const url = trimBase(base);
  try {
    const res = await fetch(`${url}/twinbox/v1/instance`, { signal, headers: { accept: 'application/json' } });
    if (res.ok) {
      const body = (await res.json()) as Partial<Instance>;
      return {
        id: body.id ?? url,
        name: body.name ?? url,
        url: trimBase(body.url ?? url),
        languages: body.languages?.length ? body.languages : ['en'],
        centre: body.centre ?? [0, 0],
        bbox: body.bbox ?? [-180, -85, 180, 85],
        peers: (body.peers ?? []).map((p) => ({ ...p, url: trimBase(p.url) })),
        datasets: body.datasets ?? [],
        tenant: body.tenant,
      };
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
  }
  const demo = DEMO_INSTANCES.find((d) => d.url === url);
  return {
    id: demo?.id ?? url,
    name: demo?.name ?? url,
    url,
    languages: ['en'],
    centre: [0, 0],
    bbox: [-180, -85, 180, 85],
    peers: DEMO_INSTANCES.filter((d) => d.url !== url),
    datasets: [],
  };
}

/**
 * Peers plus this instance (at the address it was reached under), in a stable order (by name)
 * so the switcher does not jump.
 */
export function switcherEntries(instance: Instance, base: string): Peer[] {
  const all = [{ id: instance.id, name: instance.name, url: base }, ...instance.peers.filter((p) => p.id !== instance.id)];
  const seen = new Set<string>();
  return all.filter((p) => (seen.has(p.url) ? false : (seen.add(p.url), true))).sort((a, b) => a.name.localeCompare(b.name));
}
