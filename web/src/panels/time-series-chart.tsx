/** A uPlot line chart of one numeric series; uPlot draws 100k points on a canvas without lag. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from '../api/ngsi-client.ts';
import { formatNumber, type Language } from '../i18n.ts';

export function TimeSeriesChart({ series, lang, label }: { series: Series; lang: Language; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(240, el.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 200,
        series: [
          {},
          {
            label,
            stroke: '#0072B2',
            width: 1.5,
            fill: 'rgba(0,114,178,0.12)',
            points: { show: series.values.length < 60 },
            value: (_u, v) => (v == null ? '–' : formatNumber(v, lang)),
          },
        ],
        axes: [{ stroke: '#333' }, { stroke: '#333', size: 56, values: (_u, vals) => vals.map((v) => formatNumber(v, lang)) }],
        legend: { show: true },
        cursor: { drag: { x: true, y: false } },
      },
      [series.times, series.values],
      el,
    );
    return () => plot.destroy();
  }, [series, lang, label]);
  return <div ref={host} className="chart" data-testid="history-chart" role="img" aria-label={label} />;
}
