/**
 * What a data owner publishes to the data space (`publish.json`): datasets made of NGSI-LD entity
 * types, each with the ODRL offers under which it may be negotiated, and the governance settings
 * of the instance. Checked once at start-up; a bad file throws with the field at fault.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CatalogOffer,
  type DcatCatalogDescription,
  isOperator,
  type Permission,
  type Prohibition,
} from '../../dataspace/index.ts';

export interface PublishedDataset {
  /** Local name, e.g. `ev-charging`; the catalogue id is `urn:twinbox:<participant>:dataset:<name>`. */
  name: string;
  id: string;
  title: string;
  description: string;
  /** NGSI-LD entity types (terms of `context`, or full IRIs) the dataset is made of. */
  entityTypes: string[];
  /** The @context in which `entityTypes` are terms; the core context when absent. */
  context?: string;
  keywords: string[];
  theme?: string;
  license?: string;
  offers: CatalogOffer[];
}

export interface Governance {
  /** `self`: this instance is the governance authority; otherwise a peer id or the authority's URL. */
  authority: string;
  /** Participants onboarded without waiting for the operator: DIDs or peer ids. */
  approve: string[];
}

export interface Publication {
  participant: string;
  title: string;
  description: string;
  publisher: string;
  governance: Governance;
  /** Lifetime of the access tokens issued on transfer start, in seconds. */
  accessTokenTtlS: number;
  datasets: PublishedDataset[];
}

export const PUBLISH_FILE = 'publish.json';
/** Short enough that a leaked token is soon useless, long enough for a planning session's reads. */
const DEFAULT_TOKEN_TTL_S = 300;

const THEME = 'http://publications.europa.eu/resource/authority/data-theme/';
const THEME_LABELS: Record<string, string> = {
  TRAN: 'Transport',
  ENER: 'Energy',
  ENVI: 'Environment',
  REGI: 'Regions and cities',
  SOCI: 'Population and society',
};

/** `<dataDir>/publish.json` when the operator put one there, else the city's, else none. */
export function publicationFile(a: { dataDir: string; cityDir?: string }): string | undefined {
  for (const dir of [a.dataDir, a.cityDir]) {
    if (dir && existsSync(join(dir, PUBLISH_FILE))) return join(dir, PUBLISH_FILE);
  }
  return undefined;
}

/** The publication of an instance; nothing is published without a `publish.json`. */
export function loadPublication(a: { dataDir: string; cityDir?: string; cityId?: string }): Publication {
  const file = publicationFile(a);
  return file
    ? parsePublication(JSON.parse(readFileSync(file, 'utf8')), file, a.cityId)
    : parsePublication({}, '(defaults)', a.cityId);
}

/**
 * The publication as the data owner last saved it: the file is read again when it changes, so a
 * new or withdrawn offer takes effect without a restart. A file that no longer parses is reported
 * and the previous publication stays in force.
 */
export function watchPublication(
  a: { dataDir: string; cityDir?: string; cityId?: string },
  onError: (err: Error) => void,
): () => Publication {
  let current = loadPublication(a);
  let seen = stamp(publicationFile(a));
  return () => {
    const file = publicationFile(a);
    const now = stamp(file);
    if (file && now !== seen) {
      seen = now;
      try {
        current = parsePublication(JSON.parse(readFileSync(file, 'utf8')), file, a.cityId);
      } catch (err) {
        onError(err as Error);
      }
    }
    return current;
  };
}

function stamp(file: string | undefined): string {
  if (!file) return '';
  const s = statSync(file);
  return `${s.mtimeMs}:${s.size}`;
}

