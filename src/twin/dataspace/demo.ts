/**
 * The federation demo `npm start` runs once both cities listen: the consumer (Bologna) finds the
 * provider's (Leipzig's) catalogue, negotiates access to its EV charging stations for the purpose
 * "mobility planning", starts a transfer and reads the stations; then shows that a request without
 * an agreement, for another purpose, anonymous, or after the agreement expired is refused, and why.
 * Everything goes through the consumer's twinbox API over HTTP, as an app would.
 */

export interface DemoOptions {
  /** Base URL of the consumer instance (Bologna). */
  consumer: string;
  /** Base URL of the provider instance (Leipzig). */
  provider: string;
  purpose?: string;
  dataset?: string;
  offer?: string;
  entityType?: string;
  /** An offer that expires soon after first use, to show the refusal after expiry; skipped when absent. */
  expiringOffer?: string;
  /** How long to wait for the expiring offer to lapse. */
  expiryWaitMs?: number;
  log?: (line: string) => void;
}

export interface Refusal {
  case: string;
  status: number;
  detail: string;
  rule?: string;
}

export interface DemoReport {
  providerDid: string;
  datasets: string[];
  negotiationId: string;
  agreementId: string;
  transferId: string;
  entities: unknown[];
  refusals: Refusal[];
}

const POLL_MS = 50;
const WAIT_MS = 15_000;

export async function runDataspaceDemo(o: DemoOptions): Promise<DemoReport> {
  const log = o.log ?? (() => {});
  const purpose = o.purpose ?? 'mobility planning';
  const datasetName = o.dataset ?? 'ev-charging';
  const offerName = o.offer ?? 'mobility-planning';
  const type = o.entityType ?? 'EVChargingStation';
  const consumer = o.consumer.replace(/\/$/, '');

  const catalog = (await call(
    'GET',
    `${consumer}/twinbox/v1/federation/catalogue?provider=${encodeURIComponent(o.provider)}`,
  )) as {
    participantId: string;
    dataset?: { '@id': string; title?: string; hasPolicy: { '@id': string }[] }[];
  };
  const datasets = catalog.dataset ?? [];
  log(`catalogue of ${catalog.participantId}: ${datasets.map((d) => d.title ?? d['@id']).join('; ')}`);
  const dataset = datasets.find((d) => d['@id'].endsWith(`:dataset:${datasetName}`));
  if (!dataset) throw new Error(`${o.provider} publishes no dataset ${datasetName}`);
  const offerId = (name: string) => dataset.hasPolicy.find((p) => p['@id'].endsWith(`:${name}`))?.['@id'];

  const access = async (offer: string, forPurpose: string) => {
    const id = offerId(offer);
    if (!id) throw new Error(`dataset ${dataset['@id']} has no offer ${offer}`);
    const started = (await call('POST', `${consumer}/twinbox/v1/negotiations`, {
      provider: o.provider,
      datasetId: dataset['@id'],
      offerId: id,
      purpose: forPurpose,
    })) as { id: string };
    const n = (await until(`${consumer}/twinbox/v1/negotiations/${encodeURIComponent(started.id)}`, (x) =>
      ['FINALIZED', 'TERMINATED'].includes(x.state as string),
    )) as { id: string; state: string; agreementId?: string; reason?: string };
    if (n.state !== 'FINALIZED' || !n.agreementId)
      throw new Error(`negotiation ${n.id} ended ${n.state}: ${n.reason ?? ''}`);
    log(`negotiation ${n.id}: FINALIZED, agreement ${n.agreementId}`);
    const t = (await call('POST', `${consumer}/twinbox/v1/transfers`, { agreementId: n.agreementId })) as {
      id: string;
    };
    const started2 = (await until(`${consumer}/twinbox/v1/transfers/${encodeURIComponent(t.id)}`, (x) =>
      ['STARTED', 'TERMINATED'].includes(x.state as string),
    )) as { id: string; state: string; reason?: string };
    if (started2.state !== 'STARTED')
      throw new Error(`transfer ${t.id} ended ${started2.state}: ${started2.reason ?? ''}`);
    log(`transfer ${t.id}: STARTED`);
    return { negotiationId: n.id, agreementId: n.agreementId, transferId: t.id };
  };
  const read = (agreementId: string, forPurpose: string, extra = '') =>
    fetch(
      `${consumer}/twinbox/v1/federation/entities?agreementId=${encodeURIComponent(agreementId)}&type=${encodeURIComponent(type)}&purpose=${encodeURIComponent(forPurpose)}&limit=1000${extra}`,
    );

  const granted = await access(offerName, purpose);
  const res = await read(granted.agreementId, purpose);
  if (res.status !== 200)
    throw new Error(`reading ${type} under ${granted.agreementId}: ${res.status} ${await res.text()}`);
  const entities = (await res.json()) as unknown[];
  log(`read ${entities.length} ${type} entities from ${catalog.participantId} for '${purpose}'`);

  const refusals: Refusal[] = [];
  const refused = async (name: string, r: Response) => {
    const body = (await r.json().catch(() => ({}))) as { detail?: string; rule?: string };
    const entry: Refusal = { case: name, status: r.status, detail: body.detail ?? '' };
    if (body.rule) entry.rule = body.rule;
    refusals.push(entry);
    log(`refused (${name}): ${r.status} ${entry.detail}`);
  };
  await refused('another purpose', await read(granted.agreementId, 'marketing'));
  await refused(
    'no agreement',
    await fetch(
      `${consumer}/twinbox/v1/federation/entities?agreementId=${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}&provider=${encodeURIComponent(o.provider)}&type=${encodeURIComponent(type)}&purpose=${encodeURIComponent(purpose)}`,
    ),
  );
  await refused(
    'anonymous request',
    await fetch(
      `${o.provider.replace(/\/$/, '')}/twinbox/v1/shared/${encodeURIComponent(granted.agreementId)}/entities?type=${encodeURIComponent(type)}`,
    ),
  );
  await refused(
    'negotiation for another purpose',
    await fetch(`${consumer}/twinbox/v1/negotiations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: o.provider,
        datasetId: dataset['@id'],
        offerId: offerId(offerName),
        purpose: 'marketing',
      }),
    }),
  );
  if (o.expiringOffer && offerId(o.expiringOffer)) {
    const trial = await access(o.expiringOffer, purpose);
    const first = await read(trial.agreementId, purpose);
    log(`expiring agreement ${trial.agreementId}: first read ${first.status}`);
    await first.arrayBuffer();
    await new Promise((r) => setTimeout(r, o.expiryWaitMs ?? 2500));
    await refused('after expiry', await read(trial.agreementId, purpose));
  }
  return {
    providerDid: catalog.participantId,
    datasets: datasets.map((d) => d['@id']),
    ...granted,
    entities,
    refusals,
  };
}

async function call(method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

async function until(url: string, done: (x: Record<string, unknown>) => boolean): Promise<unknown> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const x = (await call('GET', url)) as Record<string, unknown>;
    if (done(x) || Date.now() > deadline) return x;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
