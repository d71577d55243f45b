/**
 * The map: one MapLibre instance whose own style is a plain background, so nothing is fetched
 * from the internet. Each entity type gets up to three GeoJSON sources (points clustered, lines,
 * areas) and its layers; data goes in through setData, never as React components per feature,
 * which keeps 50k features smooth.
 */
import {
  type ExpressionSpecification,
  type GeoJSONSource,
  type LayerSpecification,
  type Map as MapLibreMap,
  type MapLayerMouseEvent,
  type StyleSpecification,
  Map as MapLibre,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { geometryKind, type GeometryKind, type TwinFeature, VALUE } from './features.ts';
import { BACKGROUND, NO_DATA, SELECTED, styleFor } from './layer-styles.ts';

// A Vite build moves the worker into its own asset; MapLibre must be told where.
setWorkerUrl(workerUrl);

const KINDS: GeometryKind[] = ['area', 'line', 'point'];
/** Below this many pixels points merge into a cluster; 40 keeps 1k+ points legible city-wide. */
const CLUSTER_RADIUS_PX = 40;
/** At street zoom every point is shown on its own. */
const CLUSTER_MAX_ZOOM = 14;

export function offlineStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }],
  };
}

export interface Colouring {
  /** class breaks ascending; ramp[i] is used below breaks[i], the last colour above */
  breaks: number[];
  ramp: string[];
  /**
   * Values by entity id. Given, the colours go into a match expression on the id, so a slider
   * move only restyles and never re-tiles the source; without, features carry VALUE.
   */
  values?: Map<string, number>;
}

export function classColour(value: number, c: Colouring): string {
  let i = 0;
  while (i < c.breaks.length && value >= c.breaks[i]) i++;
  return c.ramp[Math.min(i, c.ramp.length - 1)];
}

function matchColour(c: Colouring, fallback: string): ExpressionSpecification {
  const values = c.values ?? new Map<string, number>();
  if (values.size === 0 || c.breaks.length === 0) return ['literal', fallback] as unknown as ExpressionSpecification;
  const expr: unknown[] = ['match', ['get', 'id']];
  for (const [id, v] of values) expr.push(id, classColour(v, c));
  expr.push(fallback);
  return expr as ExpressionSpecification;
}

function step(input: unknown, c: Colouring): unknown[] {
  const expr: unknown[] = ['step', input, c.ramp[0]];
  c.breaks.forEach((b, i) => expr.push(b, c.ramp[Math.min(i + 1, c.ramp.length - 1)]));
  return expr;
}

function stepColour(c: Colouring, fallback: string): ExpressionSpecification {
  if (c.values) return matchColour(c, fallback);
  if (c.breaks.length === 0) return ['literal', fallback] as unknown as ExpressionSpecification;
  return ['case', ['has', VALUE], step(['to-number', ['get', VALUE]], c), fallback] as unknown as ExpressionSpecification;
}

/** A cluster shows the mean value of its points (sum and count come from clusterProperties). */
function clusterMeanColour(c: Colouring, fallback: string): ExpressionSpecification {
  if (c.breaks.length === 0) return ['literal', fallback] as unknown as ExpressionSpecification;
  const mean = ['/', ['get', 'vsum'], ['max', ['get', 'vn'], 1]];
  return ['case', ['>', ['get', 'vn'], 0], step(mean, c), fallback] as unknown as ExpressionSpecification;
}

export interface TwinMapOptions {
  container: HTMLElement;
  styleUrl?: string;
  bbox: [number, number, number, number];
  onSelect: (id: string) => void;
}

export class TwinMap {
  readonly map: MapLibreMap;
  private readonly types = new Set<string>();
  private readonly visible = new Map<string, boolean>();
  private readonly colouring = new Map<string, Colouring>();
  private selected: string | undefined;
  /** MapLibre keeps layer listeners by layer id across remove/add; register each id once */
  private readonly listened = new Set<string>();
  readonly ready: Promise<void>;

