/** Legend of a colour ramp with its class breaks. */
import { NO_DATA } from '../map/layer-styles.ts';
import { formatNumber, type Language } from '../i18n.ts';

export function ValueLegend({ breaks, ramp, lang, unit, noData }: { breaks: number[]; ramp: string[]; lang: Language; unit?: string; noData: string }) {
  if (breaks.length === 0) return null;
  const rows: Array<{ colour: string; label: string }> = [];
  rows.push({ colour: ramp[0], label: `< ${formatNumber(breaks[0], lang)}` });
  for (let i = 0; i < breaks.length; i++) {
    const hi = breaks[i + 1];
    rows.push({
      colour: ramp[Math.min(i + 1, ramp.length - 1)],
      label: hi === undefined ? `≥ ${formatNumber(breaks[i], lang)}` : `${formatNumber(breaks[i], lang)} – ${formatNumber(hi, lang)}`,
    });
  }
  return (
    <ul className="value-legend" data-testid="value-legend">
      {rows.map((r) => (
        <li key={r.label}>
          <span className="swatch" style={{ background: r.colour }} aria-hidden="true" /> {r.label}
          {unit ? ` ${unit}` : ''}
        </li>
      ))}
      <li>
        <span className="swatch" style={{ background: NO_DATA }} aria-hidden="true" /> {noData}
      </li>
    </ul>
  );
}
