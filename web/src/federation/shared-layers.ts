/**
 * The data other cities share with this one: each contract agreement the instance holds as
 * consumer becomes one map layer per entity type of the agreed dataset, read through the
 * instance's connector under the agreement and its purpose. An agreement whose negotiation is not
 * FINALIZED or that has no STARTED transfer is listed with what it waits for; a read the provider
 * refuses is listed with the provider's reason and the rule that refused.
 */
import {
  type AgreementRecord,
  type ConnectorState,
  constraintValues,
  fetchSharedEntities,
  providerBase,
  Refusal,
} from '../api/dataspace-client.ts';
import { type CatalogueView, fetchCatalogue, licenceLabel } from '../api/dcat-catalogue.ts';
import { type Dataset, fetchInstance, type Instance, OSM_ATTRIBUTION, trimBase } from '../api/instance.ts';
import { type KeyValuesEntity, toKeyValues } from '../api/ngsi-client.ts';

/** The state of one agreement as the app sees it. */
export interface SharedAgreement {
  id: string;
  datasetId: string;
  datasetTitle?: string;
  providerDid: string;
  providerUrl?: string;
  providerName: string;
  purpose?: string;
  negotiationState?: string;
  transferId?: string;
  transferState?: string;
  /** licence of the dataset in the provider's catalogue, readable */
  licence?: string;
  publisher?: string;
  /** the provider's own attributions of the shared entity types (source and licence) */
  attribution: Array<{ text: string; source?: string }>;
  entityTypes: string[];
  /** why no data is read under this agreement yet */
  waiting?: string;
}

export interface SharedLayer {
  /** the map's type key: no ':' (MapLibre ids are built from it) */
  key: string;
  agreement: SharedAgreement;
  type: string;
  status: 'loading' | 'ready' | 'refused' | 'waiting';
  count: number;
  visible: boolean;
  /** the refusal's detail, or what the agreement waits for */
  reason?: string;
  rule?: string;
}

export const SHARED_PREFIX = 'shared~';

/** `shared~EVChargingStation~ead0f317`: the map layer of one type under one agreement. */
export function sharedKey(agreementId: string, type: string): string {
  const short = agreementId.replace(/^urn:uuid:/, '').replace(/[^A-Za-z0-9-]/g, '-');
  return `${SHARED_PREFIX}${type}~${short}`;
}

/** The entity type of a shared layer key, or undefined for the instance's own layers. */
export function sharedType(key: string): string | undefined {
  return key.startsWith(SHARED_PREFIX) ? key.split('~')[1] : undefined;
}

/** `urn:uuid:ead0f317-b600-…` -> `ead0f317…`: enough to tell agreements apart in a label. */
export function shortAgreementId(id: string): string {
  const tail = id.replace(/^urn:uuid:/, '');
  return tail.length > 10 ? `${tail.slice(0, 8)}…` : tail;
}

interface ProviderInfo {
  instance?: Instance;
  catalogue?: CatalogueView;
  /** dataset id -> entity types, from the provider's `/twinbox/v1/dataspace` */
  entityTypes: Map<string, string[]>;
}

async function providerInfo(url: string, lang: string, signal: AbortSignal): Promise<ProviderInfo> {
  const [instance, catalogue, dataspace] = await Promise.all([
    fetchInstance(url, signal).catch(() => undefined),
    fetchCatalogue(url, lang, signal).catch(() => undefined),
    fetch(`${trimBase(url)}/twinbox/v1/dataspace`, { signal, headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? (r.json() as Promise<{ datasets?: Array<{ id: string; entityTypes?: string[] }> }>) : undefined))
      .catch(() => undefined),
  ]);
  return {
    instance,
    catalogue,
    entityTypes: new Map((dataspace?.datasets ?? []).map((d) => [d.id, d.entityTypes ?? []])),
  };
}

function providerAttribution(datasets: Dataset[], types: string[]): Array<{ text: string; source?: string }> {
  const out: Array<{ text: string; source?: string }> = [];
  for (const d of datasets) {
    if (!d.entityTypes.some((t) => types.includes(t))) continue;
    const osm = /openstreetmap/i.test(d.attribution) || /^ODbL/i.test(d.licence);
    const text = osm ? OSM_ATTRIBUTION : `${d.attribution} (${d.licence})`;
    if (!out.some((a) => a.text === text)) out.push({ text, source: osm ? 'https://www.openstreetmap.org/copyright' : d.source });
  }
  return out;
}

