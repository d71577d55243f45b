import type { DcatCatalogDescription } from './dcat.ts';
import { type DspCatalog, type RootCatalog, rootCatalog } from './dsp.ts';

/** DSP distributions name the transfer type as `format` (DSP 2025-1 §Catalog, e.g. `HttpData-PULL`). */
export const PULL_FORMAT = 'HttpData-PULL';

/**
 * The DSP Catalog (catalog.protocol.md) of the same description the DCAT-AP export is made from: each
 * dataset with its offers, each distribution with the data service that negotiates access to it.
 */
export function dspCatalog(c: DcatCatalogDescription, participantId: string): RootCatalog {
  const services = c.services ?? [];
  const catalog: DspCatalog = {
    '@id': c.id,
    '@type': 'Catalog',
    title: c.title,
    description: [{ '@value': c.description, '@language': c.lang ?? 'en' }],
  };
  if (services.length > 0) {
    catalog.service = services.map((s) => ({
      '@id': s.id,
      '@type': 'DataService',
      endpointURL: s.endpointURL,
    }));
  }
  const datasets = c.datasets
    .filter((d) => d.offers.length > 0 && d.distributions.some((x) => x.accessService))
    .map((d) => ({
      '@id': d.id,
      '@type': 'Dataset' as const,
      title: d.title,
      hasPolicy: d.offers,
      distribution: d.distributions
        .filter((x) => x.accessService)
        .map((x) => ({
          '@type': 'Distribution' as const,
          format: PULL_FORMAT,
          accessService: x.accessService!,
        })),
    }));
  if (datasets.length > 0) catalog.dataset = datasets;
  return rootCatalog(catalog, participantId);
}