export function parsePublication(raw: unknown, where: string, cityId?: string): Publication {
  const fail = (detail: string): never => {
    throw new Error(`${where}: ${detail}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('not a JSON object');
  const r = raw as Record<string, unknown>;
  const str = (o: Record<string, unknown>, k: string, at: string, fallback?: string): string => {
    const v = o[k] ?? fallback;
    return typeof v === 'string' && v !== '' ? v : fail(`${at}${k} must be a non-empty string`);
  };
  const participant = str(r, 'participant', '', cityId ?? 'twinbox');
  if (!/^[a-z][a-z0-9-]*$/.test(participant))
    fail('participant must be lowercase letters, digits and hyphens');
  const g = (r.governance ?? {}) as Record<string, unknown>;
  const approve = g.approve ?? [];
  if (!Array.isArray(approve) || !approve.every((x) => typeof x === 'string'))
    fail('governance.approve must list DIDs or peer ids');
  const ttl = r.accessTokenTtlS ?? DEFAULT_TOKEN_TTL_S;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1)
    fail('accessTokenTtlS must be a positive integer');
  const datasets = r.datasets ?? [];
  if (!Array.isArray(datasets)) fail('datasets must be an array');
  const parsed = (datasets as unknown[]).map((d, i) =>
    parseDataset(d, `datasets[${i}].`, participant, fail, str),
  );
  const names = new Set<string>();
  for (const d of parsed) {
    if (names.has(d.name)) fail(`dataset ${d.name} is published twice`);
    names.add(d.name);
  }
  return {
    participant,
    title: str(r, 'title', '', `${participant} twin`),
    description: str(r, 'description', '', `Datasets ${participant} offers to the federation`),
    publisher: str(r, 'publisher', '', participant),
    governance: { authority: str(g, 'authority', 'governance.', 'self'), approve: approve as string[] },
    accessTokenTtlS: ttl as number,
    datasets: parsed,
  };
}

function parseDataset(
  raw: unknown,
  at: string,
  participant: string,
  fail: (d: string) => never,
  str: (o: Record<string, unknown>, k: string, at: string, fallback?: string) => string,
): PublishedDataset {
  if (typeof raw !== 'object' || raw === null) return fail(`${at} is not an object`);
  const d = raw as Record<string, unknown>;
  const name = str(d, 'name', at);
  const id = `urn:twinbox:${participant}:dataset:${name}`;
  const types = d.entityTypes;
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string')) {
    fail(`${at}entityTypes must list entity types`);
  }
  const offers = d.offers;
  if (!Array.isArray(offers) || offers.length === 0) fail(`${at}offers must list at least one offer`);
  const dataset: PublishedDataset = {
    name,
    id,
    title: str(d, 'title', at),
    description: str(d, 'description', at),
    entityTypes: types as string[],
    keywords: Array.isArray(d.keywords) ? (d.keywords as string[]) : [],
    offers: (offers as unknown[]).map((o, i) =>
      parseOffer(o, `${at}offers[${i}].`, `${id}`, participant, name, fail),
    ),
  };
  if (typeof d.context === 'string') dataset.context = d.context;
  if (typeof d.theme === 'string') {
    if (!THEME_LABELS[d.theme]) fail(`${at}theme must be one of ${Object.keys(THEME_LABELS).join(', ')}`);
    dataset.theme = d.theme;
  }
  if (typeof d.license === 'string') dataset.license = d.license;
  return dataset;
}

function parseOffer(
  raw: unknown,
  at: string,
  _target: string,
  participant: string,
  dataset: string,
  fail: (d: string) => never,
): CatalogOffer {
  if (typeof raw !== 'object' || raw === null) return fail(`${at} is not an object`);
  const o = raw as Record<string, unknown>;
  if (typeof o.name !== 'string' || !/^[a-z0-9-]+$/.test(o.name))
    fail(`${at}name must be lowercase letters, digits and hyphens`);
  const permission = (o.permission ?? []) as Permission[];
  const prohibition = (o.prohibition ?? []) as Prohibition[];
  if (!Array.isArray(permission) || permission.length === 0)
    fail(`${at}permission must list at least one rule`);
  for (const [i, rule] of [...permission, ...prohibition].entries()) {
    if (typeof rule.action !== 'string') fail(`${at}rule ${i} needs an action`);
    for (const c of rule.constraint ?? []) {
      if ('operator' in c && !isOperator(c.operator))
        fail(`${at}rule ${i}: unknown operator ${String(c.operator)}`);
    }
  }
  // Rule ids let a refusal name the rule that refused (issue 7: "a refusal says which rule refused").
  const base = `urn:twinbox:${participant}:offer:${dataset}:${o.name as string}`;
  const offer: CatalogOffer = {
    '@id': base,
    '@type': 'Offer',
    permission: permission.map((p, i) => ({ '@id': p['@id'] ?? `${base}:permission:${i}`, ...p })),
  };
  if (prohibition.length > 0)
    offer.prohibition = prohibition.map((p, i) => ({ '@id': p['@id'] ?? `${base}:prohibition:${i}`, ...p }));
  return offer;
}

/** The DCAT-AP description the DSP catalogue and the DCAT-AP export are both made from. */
export function catalogueDescription(
  p: Publication,
  publicUrl: string,
  dspBase: string,
): DcatCatalogDescription {
  const service = `${dspBase}`;
  return {
    id: `${publicUrl}/twinbox/v1/catalogue`,
    title: p.title,
    description: p.description,
    publisher: { id: `${publicUrl}/#publisher`, name: p.publisher },
    services: [{ id: service, title: `${p.title}: Dataspace Protocol 2025-1`, endpointURL: service }],
    datasets: p.datasets.map((d) => ({
      id: d.id,
      title: d.title,
      description: d.description,
      keywords: d.keywords,
      ...(d.theme ? { themes: [{ id: `${THEME}${d.theme}`, label: THEME_LABELS[d.theme] }] } : {}),
      ...(d.license ? { license: d.license } : {}),
      publisher: { id: `${publicUrl}/#publisher`, name: p.publisher },
      distributions: [
        {
          id: `${d.id}:distribution:ngsi-ld`,
          title: `${d.title} (NGSI-LD, after contract negotiation)`,
          accessURL: service,
          format: 'http://publications.europa.eu/resource/authority/file-type/JSON_LD',
          mediaType: 'https://www.iana.org/assignments/media-types/application/ld+json',
          accessService: service,
        },
      ],
      offers: d.offers,
    })),
  };
}
