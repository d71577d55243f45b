/**
 * The catalogue: DSP 2025-1 §Catalog Protocol (HTTPS binding: `POST /catalog/request`,
 * `GET /catalog/datasets/:id`) for authenticated participants, and the DCAT-AP 3 export at
 * `/twinbox/v1/catalogue` (JSON-LD or Turtle by Accept) for harvesters.
 */
import {
  catalogError,
  dcatCatalogQuads,
  dspaceVersion,
  dspCatalog,
  type RootCatalog,
  rootDataset,
  toJsonLd,
  toTurtle,
} from '../../dataspace/index.ts';
import { type Connector, DSP_PATH, isObject, rawBody } from './connector.ts';
import { catalogueDescription } from './publication.ts';

export function catalogRoutes(c: Connector): void {
  const { app } = c;
  // The catalogue changes only when publish.json does (a new Publication object): build each form
  // once per publication, not per request — 1,000 datasets take a second to serialise.
  const built = new WeakMap<object, { catalog?: RootCatalog; jsonld?: string; turtle?: string }>();
  const forms = () => {
    let f = built.get(c.publication);
    if (!f) built.set(c.publication, (f = {}));
    return f;
  };
  const description = () => catalogueDescription(c.publication, c.publicUrl, c.dspBase);
  const catalog = (): RootCatalog => {
    const f = forms();
    f.catalog ??= dspCatalog(description(), c.identity.did);
    return f.catalog;
  };

  app.get('/.well-known/did.json', async () => c.identity.document);

  // DSP 2025-1 §Common Functionality "Exposure of Dataspace Protocol Versions".
  app.get('/.well-known/dspace-version', async () =>
    dspaceVersion({ path: DSP_PATH, identifierType: 'did:web', serviceId: c.identity.did }),
  );

  app.post(`${DSP_PATH}/catalog/request`, async (request, reply) => {
    const caller = await c.authenticate(request);
    if (!caller.ok) {
      const answer = catalogError('401', [caller.reason]);
      c.audit({
        actor: 'unknown',
        action: 'catalog.request',
        outcome: 'refused',
        detail: caller.reason,
        message: answer,
      });
      return reply.code(401).send(answer);
    }
    const body = rawBody(request)?.json;
    if (!isObject(body) || body['@type'] !== 'CatalogRequestMessage') {
      const answer = catalogError('400', ['the body must be a CatalogRequestMessage']);
      c.audit({
        actor: caller.value.did,
        action: 'catalog.request',
        outcome: 'refused',
        detail: 'not a CatalogRequestMessage',
        message: answer,
      });
      return reply.code(400).send(answer);
    }
    c.audit({ actor: caller.value.did, action: 'catalog.request.received', outcome: 'ok', message: body });
    const answer = catalog();
    c.audit({
      actor: caller.value.did,
      action: 'catalog.answered',
      outcome: 'ok',
      detail: `${answer.dataset?.length ?? 0} datasets`,
      message: answer,
    });
    return answer;
  });

  app.get<{ Params: { id: string } }>(`${DSP_PATH}/catalog/datasets/:id`, async (request, reply) => {
    const caller = await c.authenticate(request);
    if (!caller.ok) {
      const answer = catalogError('401', [caller.reason]);
      c.audit({
        actor: 'unknown',
        action: 'catalog.dataset',
        outcome: 'refused',
        detail: caller.reason,
        message: answer,
      });
      return reply.code(401).send(answer);
    }
    const dataset = catalog().dataset?.find((d) => d['@id'] === request.params.id);
    if (!dataset) {
      const answer = catalogError('404', [
        `no dataset ${request.params.id} in the catalogue of ${c.identity.did}`,
      ]);
      c.audit({
        actor: caller.value.did,
        action: 'catalog.dataset',
        outcome: 'refused',
        detail: `unknown dataset ${request.params.id}`,
        message: answer,
      });
      return reply.code(404).send(answer);
    }
    const answer = rootDataset(dataset);
    c.audit({ actor: caller.value.did, action: 'catalog.dataset.answered', outcome: 'ok', message: answer });
    return answer;
  });

  // DCAT-AP 3 for harvesters: the catalogue is public, access to the data is negotiated.
  app.get('/twinbox/v1/catalogue', async (request, reply) => {
    const f = forms();
    const accept = request.headers.accept ?? '';
    if (/text\/turtle/.test(accept) && !/application\/(ld\+)?json/.test(accept.split(',')[0] ?? '')) {
      f.turtle ??= toTurtle(dcatCatalogQuads(description()));
      return reply.header('content-type', 'text/turtle; charset=utf-8').send(f.turtle);
    }
    f.jsonld ??= JSON.stringify(toJsonLd(dcatCatalogQuads(description())));
    return reply.header('content-type', 'application/ld+json').send(f.jsonld);
  });
}
