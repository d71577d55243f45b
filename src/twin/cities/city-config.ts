import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One source dataset of a city and the mapping that turns it into entities. */
export interface DatasetConfig {
  id: string;
  /** Name of a mapping in the registry (`mappings.ts`). */
  mapping: string;
  /** Source files by the role the mapping reads them under, relative to the city folder. */
  files: Record<string, string>;
  /** Entity types the mapping produces. */
  entityTypes: string[];
  licence: string;
  attribution: string;
  source: string;
  /** True for share-alike data (ODbL): kept in separate files, attributed wherever shown. */
  shareAlike?: boolean;
}

export interface CityConfig {
  /** Short lowercase id used in entity ids and as default tenant. */
  id: string;
  name: string;
  country: string;
  languages: string[];
  /** [lon, lat] WGS 84 */
  centre: [number, number];
  /** [west, south, east, north] WGS 84 */
  bbox: [number, number, number, number];
  tenant: string;
  port: number;
  timeZone: string;
  datasets: DatasetConfig[];
  /** Absolute folder the config was read from; dataset files resolve against it. */
  dir: string;
}

/** `data/cities` of this package, found from this module so no machine path is baked in. */
export const CITIES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../data/cities');

/**
 * Reads `city.json` of a city given by name (a folder of `data/cities`) or by a path to a folder.
 * The config is checked once here; a bad config throws with the field at fault.
 */
export function loadCity(dirOrName: string): CityConfig {
  const dir =
    /[\\/]/.test(dirOrName) || isAbsolute(dirOrName) ? resolve(dirOrName) : join(CITIES_DIR, dirOrName);
  const file = join(dir, 'city.json');
  if (!existsSync(file)) throw new Error(`city "${dirOrName}": no city.json in ${dir}`);
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return parseCityConfig(raw, dir);
}

export function parseCityConfig(raw: unknown, dir: string): CityConfig {
  const where = `${dir}/city.json`;
  const fail = (detail: string): never => {
    throw new Error(`${where}: ${detail}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('not a JSON object');
  const c = raw as Record<string, unknown>;
  const str = (k: string): string =>
    typeof c[k] === 'string' && (c[k] as string) !== ''
      ? (c[k] as string)
      : fail(`"${k}" must be a non-empty string`);
  const nums = (k: string, n: number): number[] => {
    const v = c[k];
    if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      return fail(`"${k}" must be an array of ${n} numbers`);
    }
    return v as number[];
  };
  const id = str('id');
  if (!/^[a-z][a-z0-9-]*$/.test(id)) fail('"id" must be lowercase letters, digits and hyphens');
  const languages = c.languages;
  if (!Array.isArray(languages) || languages.length === 0 || !languages.every((l) => typeof l === 'string')) {
    fail('"languages" must be a non-empty array of language tags');
  }
  const port = c.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    fail('"port" must be a TCP port');
  const [w, s, e, n] = nums('bbox', 4);
  if (!(w < e && s < n)) fail('"bbox" must be [west, south, east, north]');
  const [lon, lat] = nums('centre', 2);
  if (lon < w || lon > e || lat < s || lat > n) fail('"centre" must lie inside "bbox"');
  if (!Array.isArray(c.datasets)) fail('"datasets" must be an array');
  const datasets = (c.datasets as unknown[]).map((d, i) => parseDataset(d, `datasets[${i}]`, dir, fail));
  const ids = new Set<string>();
  for (const d of datasets) {
    if (ids.has(d.id)) fail(`dataset id "${d.id}" is used twice`);
    ids.add(d.id);
  }
  return {
    id,
    name: str('name'),
    country: str('country'),
    languages: languages as string[],
    centre: [lon, lat],
    bbox: [w, s, e, n],
    tenant: str('tenant'),
    port: port as number,
    timeZone: str('timeZone'),
    datasets,
    dir,
  };
}

function parseDataset(raw: unknown, where: string, dir: string, fail: (d: string) => never): DatasetConfig {
  if (typeof raw !== 'object' || raw === null) return fail(`${where} is not an object`);
  const d = raw as Record<string, unknown>;
  const str = (k: string): string =>
    typeof d[k] === 'string' && (d[k] as string) !== ''
      ? (d[k] as string)
      : fail(`${where}.${k} must be a non-empty string`);
  const files = d.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files))
    return fail(`${where}.files must be an object`);
  for (const [role, name] of Object.entries(files)) {
    if (typeof name !== 'string' || name.includes('..') || isAbsolute(name))
      fail(`${where}.files.${role} must be a file name`);
    else if (!existsSync(join(dir, name)) || !statSync(join(dir, name)).isFile())
      fail(`${where}.files.${role}: ${name} not found`);
  }
  const types = d.entityTypes;
  if (!Array.isArray(types) || !types.every((t) => typeof t === 'string'))
    fail(`${where}.entityTypes must list type names`);
  return {
    id: str('id'),
    mapping: str('mapping'),
    files: files as Record<string, string>,
    entityTypes: types as string[],
    licence: str('licence'),
    attribution: str('attribution'),
    source: str('source'),
    ...(d.shareAlike === true ? { shareAlike: true } : {}),
  };
}
