/**
 * The Federation panel: the contract agreements this twin holds (what it receives from other
 * cities and what it grants them) and the datasets of the federation, read from each instance's
 * DCAT-AP catalogue (this one and its peers) with publisher, licence and the offers under which
 * they can be negotiated, purposes first.
 */
import { useEffect, useState } from 'react';
import type { AgreementRecord } from '../api/dataspace-client.ts';
import { type CatalogueView, fetchCatalogue, licenceLabel } from '../api/dcat-catalogue.ts';
import type { Instance } from '../api/instance.ts';
import { type SharedAgreement, shortAgreementId } from '../federation/shared-layers.ts';
import { formatNumber, type Language, type Strings } from '../i18n.ts';

interface Props {
  base: string;
  instance: Instance;
  received: SharedAgreement[];
  granted: AgreementRecord[];
  t: Strings;
  lang: Language;
  onClose: () => void;
  onRefresh: () => void;
}

type Catalogues = Array<{ name: string; url: string; catalogue?: CatalogueView; error?: string }>;

function offerId(id: string): string {
  return id.replace(/^.*:offer:/, '');
}

export function FederationPanel({ base, instance, received, granted, t, lang, onClose, onRefresh }: Props) {
  const [catalogues, setCatalogues] = useState<Catalogues>();

  useEffect(() => {
    const ac = new AbortController();
    const members = [{ name: instance.name, url: base }, ...instance.peers.filter((p) => p.url !== base)];
    setCatalogues(undefined);
    Promise.all(
      members.map((m) =>
        fetchCatalogue(m.url, lang, ac.signal).then(
          (catalogue) => ({ name: m.name, url: m.url, catalogue }),
          (err: Error) => ({ name: m.name, url: m.url, error: err.message }),
        ),
      ),
    ).then((c) => !ac.signal.aborted && setCatalogues(c));
    return () => ac.abort();
  }, [base, instance, lang]);

  return (
    <aside
      className="panel federation"
      aria-labelledby="federation-heading"
      data-testid="federation-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="panel-head">
        <h2 id="federation-heading" tabIndex={-1}>
          {t.federation}
        </h2>
        <button type="button" className="link-button" onClick={onRefresh}>
          {t.refresh}
        </button>
        <button type="button" className="close" onClick={onClose} aria-label={t.close}>
          ×
        </button>
      </div>

      <section aria-labelledby="agreements-heading" data-testid="agreements">
        <h3 id="agreements-heading">{t.agreements}</h3>
        {received.length === 0 && granted.length === 0 && <p className="muted">{t.noAgreements}</p>}
        <ul className="cards">
          {received.map((a) => (
            <li key={a.id} className="card" data-testid="agreement">
              <div>
                <strong>{a.datasetTitle ?? a.datasetId}</strong>
              </div>
              <div className="small">
                {t.asConsumer} <strong>{a.providerName}</strong> · {t.agreement} <code title={a.id}>{shortAgreementId(a.id)}</code>
              </div>
              <div className="small">
                {t.purpose}: <strong>{a.purpose ?? '—'}</strong> · {t.negotiation} <span className="state">{a.negotiationState ?? '?'}</span> · {t.transfer}{' '}
                <span className="state">{a.transferState ?? '—'}</span>
              </div>
              {a.waiting && <div className="muted small">{a.waiting}</div>}
            </li>
          ))}
          {granted.map((a) => (
            <li key={a.agreement['@id']} className="card" data-testid="agreement-granted">
              <div>
                <strong>{a.agreement.target}</strong>
              </div>
              <div className="small">
                {t.asProvider} <code>{a.agreement.assignee}</code> · {t.agreement}{' '}
                <code title={a.agreement['@id']}>{shortAgreementId(a.agreement['@id'])}</code> · {formatNumber(a.usageCount, lang)} {t.uses}
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="catalogue-heading" data-testid="federation-datasets">
        <h3 id="catalogue-heading">{t.federationDatasets}</h3>
        {!catalogues && <p className="muted">{t.loading}…</p>}
        {catalogues?.map((c) => (
          <div key={c.url} className="catalogue" data-testid="catalogue">
            <h4>
              {c.catalogue?.title || c.name}
              {c.catalogue?.publisher && <span className="muted small"> · {c.catalogue.publisher}</span>}
            </h4>
            {c.error && (
              <p className="muted small">
                {t.catalogueUnavailable}: {c.error}
              </p>
            )}
            <ul className="cards">
              {c.catalogue?.datasets.map((d) => (
                <li key={d.id} className="card" data-testid="catalogue-dataset">
                  <div>
                    <strong>{d.title}</strong>
                    {d.themes.length > 0 && <span className="tag">{d.themes.join(', ')}</span>}
                  </div>
                  {d.description && <div className="muted small">{d.description}</div>}
                  <dl className="facts small">
                    {d.publisher && (
                      <>
                        <dt>{t.publisher}</dt>
                        <dd>{d.publisher}</dd>
                      </>
                    )}
                    {d.licences.length > 0 && (
                      <>
                        <dt>{t.licence}</dt>
                        <dd>
                          {d.licences.map((l, i) => (
                            <span key={l}>
                              {i > 0 && ', '}
                              <a href={l} target="_blank" rel="noreferrer">
                                {licenceLabel(l)}
                              </a>
                            </span>
                          ))}
                        </dd>
                      </>
                    )}
                    <dt>{t.offers}</dt>
                    <dd>
                      <ul className="offers">
                        {d.offers.map((o) => (
                          <li key={o.id} data-testid="offer">
                            <code>{offerId(o.id)}</code>: {t.purposes}{' '}
                            <strong>{o.purposes.length > 0 ? o.purposes.join(', ') : t.anyPurpose}</strong>
                            {o.conditions.length > 0 && (
                              <span className="muted">
                                {' '}
                                · {t.conditions}: {o.conditions.join('; ')}
                              </span>
                            )}
                            {o.prohibited.length > 0 && (
                              <span className="muted">
                                {' '}
                                · {t.prohibited}: {o.prohibited.join(', ')}
                              </span>
                            )}
                          </li>
                        ))}
                      </ul>
                    </dd>
                  </dl>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </aside>
  );
}