/** Why an agreement cannot be read yet, or undefined when it can. */
function waitingFor(negotiationState: string | undefined, transferState: string | undefined, reason?: string): string | undefined {
  if (negotiationState && negotiationState !== 'FINALIZED') return `negotiation ${negotiationState}${reason ? `: ${reason}` : ''}`;
  if (!transferState) return 'no transfer process started under this agreement';
  if (transferState !== 'STARTED') return `transfer process ${transferState}${reason ? `: ${reason}` : ''}`;
  return undefined;
}

/**
 * The consumer agreements of the instance with their provider, dataset and purpose; provider
 * descriptions are fetched once per provider and kept in `cache`.
 */
export async function describeAgreements(
  state: ConnectorState,
  instance: Instance,
  lang: string,
  cache: Map<string, Promise<ProviderInfo>>,
  signal: AbortSignal,
): Promise<SharedAgreement[]> {
  const consumed = state.agreements.filter((a) => a.role === 'consumer');
  return Promise.all(consumed.map((a) => describe(a)));

  async function describe(a: AgreementRecord): Promise<SharedAgreement> {
    const id = a.agreement['@id'];
    const negotiation = state.negotiations.find((n) => n.role === 'consumer' && (n.agreementId === id || n.id === a.negotiationId));
    const transfers = state.transfers.filter((t) => t.role === 'consumer' && t.agreementId === id);
    const transfer = transfers.filter((t) => t.state === 'STARTED').pop() ?? transfers.pop();
    const url = providerBase(a.peerAddress);
    let info: ProviderInfo | undefined;
    if (url) {
      if (!cache.has(url)) cache.set(url, providerInfo(url, lang, signal));
      info = await cache.get(url);
    }
    const peer = instance.peers.find((p) => url && trimBase(p.url) === url);
    const dataset = info?.catalogue?.datasets.find((d) => d.id === a.agreement.target);
    const entityTypes = info?.entityTypes.get(a.agreement.target) ?? [];
    const purpose = negotiation?.purpose ?? constraintValues(a.agreement.permission, 'purpose').map(String)[0];
    const shared: SharedAgreement = {
      id,
      datasetId: a.agreement.target,
      datasetTitle: dataset?.title,
      providerDid: a.agreement.assigner,
      providerUrl: url,
      providerName: info?.instance?.name ?? peer?.name ?? a.agreement.assigner,
      purpose,
      negotiationState: negotiation?.state,
      transferId: transfer?.id,
      transferState: transfer?.state,
      licence: dataset?.licences.map(licenceLabel).join(', ') || undefined,
      publisher: dataset?.publisher ?? info?.catalogue?.publisher,
      attribution: providerAttribution(info?.instance?.datasets ?? [], entityTypes),
      entityTypes,
    };
    const waiting =
      waitingFor(negotiation?.state, transfer?.state, transfer?.reason ?? negotiation?.reason) ??
      (entityTypes.length === 0 ? `the entity types of ${a.agreement.target} are not known: ${url ?? a.peerAddress} does not describe it` : undefined);
    if (waiting) shared.waiting = waiting;
    return shared;
  }
}

/** Layers of an agreement before their data is read. */
export function layersOf(a: SharedAgreement): SharedLayer[] {
  const types = a.entityTypes.length > 0 ? a.entityTypes : ['?'];
  return types.map((type) => ({
    key: sharedKey(a.id, type),
    agreement: a,
    type,
    status: a.waiting ? 'waiting' : 'loading',
    count: 0,
    visible: true,
    ...(a.waiting ? { reason: a.waiting } : {}),
  }));
}

export interface SharedRead {
  layer: SharedLayer;
  /** normalized entities as the provider shared them */
  entities: Record<string, unknown>[];
  keyValues: KeyValuesEntity[];
}

/** Reads a layer's entities under its agreement; a refusal comes back as the layer's status. */
export async function readLayer(base: string, layer: SharedLayer, signal: AbortSignal): Promise<SharedRead> {
  const a = layer.agreement;
  try {
    const entities = await fetchSharedEntities(base, { agreementId: a.id, type: layer.type, purpose: a.purpose ?? '' }, signal);
    return { layer: { ...layer, status: 'ready', count: entities.length }, entities, keyValues: entities.map(toKeyValues) };
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    const r = err instanceof Refusal ? err : new Refusal(0, (err as Error).message);
    return {
      layer: { ...layer, status: 'refused', reason: r.detail, ...(r.rule ? { rule: r.rule } : {}) },
      entities: [],
      keyValues: [],
    };
  }
}
