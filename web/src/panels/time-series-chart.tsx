/** A uPlot line chart of one numeric series; uPlot draws 100k points on a canvas without lag. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from '../api/ngsi-client.ts';
import { formatNumber, type Language } from '../i18n.ts';

/** A gap is a step longer than this many typical steps: hourly counts missing a day, a year not surveyed. */
const GAP_STEPS = 2.5;

/**
 * The series with a null in every gap, so uPlot breaks the line there instead of drawing a
 * straight line across days without data. The typical step is the median one.
 */
export function breakAtGaps(times: number[], values: number[]): [number[], (number | null)[]] {
  if (times.length < 3) return [times, values];
  const steps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const typical = steps[Math.floor(steps.length / 2)];
  if (!(typical > 0)) return [times, values];
  const xs: number[] = [times[0]];
  const ys: (number | null)[] = [values[0]];
  for (let i = 1; i < times.length; i++) {
    if (times[i] - times[i - 1] > GAP_STEPS * typical) {
      xs.push((times[i] + times[i - 1]) / 2);
      ys.push(null);
    }
    xs.push(times[i]);
    ys.push(values[i]);
  }
  return [xs, ys];
}

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
            spanGaps: false,
            value: (_u, v) => (v == null ? '–' : formatNumber(v, lang)),
          },
        ],
        axes: [{ stroke: '#333' }, { stroke: '#333', size: 56, values: (_u, vals) => vals.map((v) => formatNumber(v, lang)) }],
        legend: { show: true },
        cursor: { drag: { x: true, y: false } },
      },
      breakAtGaps(series.times, series.values),
      el,
    );
    return () => plot.destroy();
  }, [series, lang, label]);
  return <div ref={host} className="chart" data-testid="history-chart" role="img" aria-label={label} />;
}
