/**
 * Colours per entity type. The palette is Okabe–Ito (distinguishable with the common colour
 * vision deficiencies); each point gets a dark outline so the light colours keep their contrast
 * against the pale background.
 */
export interface TypeStyle {
  colour: string;
  /** draw order: lower first (areas under lines under points) */
  order: number;
  /** outline of points and areas; data shared by another city gets its own, so it is never taken for the city's own */
  outline?: string;
}

export const TYPE_STYLES: Record<string, TypeStyle> = {
  AdministrativeArea: { colour: '#5a5a5a', order: 0 },
  Garden: { colour: '#009E73', order: 1 },
  Building: { colour: '#8c6d46', order: 2 },
  RestrictedTrafficArea: { colour: '#D55E00', order: 3 },
  RoadSegment: { colour: '#6b6b6b', order: 4 },
  Road: { colour: '#6b6b6b', order: 4 },
  PhotovoltaicDevice: { colour: '#F0E442', order: 5 },
  PointOfInterest: { colour: '#CC79A7', order: 6 },
  EVChargingStation: { colour: '#0072B2', order: 7 },
  AirQualityObserved: { colour: '#E69F00', order: 8 },
  TrafficFlowObserved: { colour: '#56B4E9', order: 9 },
};

const FALLBACK = ['#999999', '#117733', '#882255', '#44AA99', '#AA4499'];

/** Outline of data another city shares (vermillion, Okabe–Ito). */
export const SHARED_OUTLINE = '#D55E00';

export function styleFor(type: string): TypeStyle {
  // shared layers are keyed `shared~<type>~<agreement>`: the type's colour, drawn above it, outlined
  const shared = /^shared~([^~]+)~/.exec(type);
  if (shared) return { ...styleFor(shared[1]), order: styleFor(shared[1]).order + 0.5, outline: SHARED_OUTLINE };
  const known = TYPE_STYLES[type];
  if (known) return known;
  let h = 0;
  for (const c of type) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return { colour: FALLBACK[h % FALLBACK.length], order: 10 };
}

/**
 * Sequential ramps of 5 classes (ColorBrewer). Districts use purples, a hue no point layer uses,
 * so points stay legible on top; measured intensities (traffic counts) go yellow to red.
 */
export const DISTRICT_RAMP = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];
export const INTENSITY_RAMP = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
export const RAMP_CLASSES = 5;
export const NO_DATA = '#d9d9d9';

export const BACKGROUND = '#eef0f2';
export const SELECTED = '#d7191c';

/** Class breaks at quantiles so each colour covers about as many areas. */
export function quantileBreaks(values: number[], classes = RAMP_CLASSES): number[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const b = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))];
    if (breaks.length === 0 || b > breaks[breaks.length - 1]) breaks.push(b);
  }
  return breaks;
}
