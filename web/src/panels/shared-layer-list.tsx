/**
 * Layers another city shares with this one under a contract agreement: one row per layer, named
 * for its provider, agreement and purpose, with the provider's attribution and licence, and the
 * reason when the provider refuses the read.
 */
import { type SharedLayer, shortAgreementId } from '../federation/shared-layers.ts';
import { formatNumber, type Language, type Strings, typeName } from '../i18n.ts';
import { styleFor } from '../map/layer-styles.ts';

export function sharedLayerName(l: SharedLayer, t: Strings): string {
  const a = l.agreement;
  return `${t.sharedBy(a.providerName)} (${t.agreement} ${shortAgreementId(a.id)}, ${t.purpose} ${a.purpose ?? '—'})`;
}

export function SharedLayerList({
  layers,
  t,
  lang,
  onToggle,
  onShow,
}: {
  layers: SharedLayer[];
  t: Strings;
  lang: Language;
  onToggle: (key: string, visible: boolean) => void;
  onShow: (key: string) => void;
}) {
  if (layers.length === 0) return null;
  return (
    <section aria-labelledby="shared-heading" className="layers shared-layers" data-testid="shared-layers">
      <h2 id="shared-heading">{t.sharedData}</h2>
      <ul>
        {layers.map((l) => {
          const { colour, outline } = styleFor(l.key);
          const a = l.agreement;
          return (
            <li key={l.key} data-testid={`shared-layer-${l.status}`} data-agreement={a.id}>
              <label className="layer-toggle">
                <input
                  type="checkbox"
                  checked={l.visible}
                  disabled={l.status !== 'ready'}
                  onChange={(e) => onToggle(l.key, e.target.checked)}
                  data-testid={`toggle-${l.key}`}
                />
                <span className="swatch swatch-point" style={{ background: colour, borderColor: outline }} aria-hidden="true" />
                <span className="layer-name">
                  {sharedLayerName(l, t)} <span className="muted small">· {typeName(l.type, lang)}</span>
                </span>
                <span className="count">
                  {l.status === 'loading'
                    ? `${t.loading}…`
                    : l.status === 'ready'
                      ? formatNumber(l.count, lang)
                      : l.status === 'refused'
                        ? t.refused
                        : t.waiting}
                </span>
              </label>
              {l.status === 'refused' && (
                <p className="refusal" role="status" data-testid="refusal">
                  {l.reason}
                  {l.rule && (
                    <>
                      {' '}
                      ({t.rule} <code>{l.rule}</code>)
                    </>
                  )}
                </p>
              )}
              {l.status === 'waiting' && <p className="muted small">{l.reason}</p>}
              <p className="shared-source small" data-testid="shared-attribution">
                {a.attribution.map((x, i) => (
                  <span key={x.text}>
                    {i > 0 && ' · '}
                    {x.source ? (
                      <a href={x.source} target="_blank" rel="noreferrer">
                        {x.text}
                      </a>
                    ) : (
                      x.text
                    )}
                  </span>
                ))}
                {a.publisher && <span>{a.attribution.length > 0 && ' · '}{a.publisher}</span>}
                {a.licence && <span> · {a.licence}</span>}
              </p>
              {l.status === 'ready' && l.count > 0 && (
                <button type="button" className="link-button" onClick={() => onShow(l.key)} data-testid={`show-${l.key}`}>
                  {t.showOnMap}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
