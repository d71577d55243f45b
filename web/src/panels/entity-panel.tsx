/**
 * The selected entity: its attributes (with units, observation times and the "modelled" label
 * where the twin's data is modelled rather than measured) and a chart of its history.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { type EntityView, fetchEntity, fetchHistory, type Series, type TwinTarget } from '../api/ngsi-client.ts';
import { formatNumber, type Language, type Strings, typeName } from '../i18n.ts';
import { TimeSeriesChart } from './time-series-chart.tsx';

interface Props {
  target: TwinTarget;
  id: string;
  lang: Language;
  t: Strings;
  onClose: () => void;
  onLoaded: (entity: EntityView) => void;
  /** an entity another city shares: shown as it arrived under the agreement, with whose it is */
  shared?: { entity: EntityView; note: string };
}

/** UN/CEFACT unit codes the twin's data uses, shown as symbols. */
const UNITS: Record<string, string> = {
  MTK: 'm²',
  HAR: 'ha',
  MTR: 'm',
  KWT: 'kW',
  GQ: 'µg/m³',
  ANN: 'a',
  DD: '°',
  KMT: 'km',
  P1: '%',
  E50: 'veh/h',
};

function show(value: unknown, lang: Language): string {
  if (typeof value === 'number') return formatNumber(value, lang);
  // sources mix decomposed Unicode in; composed text renders and copies the same everywhere
  if (typeof value === 'string') return value.normalize('NFC');
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.map((v) => show(v, lang)).join(', ');
  if (value && typeof value === 'object' && 'type' in value && 'coordinates' in value) return String((value as { type: string }).type);
  if (value && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${show(v, lang)}`)
      .join('; ');
  return '';
}

export function EntityPanel({ target, id, lang, t, onClose, onLoaded, shared }: Props) {
  const [entity, setEntity] = useState<EntityView | undefined>();
  const [history, setHistory] = useState<Series[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [chosen, setChosen] = useState<string | undefined>();
  const heading = useRef<HTMLHeadingElement>(null);
  const loadedRef = useRef(onLoaded);
  loadedRef.current = onLoaded;

  useEffect(() => {
    const ac = new AbortController();
    setEntity(undefined);
    setHistory(undefined);
    setError(undefined);
    setChosen(undefined);
    if (shared) {
      setEntity(shared.entity);
      setHistory([]);
      loadedRef.current(shared.entity);
      return;
    }
    fetchEntity(target, id, ac.signal)
      .then((e) => {
        setEntity(e);
        loadedRef.current(e);
      })
      .catch((err: Error) => err.name !== 'AbortError' && setError(err.message));
    fetchHistory(target, id, 2000, ac.signal)
      .then((h) => setHistory(h.filter((s) => s.values.length >= 2)))
      .catch((err: Error) => err.name !== 'AbortError' && setHistory([]));
    return () => ac.abort();
  }, [target, id, shared]);

  useEffect(() => {
    heading.current?.focus();
  }, [id]);

  const modelled = useMemo(() => {
    const p = entity?.attributes.find((a) => a.name === 'dataProvenance');
    if (!p || p.value !== 'modelled') return undefined;
    const attrs = p.sub.modelledAttributes;
    return { attrs: new Set(Array.isArray(attrs) ? (attrs as string[]) : []), note: typeof p.sub.description === 'string' ? p.sub.description : undefined };
  }, [entity]);

  const name = entity?.attributes.find((a) => a.name === 'name')?.value;
  const series = history?.find((s) => s.attribute === chosen) ?? history?.[0];

  return (
    <aside
      className="panel"
      aria-labelledby="entity-heading"
      data-testid="entity-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="panel-head">
        <h2 id="entity-heading" tabIndex={-1} ref={heading}>
          {typeof name === 'string' ? name.normalize('NFC') : id}
        </h2>
        <button type="button" className="close" onClick={onClose} aria-label={t.close}>
          ×
        </button>
      </div>
      {entity && (
        <p className="entity-meta">
          {typeName(entity.type, lang)} · <code>{entity.id}</code>
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {shared && (
        <p className="shared-note" data-testid="shared-note">
          {shared.note}
        </p>
      )}
      {modelled && (
        <p className="modelled-note" data-testid="modelled-note">
          <span className="badge">{t.modelled}</span> {t.modelledNote}
          {modelled.attrs.size > 0 && <>: {[...modelled.attrs].join(', ')}</>}
          {modelled.note && <span className="note"> — {modelled.note}</span>}
        </p>
      )}
      {!shared && (
        <section aria-label={t.history}>
          <h3>{t.history}</h3>
          {history === undefined && <p className="muted">{t.loading}…</p>}
          {history && history.length === 0 && !shared && <p className="muted">{t.noHistory}</p>}
          {history && history.length > 0 && series && (
            <>
              {history.length > 1 && (
                <label className="field">
                  {t.attribute}{' '}
                  <select value={series.attribute} onChange={(e) => setChosen(e.target.value)} data-testid="history-attribute">
                    {history.map((s) => (
                      <option key={s.attribute} value={s.attribute}>
                        {s.attribute}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <TimeSeriesChart
                series={series}
                lang={lang}
                label={`${series.attribute}${series.unitCode ? ` (${UNITS[series.unitCode] ?? series.unitCode})` : ''}`}
              />
            </>
          )}
        </section>
      )}
      {entity && (
        <section aria-label={t.attributes}>
          <h3>{t.attributes}</h3>
          <table className="attrs">
            <thead>
              <tr>
                <th scope="col">{t.attribute}</th>
                <th scope="col">{t.value}</th>
              </tr>
            </thead>
            <tbody>
              {entity.attributes
                .filter((a) => a.name !== 'dataProvenance')
                .map((a, i) => (
                  <tr key={`${a.name}-${i}`}>
                    <th scope="row">
                      {a.name}
                      {modelled?.attrs.has(a.name) && <span className="badge small">{t.modelled}</span>}
                    </th>
                    <td>
                      {a.type === 'Relationship' ? <code>{show(a.value, lang)}</code> : show(a.value, lang)}
                      {a.unitCode && <span className="unit"> {UNITS[a.unitCode] ?? a.unitCode}</span>}
                      {a.observedAt && (
                        <span className="observed">
                          {' '}
                          ({t.observedAt} {a.observedAt.slice(0, 16).replace('T', ' ')})
                        </span>
                      )}
                      {typeof a.sub.description === 'string' && <div className="note">{a.sub.description}</div>}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      )}
    </aside>
  );
}
