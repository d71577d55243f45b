/** One row per entity type: toggle, legend swatch, count, and its filter. */
import type { TypeFilter } from '../map/features.ts';
import { styleFor } from '../map/layer-styles.ts';
import { formatNumber, type Language, type Strings, typeName } from '../i18n.ts';

export interface LayerState {
  type: string;
  status: 'loading' | 'ready' | 'error';
  error?: string;
  /** features on the map (with a geometry) */
  count: number;
  visible: boolean;
  geometry: 'point' | 'line' | 'area' | 'none';
  categoryKey?: string;
  categories: string[];
  hasModelled: boolean;
  filter: TypeFilter;
}

function Swatch({ layer }: { layer: LayerState }) {
  const { colour } = styleFor(layer.type);
  const cls = `swatch swatch-${layer.geometry}`;
  return <span className={cls} style={{ background: layer.geometry === 'line' ? undefined : colour, borderColor: colour }} aria-hidden="true" />;
}

/**
 * What a category filter picks, said in the visible label rather than only in the "all" option:
 * with a value chosen, a bare "statisticalArea" would not say that it is the districts' level.
 */
export function categoryLabel(key: string, t: Strings): string {
  return key === 'administrativeLevel' ? t.level : key;
}

export function LayerList({
  layers,
  t,
  lang,
  onToggle,
  onFilter,
}: {
  layers: LayerState[];
  t: Strings;
  lang: Language;
  onToggle: (type: string, visible: boolean) => void;
  onFilter: (type: string, filter: TypeFilter) => void;
}) {
  return (
    <section aria-labelledby="layers-heading" className="layers">
      <h2 id="layers-heading">{t.layers}</h2>
      <ul>
        {layers
          .filter((l) => l.geometry !== 'none' || l.status !== 'ready')
          .map((l) => (
            <li key={l.type} data-testid={`layer-${l.type}`}>
              <label className="layer-toggle">
                <input type="checkbox" checked={l.visible} onChange={(e) => onToggle(l.type, e.target.checked)} data-testid={`toggle-${l.type}`} />
                <Swatch layer={l} />
                <span className="layer-name">{typeName(l.type, lang)}</span>
                <span className="count">
                  {l.status === 'loading' ? `${t.loading}…` : l.status === 'error' ? t.loadError : formatNumber(l.count, lang)}
                </span>
              </label>
              {l.status === 'ready' && l.visible && (l.categoryKey || l.hasModelled) && (
                <div className="layer-filter">
                  {l.categoryKey && l.categories.length > 1 && (
                    <label className="category-filter">
                      <span className="filter-label">{categoryLabel(l.categoryKey, t)}</span>
                      <span className="visually-hidden">
                        {' '}
                        ({typeName(l.type, lang)})
                      </span>
                      <select
                        value={l.filter.category ?? ''}
                        onChange={(e) => onFilter(l.type, { ...l.filter, category: e.target.value || undefined })}
                        data-testid={`filter-${l.type}`}
                      >
                        <option value="">{t.all}</option>
                        {l.categories.map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                      </select>
                    </label>
                  )}
                  {l.hasModelled && (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={!!l.filter.onlyModelled}
                        onChange={(e) => onFilter(l.type, { ...l.filter, onlyModelled: e.target.checked })}
                      />{' '}
                      {t.onlyModelled}
                    </label>
                  )}
                </div>
              )}
            </li>
          ))}
      </ul>
      <p className="legend-note">
        <span className="swatch swatch-point cluster" aria-hidden="true" /> {t.cluster}
      </p>
    </section>
  );
}
