/**
 * The data-space connector of a city instance, mounted on its HTTP server: identity (did:web),
 * governance (trust list, onboarding), catalogue (DSP and DCAT-AP), contract negotiation, transfer
 * process, policy-checked shared data and the audit log.
 */
import type { FastifyInstance } from 'fastify';
import { catalogRequestMessage, type RootCatalog } from '../../dataspace/index.ts';
import { type AuditRecord, SqliteDataspaceStore, SqliteStore, type Store } from '../../store/index.ts';
import { catalogRoutes } from './catalog-routes.ts';
import {
  CALLBACK_PATH,
  type Connector,
  DSP_PATH,
  peerFailure,
  type RawBody,
  sendProblem,
} from './connector.ts';
import { createGovernance } from './governance.ts';
import { didForUrl, loadOrCreateIdentity } from './identity.ts';
import { discoverDspBase, negotiationConsumerRoutes } from './negotiation-consumer.ts';
import { negotiationProviderRoutes } from './negotiation-provider.ts';
import { createPeerClient } from './peer-client.ts';
import { type Publication, watchPublication } from './publication.ts';
import { sharedDataRoutes } from './shared-data.ts';
import { transferRoutes } from './transfer-routes.ts';

export interface DataspaceOptions {
  store: Store;
  /** The instance's data folder: the key pair lives here, and an operator's `publish.json` overrides the city's. */
  dataDir: string;
  publicUrl: string;
  /** The city folder (with its `publish.json`) and id, for a city instance. */
  city?: { id: string; dir: string };
  /** Other instances by id, so `publish.json` can name the authority and approved participants by id. */
  peers?: { id: string; url: string }[];
  /** A publication given directly (tests); otherwise read from `publish.json`. */
  publication?: Publication;
  now?: () => Date;
}

const JSON_TYPES = ['application/json', 'application/ld+json'];