  constructor(private readonly options: TwinMapOptions) {
    this.map = new MapLibre({
      container: options.container,
      style: options.styleUrl ?? offlineStyle(),
      bounds: options.bbox,
      fitBoundsOptions: { padding: 20 },
      attributionControl: false,
    });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({}), 'bottom-right');
    this.ready = new Promise((resolve) => {
      if (this.map.loaded()) resolve();
      else this.map.once('load', () => resolve());
    });
  }

  fitCity(bbox: [number, number, number, number]): void {
    this.map.fitBounds(bbox, { padding: 20, duration: 0 });
  }

  private sourceId(type: string, kind: GeometryKind): string {
    return `twin:${type}:${kind}`;
  }

  layerIds(type: string): string[] {
    return this.map.getStyle().layers.filter((l) => l.id.startsWith(`twin:${type}:`)).map((l) => l.id);
  }

  private beforeId(order: number): string | undefined {
    for (const l of this.map.getStyle().layers) {
      const m = /^twin:([^:]+):/.exec(l.id);
      if (m && styleFor(m[1]).order > order) return l.id;
    }
    return this.map.getLayer('selection-line') ? 'selection-line' : undefined;
  }

  private addTypeLayers(type: string): void {
    const { colour, order, outline } = styleFor(type);
    const isDistrict = type === 'AdministrativeArea';
    const vis = this.visible.get(type) === false ? 'none' : 'visible';
    const add = (spec: LayerSpecification) => {
      spec.layout = { ...(spec.layout ?? {}), visibility: vis };
      this.map.addLayer(spec, this.beforeId(order));
    };
    for (const kind of KINDS) {
      const source = this.sourceId(type, kind);
      if (kind === 'point') {
        this.map.addSource(source, {
          type: 'geojson',
          data: { type: 'FeatureCollection', features: [] },
          cluster: true,
          clusterRadius: CLUSTER_RADIUS_PX,
          clusterMaxZoom: CLUSTER_MAX_ZOOM,
          clusterProperties: {
            vsum: ['+', ['to-number', ['coalesce', ['get', VALUE], 0]]],
            vn: ['+', ['case', ['has', VALUE], 1, 0]],
          },
        });
        add({
          id: `${source}:clusters`,
          type: 'circle',
          source,
          filter: ['has', 'point_count'],
          paint: {
            'circle-color': colour,
            'circle-opacity': 0.85,
            'circle-radius': ['step', ['get', 'point_count'], 9, 10, 13, 100, 18, 1000, 24],
            'circle-stroke-color': outline ?? '#1a1a1a',
            'circle-stroke-width': outline ? 3 : 1.5,
          },
        });
        add({
          id: `${source}:points`,
          type: 'circle',
          source,
          filter: ['!', ['has', 'point_count']],
          paint: {
            'circle-color': colour,
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, outline ? 4.5 : 3.5, 16, outline ? 8 : 7],
            'circle-stroke-color': outline ?? '#1a1a1a',
            'circle-stroke-width': outline ? 2.5 : 1,
          },
        });
      } else {
        this.map.addSource(source, { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' });
        if (kind === 'area') {
          add({
            id: `${source}:fill`,
            type: 'fill',
            source,
            paint: {
              'fill-color': isDistrict ? '#ffffff' : colour,
              'fill-opacity': isDistrict ? 0.9 : 0.45,
            },
          });
          add({
            id: `${source}:outline`,
            type: 'line',
            source,
            paint: { 'line-color': isDistrict ? '#7a7f85' : (outline ?? colour), 'line-width': isDistrict ? 1 : outline ? 2 : 0.8 },
          });
        } else {
          add({
            id: `${source}:line`,
            type: 'line',
            source,
            paint: { 'line-color': colour, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.6, 16, 3] },
          });
        }
      }
    }
    for (const id of this.layerIds(type)) {
      if (this.listened.has(id)) continue;
      this.listened.add(id);
      this.map.on('click', id, (e) => this.onClick(e));
      this.map.on('mouseenter', id, () => {
        this.map.getCanvas().style.cursor = 'pointer';
      });
      this.map.on('mouseleave', id, () => {
        this.map.getCanvas().style.cursor = '';
      });
    }
  }

  private onClick(e: MapLayerMouseEvent): void {
    const f = e.features?.[0];
    if (!f) return;
    const props = f.properties as Record<string, unknown>;
    if (props.cluster_id !== undefined) {
      const source = this.map.getSource(f.source) as GeoJSONSource;
      void source.getClusterExpansionZoom(Number(props.cluster_id)).then((zoom) => {
        this.map.easeTo({ center: (f.geometry as GeoJSON.Point).coordinates as [number, number], zoom });
      });
      return;
    }
    if (typeof props.id === 'string') this.options.onSelect(props.id);
  }

  /** Replaces a type's features (already filtered). */
  setData(type: string, features: TwinFeature[]): void {
    if (!this.types.has(type)) {
      this.types.add(type);
      this.addTypeLayers(type);
      this.applyColouring(type);
    }
    const byKind: Record<GeometryKind, TwinFeature[]> = { point: [], line: [], area: [] };
    for (const f of features) {
      const k = geometryKind(f.geometry.type);
      if (k) byKind[k].push(f);
    }
    for (const kind of KINDS) {
      (this.map.getSource(this.sourceId(type, kind)) as GeoJSONSource).setData({
        type: 'FeatureCollection',
        features: byKind[kind] as GeoJSON.Feature[],
      });
    }
  }

  /**
   * Resolves once the type's features are drawn: its sources have taken the latest data and a
   * frame has been rendered with all their tiles (the first-view mark of the app).
   */
  whenRendered(type: string, timeoutMs = 15000): Promise<void> {
    const ids = KINDS.map((k) => this.sourceId(type, k));
    return new Promise((resolve) => {
      let dataSeen = false;
      const done = () => {
        this.map.off('sourcedata', onData);
        this.map.off('render', onRender);
        clearTimeout(timer);
        resolve();
      };
      const onData = (e: { sourceId?: string; sourceDataType?: string }) => {
        if (e.sourceId && ids.includes(e.sourceId)) dataSeen = true;
      };
      const onRender = () => {
        if (dataSeen && ids.every((id) => this.map.isSourceLoaded(id))) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.map.on('sourcedata', onData);
      this.map.on('render', onRender);
      this.map.triggerRepaint();
    });
  }

  /** Moves the map to show the features (a picked entity, a shared layer). */
  fitFeatures(features: TwinFeature[], maxZoom = 15): void {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    const walk = (c: unknown) => {
      if (Array.isArray(c) && typeof c[0] === 'number') {
        w = Math.min(w, c[0] as number);
        e = Math.max(e, c[0] as number);
        s = Math.min(s, c[1] as number);
        n = Math.max(n, c[1] as number);
      } else if (Array.isArray(c)) c.forEach(walk);
    };
    for (const f of features) walk(f.geometry.coordinates);
    if (w > e) return;
    this.map.fitBounds([w, s, e, n], { padding: 80, maxZoom, duration: 400 });
  }

  setVisible(type: string, visible: boolean): void {
    this.visible.set(type, visible);
    for (const id of this.layerIds(type)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }

  /** Colours a type's features by their VALUE property (choropleth, traffic counts), or resets it. */
  setColouring(type: string, colouring: Colouring | undefined): void {
    if (colouring) this.colouring.set(type, colouring);
    else this.colouring.delete(type);
    if (this.types.has(type)) this.applyColouring(type);
  }

  private applyColouring(type: string): void {
    const c = this.colouring.get(type);
    const { colour } = styleFor(type);
    const base = type === 'AdministrativeArea' ? '#ffffff' : colour;
    const fill = `${this.sourceId(type, 'area')}:fill`;
    const points = `${this.sourceId(type, 'point')}:points`;
    const clusters = `${this.sourceId(type, 'point')}:clusters`;
    const noData = type === 'AdministrativeArea' ? NO_DATA : base;
    this.map.setPaintProperty(fill, 'fill-color', c ? stepColour(c, noData) : base);
    this.map.setPaintProperty(fill, 'fill-opacity', c ? 0.85 : type === 'AdministrativeArea' ? 0.9 : 0.45);
    this.map.setPaintProperty(points, 'circle-color', c ? stepColour(c, NO_DATA) : colour);
    // coloured by VALUE (traffic counts): points without a value at this instant recede
    const faded = (c && !c.values ? ['case', ['has', VALUE], 1, 0.4] : 1) as ExpressionSpecification | number;
    this.map.setPaintProperty(points, 'circle-opacity', faded);
    this.map.setPaintProperty(points, 'circle-stroke-opacity', faded);
    this.map.setPaintProperty(clusters, 'circle-opacity', (c && !c.values ? ['case', ['>', ['get', 'vn'], 0], 0.85, 0.35] : 0.85) as ExpressionSpecification | number);
    this.map.setPaintProperty(clusters, 'circle-color', c ? clusterMeanColour(c, NO_DATA) : colour);
  }

  /** Outlines the selected entity; the geometry comes from the entity itself. */
  select(id: string | undefined, geometry?: { type: string; coordinates: unknown }): void {
    this.selected = id;
    const data: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: id && geometry ? [{ type: 'Feature', geometry: geometry as GeoJSON.Geometry, properties: { id } }] : [],
    };
    const src = this.map.getSource('selection') as GeoJSONSource | undefined;
    if (src) {
      src.setData(data);
      return;
    }
    this.map.addSource('selection', { type: 'geojson', data });
    this.map.addLayer({
      id: 'selection-line',
      type: 'line',
      source: 'selection',
      filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': SELECTED, 'line-width': 3 },
    });
    this.map.addLayer({
      id: 'selection-point',
      type: 'circle',
      source: 'selection',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': SELECTED, 'circle-stroke-width': 3 },
    });
  }

  get selectedId(): string | undefined {
    return this.selected;
  }

  /** Removes every twin layer and source (before switching city). */
  clear(): void {
    for (const type of this.types) {
      for (const id of this.layerIds(type)) this.map.removeLayer(id);
      for (const kind of KINDS) this.map.removeSource(this.sourceId(type, kind));
    }
    this.types.clear();
    this.colouring.clear();
    this.select(undefined);
  }

  remove(): void {
    this.map.remove();
  }
}
