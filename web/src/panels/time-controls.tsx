/**
 * The two history views on the map: a district statistic by year (choropleth) and traffic
 * counts by hour. Each fetches one attribute's history for every entity of its type once, then
 * the slider only recolours.
 */
import { useEffect, useMemo } from 'react';
import { type EntityTypeInfo, fetchTypeHistory, type Series, type TwinTarget } from '../api/ngsi-client.ts';
import { formatNumber, type Language, type Strings } from '../i18n.ts';
import type { TwinFeature } from '../map/features.ts';
import { DISTRICT_RAMP, INTENSITY_RAMP, quantileBreaks } from '../map/layer-styles.ts';
import { allValues, bestInstant, instants, latestInstant, numericProperties, valuesAt } from '../map/time-values.ts';
import { TimeSlider } from './time-slider.tsx';
import { ValueLegend } from './value-legend.tsx';

export interface ChoroplethState {
  statistic?: string;
  history?: Map<string, Series>;
  years: number[];
  yearIndex: number;
  breaks: number[];
}

export interface TrafficState {
  history?: Map<string, Series>;
  times: number[];
  index: number;
  breaks: number[];
}

/** District statistics are yearly; enough years for the 2000–2023 series of the cities. */
const STATISTIC_YEARS = 100;
/**
 * Traffic counts are hourly and each counter reports on its own days: the slider covers the last
 * two weeks of the whole network (up to its latest count), so at any hour every counter that
 * reported then is shown, not only those whose last count happens to be recent.
 */
const TRAFFIC_WINDOW_S = 14 * 24 * 3600;

const PREFERRED_STATISTICS = ['population', 'populationDensity', 'area'];

export function ChoroplethControl({
  target,
  type,
  features,
  level,
  levelKey,
  state,
  onChange,
  t,
  lang,
}: {
  target: TwinTarget;
  type: EntityTypeInfo;
  features: TwinFeature[];
  level?: string;
  levelKey?: string;
  state: ChoroplethState;
  onChange: (s: ChoroplethState) => void;
  t: Strings;
  lang: Language;
}) {
  const atLevel = useMemo(
    () => features.filter((f) => !level || !levelKey || f.properties[levelKey] === level),
    [features, level, levelKey],
  );
  const statistics = useMemo(() => numericProperties(atLevel), [atLevel]);
  const ids = useMemo(() => new Set(atLevel.map((f) => String(f.properties.id))), [atLevel]);

  // a statistic is shown from the start: the choropleth is the point of the district layer
  useEffect(() => {
    if (state.statistic && statistics.includes(state.statistic)) return;
    const first = PREFERRED_STATISTICS.find((s) => statistics.includes(s)) ?? statistics[0];
    if (first !== state.statistic) onChange({ statistic: first, years: [], yearIndex: 0, breaks: [] });
  }, [statistics, state.statistic, onChange]);

  const statistic = state.statistic;
  useEffect(() => {
    if (!statistic) return;
    const ac = new AbortController();
    const current = atLevel.map((f) => f.properties[statistic]).filter((v): v is number => typeof v === 'number');
    onChange({ statistic, years: [], yearIndex: 0, breaks: quantileBreaks(current) });
    fetchTypeHistory(target, type, statistic, { lastN: STATISTIC_YEARS }, ac.signal)
      .then((history) => {
        const years = instants(history);
        const values = allValues(history, ids);
        onChange({
          statistic,
          history: years.length > 0 ? history : undefined,
          years,
          yearIndex: Math.max(0, years.length - 1),
          breaks: values.length > 0 ? quantileBreaks(values) : quantileBreaks(current),
        });
      })
      .catch(() => {
        // without history the latest values stay on the map
      });
    return () => ac.abort();
  }, [statistic, target, type, atLevel, ids, onChange]);

  return (
    <section className="control" aria-labelledby="choropleth-heading" data-testid="choropleth">
      <h2 id="choropleth-heading">{t.choropleth}</h2>
      {level && levelKey && (
        <p className="muted small" data-testid="choropleth-level">
          {levelKey === 'administrativeLevel' ? t.level : levelKey}: {level}
        </p>
      )}
      {statistics.length === 0 ? (
        <p className="muted">{t.noStatistic}</p>
      ) : (
        <>
          <label className="field">
            {t.statistic}{' '}
            <select
              value={statistic ?? ''}
              onChange={(e) => onChange({ statistic: e.target.value, years: [], yearIndex: 0, breaks: [] })}
              data-testid="statistic"
            >
              {statistics.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <TimeSlider
            times={state.years}
            index={state.yearIndex}
            label={t.year}
            format={(s) => String(new Date(s * 1000).getUTCFullYear())}
            onChange={(i) => onChange({ ...state, yearIndex: i })}
            testId="year-slider"
          />
          <ValueLegend breaks={state.breaks} ramp={DISTRICT_RAMP} lang={lang} noData={t.noData} />
        </>
      )}
    </section>
  );
}

export function TrafficControl({
  target,
  type,
  state,
  onChange,
  t,
  lang,
}: {
  target: TwinTarget;
  type: EntityTypeInfo;
  state: TrafficState;
  onChange: (s: TrafficState) => void;
  t: Strings;
  lang: Language;
}) {
  useEffect(() => {
    if (!type.attributes.has('intensity')) return;
    const ac = new AbortController();
    fetchTypeHistory(target, type, 'intensity', { lastN: 1 }, ac.signal)
      .then((last) => {
        const latest = latestInstant(last);
        if (latest === undefined) return undefined;
        const to = new Date((latest + 1) * 1000);
        return fetchTypeHistory(target, type, 'intensity', { from: new Date(to.getTime() - TRAFFIC_WINDOW_S * 1000), to }, ac.signal);
      })
      .then((history) => {
        if (!history) return;
        const times = instants(history);
        onChange({ history, times, index: bestInstant(history, times), breaks: quantileBreaks(allValues(history)) });
      })
      .catch(() => {
        // no counts: the counters stay in their layer colour
      });
    return () => ac.abort();
  }, [target, type, onChange]);

  if (state.times.length === 0) return null;
  const fmt = (s: number) =>
    new Date(s * 1000).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
  return (
    <section className="control" aria-labelledby="traffic-heading" data-testid="traffic">
      <h2 id="traffic-heading">{t.trafficTime}</h2>
      <TimeSlider times={state.times} index={state.index} label={t.trafficTime} format={fmt} onChange={(i) => onChange({ ...state, index: i })} testId="hour-slider" />
      <ValueLegend breaks={state.breaks} ramp={INTENSITY_RAMP} lang={lang} unit={t.vehiclesPerHour} noData={t.noData} />
      <p className="muted small" data-testid="traffic-coverage">
        {t.reporting(
          formatNumber(state.history ? valuesAt(state.history, state.times[state.index]).size : 0, lang),
          formatNumber(state.history?.size ?? 0, lang),
        )}
      </p>
    </section>
  );
}
