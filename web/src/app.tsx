/**
 * The twin's web app: a city's entities on a map, one layer per entity type, a district
 * choropleth, history charts, search; switching between the city instances of the network.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { fetchInstance, type Instance, switcherEntries } from './api/instance.ts';
import { type EntityTypeInfo, type EntityView, fetchAllEntities, fetchEntityTypes, type TwinTarget } from './api/ngsi-client.ts';
import { initialTwinUrl, mapStyleUrl, rememberTwinUrl } from './config.ts';
import { defaultLanguage, LANGUAGE_NAMES, LANGUAGES, type Language, STRINGS } from './i18n.ts';
import { applyFilter, categoryKey, categoryValues, geometryKind, MODELLED, toFeature, type TwinFeature, type TypeFilter, VALUE } from './map/features.ts';
import { styleFor } from './map/layer-styles.ts';
import { TwinMap } from './map/twin-map.ts';
import { AttributionBar } from './panels/attribution-bar.tsx';
import { ChoroplethControl, type ChoroplethState, TrafficControl, type TrafficState } from './panels/time-controls.tsx';
import { EntityPanel } from './panels/entity-panel.tsx';
import { LayerList, type LayerState } from './panels/layer-list.tsx';
import { SearchBox, type SearchEntry } from './panels/search-box.tsx';
import { valuesAt, withValues } from './map/time-values.ts';

const DISTRICTS = 'AdministrativeArea';
const TRAFFIC = 'TrafficFlowObserved';

function mostCommon(values: string[]): string | undefined {
  return values[0];
}

export function App() {
  const [base, setBase] = useState(() => initialTwinUrl(window.location));
  const [instance, setInstance] = useState<Instance>();
  const [instanceError, setInstanceError] = useState<string>();
  const [chosenLang, setChosenLang] = useState<Language | undefined>(() => {
    const saved = localStorage.getItem('twinbox.lang');
    return (LANGUAGES as string[]).includes(saved ?? '') ? (saved as Language) : undefined;
  });
  const lang = chosenLang ?? defaultLanguage(instance?.languages ?? []);
  const t = STRINGS[lang];
  const [layers, setLayers] = useState<LayerState[]>([]);
  const [search, setSearch] = useState<SearchEntry[]>([]);
  const [selected, setSelected] = useState<string>();
  const [choropleth, setChoropleth] = useState<ChoroplethState>({ years: [], yearIndex: 0, breaks: [] });
  const [traffic, setTraffic] = useState<TrafficState>({ times: [], index: 0, breaks: [] });
  const [types, setTypes] = useState<Map<string, EntityTypeInfo>>(new Map());

  const mapHost = useRef<HTMLDivElement>(null);
  const twinMap = useRef<TwinMap>(undefined);
  const features = useRef(new Map<string, TwinFeature[]>());
  const searchInput = useRef<HTMLElement | null>(null);

  const target: TwinTarget = useMemo(() => ({ base: instance?.url ?? base, tenant: instance?.tenant }), [instance, base]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // 1. the instance: name, languages, extent, peers, datasets
  useEffect(() => {
    const ac = new AbortController();
    setInstanceError(undefined);
    fetchInstance(base, ac.signal)
      .then((i) => {
        setInstance(i);
        document.title = `${i.name} · twinbox`;
      })
      .catch((err: Error) => err.name !== 'AbortError' && setInstanceError(err.message));
    rememberTwinUrl(base);
    return () => ac.abort();
  }, [base]);

  // 2. the map and every entity type of the instance
  useEffect(() => {
    if (!instance || !mapHost.current) return;
    const ac = new AbortController();
    const started = performance.now();
    if (!twinMap.current) {
      twinMap.current = new TwinMap({
        container: mapHost.current,
        styleUrl: mapStyleUrl(window.location),
        centre: instance.centre,
        bbox: instance.bbox,
        onSelect: (id) => setSelected(id),
      });
      (window as unknown as { twinboxMap?: TwinMap }).twinboxMap = twinMap.current;
    }
    const tm = twinMap.current;
    delete document.body.dataset.loaded;
    delete document.body.dataset.firstView;
    document.body.dataset.city = instance.id;
    features.current = new Map();
    setLayers([]);
    setSearch([]);
    setSelected(undefined);
    setChoropleth({ years: [], yearIndex: 0, breaks: [] });
    setTraffic({ times: [], index: 0, breaks: [] });

    const load = async () => {
      await tm.ready;
      if (ac.signal.aborted) return;
      tm.clear();
      tm.fitCity(instance.bbox);
      const list = (await fetchEntityTypes(target, ac.signal)).sort((a, b) => styleFor(a.name).order - styleFor(b.name).order);
      setTypes(new Map(list.map((x) => [x.name, x])));
      setLayers(
        list.map((x) => ({
          type: x.name,
          status: 'loading',
          count: 0,
          visible: true,
          geometry: 'none',
          categories: [],
          hasModelled: false,
          filter: {},
        })),
      );
      const loadType = async (info: EntityTypeInfo) => {
        try {
          const entities = await fetchAllEntities(target, info, ac.signal);
          if (ac.signal.aborted) return;
          const fs: TwinFeature[] = [];
          const entries: SearchEntry[] = [];
          for (const e of entities) {
            const f = toFeature(e);
            if (f) fs.push(f);
            const name = typeof e.name === 'string' ? e.name : e.id;
            entries.push({ id: e.id, name, type: info.name, key: `${name.toLowerCase()} ${e.id.toLowerCase()}` });
          }
          features.current.set(info.name, fs);
          const key = categoryKey(fs);
          const categories = key ? categoryValues(fs, key) : [];
          // districts overlap across levels (city, borough, quarter): show the finest by default
          const filter: TypeFilter = info.name === DISTRICTS && key ? { category: mostCommon(categories) } : {};
          const kinds = new Set(fs.map((f) => geometryKind(f.geometry.type)));
          const geometry = kinds.has('area') ? 'area' : kinds.has('line') ? 'line' : kinds.has('point') ? 'point' : 'none';
          tm.setData(info.name, applyFilter(fs, key, filter));
          setSearch((s) => [...s, ...entries]);
          setLayers((ls) =>
            ls.map((l) =>
              l.type === info.name
                ? { ...l, status: 'ready', count: fs.length, geometry, categoryKey: key, categories, hasModelled: fs.some((f) => f.properties[MODELLED] === true), filter }
                : l,
            ),
          );
        } catch (err) {
          if ((err as Error).name === 'AbortError') return;
          setLayers((ls) => ls.map((l) => (l.type === info.name ? { ...l, status: 'error', error: (err as Error).message } : l)));
        }
      };
      // the districts are the base map: first, so the first view has them
      const districts = list.find((x) => x.name === DISTRICTS);
      if (districts) {
        await loadType(districts);
        tm.map.once('idle', () => {
          if (ac.signal.aborted) return;
          document.body.dataset.firstView = String(Math.round(performance.now() - started));
          document.body.dataset.firstViewSinceStart = String(Math.round(performance.now()));
        });
        tm.map.triggerRepaint();
      }
      await Promise.all(list.filter((x) => x !== districts).map(loadType));
      if (!ac.signal.aborted) document.body.dataset.loaded = instance.id;
    };
    load().catch((err: Error) => err.name !== 'AbortError' && setInstanceError(err.message));
    return () => ac.abort();
  }, [instance, target]);

  // 3. what goes on the map for a type: its filter, and for districts and traffic the slider's values
  const layerByType = useMemo(() => new Map(layers.map((l) => [l.type, l])), [layers]);
  const pushType = useCallback(
    (type: string, values?: Map<string, number>) => {
      const tm = twinMap.current;
      const all = features.current.get(type);
      const layer = layerByType.get(type);
      if (!tm || !all || !layer || layer.status !== 'ready') return;
      const filtered = applyFilter(all, layer.categoryKey, layer.filter);
      tm.setData(type, values ? withValues(filtered, values, VALUE) : filtered);
    },
    [layerByType],
  );

  const districtFilter = layerByType.get(DISTRICTS)?.filter;
  useEffect(() => {
    const tm = twinMap.current;
    if (!tm || !layerByType.get(DISTRICTS) || layerByType.get(DISTRICTS)?.status !== 'ready') return;
    const c = choropleth;
    if (!c.statistic) {
      tm.setColouring(DISTRICTS, undefined);
      pushType(DISTRICTS);
      return;
    }
    let values: Map<string, number>;
    if (c.history && c.years.length > 0) values = valuesAt(c.history, c.years[c.yearIndex]);
    else {
      values = new Map();
      for (const f of features.current.get(DISTRICTS) ?? []) {
        const v = f.properties[c.statistic];
        if (typeof v === 'number') values.set(String(f.properties.id), v);
      }
    }
    tm.setColouring(DISTRICTS, { breaks: c.breaks });
    pushType(DISTRICTS, values);
    // districtFilter is read through layerByType; listed so a level change recolours
  }, [choropleth, districtFilter, layerByType, pushType]);

  const trafficFilter = layerByType.get(TRAFFIC)?.filter;
  useEffect(() => {
    const tm = twinMap.current;
    if (!tm || layerByType.get(TRAFFIC)?.status !== 'ready') return;
    if (!traffic.history || traffic.times.length === 0) {
      pushType(TRAFFIC);
      return;
    }
    tm.setColouring(TRAFFIC, { breaks: traffic.breaks });
    pushType(TRAFFIC, valuesAt(traffic.history, traffic.times[traffic.index]));
  }, [traffic, trafficFilter, layerByType, pushType]);

  // other types: only their filter
  useEffect(() => {
    for (const l of layers) if (l.type !== DISTRICTS && l.type !== TRAFFIC && l.status === 'ready') pushType(l.type);
    // a filter change creates a new layers array; pushing unchanged data is cheap next to a re-tile
  }, [layers.map((l) => `${l.type}:${l.status}:${l.filter.category ?? ''}:${l.filter.onlyModelled ?? ''}`).join('|')]); // eslint-disable-line react-hooks/exhaustive-deps

  const onToggle = (type: string, visible: boolean) => {
    twinMap.current?.setVisible(type, visible);
    setLayers((ls) => ls.map((l) => (l.type === type ? { ...l, visible } : l)));
  };
  const onFilter = (type: string, filter: TypeFilter) => setLayers((ls) => ls.map((l) => (l.type === type ? { ...l, filter } : l)));

  const onEntityLoaded = useCallback((e: EntityView) => {
    const loc = e.attributes.find((a) => a.name === 'location')?.value as { type: string; coordinates: unknown } | undefined;
    const tm = twinMap.current;
    if (!tm) return;
    tm.select(e.id, loc);
  }, []);

  const pick = (id: string) => {
    setSelected(id);
    const f = [...features.current.values()].flat().find((x) => x.properties.id === id);
    if (f && twinMap.current) {
      const coords: number[][] = [];
      const walk = (c: unknown) => {
        if (Array.isArray(c) && typeof c[0] === 'number') coords.push(c as number[]);
        else if (Array.isArray(c)) c.forEach(walk);
      };
      walk(f.geometry.coordinates);
      const xs = coords.map((c) => c[0]);
      const ys = coords.map((c) => c[1]);
      twinMap.current.map.fitBounds([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], { padding: 80, maxZoom: 16, duration: 400 });
    }
  };

  const closePanel = () => {
    setSelected(undefined);
    twinMap.current?.select(undefined);
    searchInput.current?.focus();
  };

  const districtLayer = layerByType.get(DISTRICTS);
  const trafficLayer = layerByType.get(TRAFFIC);

  return (
    <div className="app">
      <header className="top">
        <h1>
          twinbox <span className="city-name">{instance?.name ?? ''}</span>
        </h1>
        <label className="field">
          {t.city}{' '}
          <select value={instance?.url ?? base} onChange={(e) => setBase(e.target.value)} data-testid="city-switcher">
            {instance ? (
              switcherEntries(instance).map((p) => (
                <option key={p.url} value={p.url}>
                  {p.name}
                </option>
              ))
            ) : (
              <option value={base}>{base}</option>
            )}
          </select>
        </label>
        <label className="field">
          {t.language}{' '}
          <select
            value={lang}
            onChange={(e) => {
              const l = e.target.value as Language;
              localStorage.setItem('twinbox.lang', l);
              setChosenLang(l);
            }}
            data-testid="language"
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <div
          className="search-slot"
          ref={(el) => {
            searchInput.current = el?.querySelector('input') ?? null;
          }}
        >
          <SearchBox entries={search} t={t} lang={lang} onPick={pick} />
        </div>
      </header>
      <nav className="side" aria-label={t.layers}>
        {instanceError && <p className="error" role="alert">{`${t.apiUnavailable}: ${instanceError}`}</p>}
        <LayerList layers={layers} t={t} lang={lang} onToggle={onToggle} onFilter={onFilter} />
        {districtLayer?.status === 'ready' && types.get(DISTRICTS) && (
          <ChoroplethControl
            target={target}
            type={types.get(DISTRICTS) as EntityTypeInfo}
            features={features.current.get(DISTRICTS) ?? []}
            level={districtLayer.filter.category}
            levelKey={districtLayer.categoryKey}
            state={choropleth}
            onChange={setChoropleth}
            t={t}
            lang={lang}
          />
        )}
        {trafficLayer?.status === 'ready' && types.get(TRAFFIC) && (
          <TrafficControl target={target} type={types.get(TRAFFIC) as EntityTypeInfo} state={traffic} onChange={setTraffic} t={t} lang={lang} />
        )}
      </nav>
      <main className="map-wrap" aria-label={t.mapHint}>
        <div ref={mapHost} className="map" data-testid="map" />
      </main>
      {selected && <EntityPanel key={selected} target={target} id={selected} lang={lang} t={t} onClose={closePanel} onLoaded={onEntityLoaded} />}
      <AttributionBar datasets={instance?.datasets ?? []} t={t} />
    </div>
  );
}
