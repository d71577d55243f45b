/**
 * The sources of the data on the map with their licences, always visible: the licences (CC-BY,
 * dl-de/by, ODbL) require the attribution wherever the data is shown.
 */
import type { Dataset } from '../api/instance.ts';
import { OSM_ATTRIBUTION } from '../api/instance.ts';
import type { Strings } from '../i18n.ts';

export function attributions(datasets: Dataset[]): Array<{ text: string; source?: string }> {
  const seen = new Set<string>();
  const out: Array<{ text: string; source?: string }> = [];
  for (const d of datasets) {
    const osm = /openstreetmap/i.test(d.attribution) || /^ODbL/i.test(d.licence);
    const text = osm ? OSM_ATTRIBUTION : `${d.attribution} (${d.licence})`;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ text, source: osm ? 'https://www.openstreetmap.org/copyright' : d.source });
  }
  return out;
}

export function AttributionBar({
  datasets,
  extra = [],
  t,
}: {
  datasets: Dataset[];
  /** data other cities share, with their providers' attributions */
  extra?: Array<{ text: string; source?: string }>;
  t: Strings;
}) {
  const items = [...attributions(datasets), ...extra];
  return (
    <footer className="attribution" data-testid="attribution">
      <strong>{t.dataSources}:</strong>{' '}
      {items.length === 0 && <span>—</span>}
      {items.map((a, i) => (
        <span key={a.text}>
          {i > 0 && ' · '}
          {a.source ? (
            <a href={a.source} target="_blank" rel="noreferrer">
              {a.text}
            </a>
          ) : (
            a.text
          )}
        </span>
      ))}
      {' · '}
      <span>MapLibre</span>
    </footer>
  );
}