/** The plugin to pass in `buildApp({ plugins })`. */
export function dataspacePlugin(o: DataspaceOptions) {
  return async (app: FastifyInstance): Promise<void> => {
    if (!(o.store instanceof SqliteStore)) throw new Error('the data-space connector needs the SQLite store');
    const store = new SqliteDataspaceStore(o.store.database);
    const now = o.now ?? (() => new Date());
    const publicUrl = o.publicUrl.replace(/\/$/, '');
    const current = o.publication
      ? () => o.publication as Publication
      : watchPublication({ dataDir: o.dataDir, cityDir: o.city?.dir, cityId: o.city?.id }, (err) =>
          app.log.error({ err: err.message }, 'dataspace: publish.json not reloaded'),
        );
    // Governance is fixed at start-up: who the authority is does not change while the instance runs.
    const publication = current();
    const dspBase = `${publicUrl}${DSP_PATH}`;
    const identity = loadOrCreateIdentity(o.dataDir, publicUrl, `${dspBase}/catalog`);
    const peers = createPeerClient(identity, now);
    const peerUrl = (idOrUrl: string) =>
      /^https?:\/\//.test(idOrUrl) ? idOrUrl : o.peers?.find((p) => p.id === idOrUrl)?.url;
    const authority = publication.governance.authority;
    const authorityUrl = authority === 'self' ? 'self' : peerUrl(authority);
    if (!authorityUrl)
      throw new Error(
        `publish.json: governance.authority '${authority}' is neither 'self', a URL nor a peer id`,
      );
    const approved = publication.governance.approve.map((a) =>
      a.startsWith('did:') ? a : didForUrl(peerUrl(a) ?? 'http://unknown.invalid'),
    );
    const governance = createGovernance({
      identity,
      store,
      peers,
      publicUrl,
      name: publication.participant,
      authorityUrl: authorityUrl.replace(/\/$/, ''),
      approved,
      now,
    });

    await app.register(async (scope) => {
      // Signatures cover the body bytes, so the connector keeps them beside the parsed JSON.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (_req, body, done) => {
        const raw = body as string;
        try {
          done(null, { raw, json: raw.trim() === '' ? undefined : JSON.parse(raw) } satisfies RawBody);
        } catch (err) {
          const e = new Error(`the body is not valid JSON: ${(err as Error).message}`) as Error & {
            statusCode: number;
          };
          e.statusCode = 400;
          done(e, undefined);
        }
      });
      const c: Connector = {
        app: scope,
        log: app.log,
        identity,
        store,
        get publication() {
          return current();
        },
        publicUrl,
        dspBase,
        callbackAddress: `${publicUrl}${CALLBACK_PATH}`,
        peers,
        now,
        authenticate: governance.authenticate,
        ensureOnboarded: governance.ensureOnboarded,
        audit: (e) => {
          store.audit({ ...e, at: e.at ?? now().toISOString() });
        },
      };
      governance.routes(scope, c);
      catalogRoutes(c);
      negotiationProviderRoutes(c);
      negotiationConsumerRoutes(c);
      transferRoutes(c);
      sharedDataRoutes(c);

      // Consumer: another participant's DSP catalogue, fetched with a signed CatalogRequestMessage.
      scope.get<{ Querystring: { provider?: string } }>(
        '/twinbox/v1/federation/catalogue',
        async (request, reply) => {
          const provider = request.query.provider;
          if (!provider || !/^https?:\/\//.test(provider))
            return sendProblem(reply, 'BadRequestData', 'provider must be an http(s) URL');
          try {
            await c.ensureOnboarded();
            const base = await discoverDspBase(c, provider);
            const m = catalogRequestMessage();
            const res = await peers.send('POST', `${base}/catalog/request`, m);
            c.audit({
              actor: identity.did,
              action: 'catalog.CatalogRequestMessage.sent',
              outcome: res.status === 200 ? 'ok' : 'refused',
              detail: `to ${base}`,
              message: m,
            });
            if (res.status !== 200) return reply.code(res.status).send(res.body);
            const catalog = res.body as RootCatalog;
            c.audit({
              actor: catalog.participantId,
              action: 'catalog.Catalog.received',
              outcome: 'ok',
              message: catalog,
            });
            return catalog;
          } catch (err) {
            return peerFailure(reply, `${provider}`, err);
          }
        },
      );

      // The data owner's audit log: who did what, when, under which agreement.
      scope.get<{ Querystring: Record<string, string | undefined> }>(
        '/twinbox/v1/audit',
        async (request, reply) => {
          const q = request.query;
          const limit = q.limit === undefined ? undefined : Number(q.limit);
          const after = q.after === undefined ? undefined : Number(q.after);
          if (
            (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) ||
            (after !== undefined && !Number.isInteger(after))
          ) {
            return sendProblem(reply, 'BadRequestData', 'limit and after must be integers');
          }
          const outcome = q.outcome as AuditRecord['outcome'] | undefined;
          if (outcome !== undefined && !['ok', 'refused', 'failed'].includes(outcome))
            return sendProblem(reply, 'BadRequestData', 'outcome must be ok, refused or failed');
          return store.queryAudit({
            agreementId: q.agreementId,
            action: q.action,
            actor: q.actor,
            outcome,
            limit,
            after,
          });
        },
      );

      scope.get('/twinbox/v1/dataspace', async () => ({
        did: identity.did,
        participant: current().participant,
        authority: governance.authorityDid,
        isAuthority: governance.isAuthority,
        dsp: dspBase,
        catalogue: `${publicUrl}/twinbox/v1/catalogue`,
        datasets: current().datasets.map((d) => ({
          id: d.id,
          title: d.title,
          entityTypes: d.entityTypes,
          offers: d.offers.map((x) => x['@id']),
        })),
      }));
    });

    // Join the data space once the server listens; a failure here is retried on the first cross-city call.
    app.addHook('onListen', async () => {
      setTimeout(() => {
        governance
          .ensureOnboarded()
          .catch((err: unknown) =>
            app.log.info({ err: (err as Error).message }, 'dataspace: onboarding deferred'),
          );
      }, 0);
    });
  };
}
