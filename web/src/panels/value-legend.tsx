/** Legend of a colour ramp with its class breaks. */
import { RAMP } from '../map/layer-styles.ts';
import { formatNumber, type Language } from '../i18n.ts';

export function ValueLegend({ breaks, lang, unit, noData }: { breaks: number[]; lang: Language; unit?: string; noData: string }) {
  if (breaks.length === 0) return null;
  const rows: Array<{ colour: string; label: string }> = [];
  rows.push({ colour: RAMP[0], label: `< ${formatNumber(breaks[0], lang)}` });
  for (let i = 0; i < breaks.length; i++) {
    const hi = breaks[i + 1];
    rows.push({
      colour: RAMP[Math.min(i + 1, RAMP.length - 1)],
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
        <span className="swatch" style={{ background: '#d9d9d9' }} aria-hidden="true" /> {noData}
      </li>
    </ul>
  );
}
