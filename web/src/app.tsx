/**
 * The twin's web app: a city's entities on a map, one layer per entity type, a district
 * choropleth, history charts, search; switching between the city instances of the network.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type Instance, switcherEntries } from './api/instance.ts';
import { DISTRICTS, type FirstRequests, takePrefetch } from './prefetch.ts';
import { type EntityTypeInfo, type EntityView, fetchAllEntities, fetchEntityTypes, type KeyValuesEntity, type TwinTarget } from './api/ngsi-client.ts';
import { initialTwinUrl, mapStyleUrl, rememberTwinUrl } from './config.ts';
import { defaultLanguage, LANGUAGE_NAMES, LANGUAGES, type Language, STRINGS } from './i18n.ts';
import { applyFilter, categoryKey, categoryValues, geometryKind, MODELLED, toFeature, type TwinFeature, type TypeFilter, VALUE } from './map/features.ts';
import { DISTRICT_RAMP, INTENSITY_RAMP, styleFor } from './map/layer-styles.ts';
import { TwinMap } from './map/twin-map.ts';
import { AttributionBar } from './panels/attribution-bar.tsx';
import { ChoroplethControl, type ChoroplethState, TrafficControl, type TrafficState } from './panels/time-controls.tsx';
import { EntityPanel } from './panels/entity-panel.tsx';
import { LayerList, type LayerState } from './panels/layer-list.tsx';
import { SearchBox, type SearchEntry, searchKey } from './panels/search-box.tsx';
import { valuesAt, withValues } from './map/time-values.ts';
import { type AgreementRecord, fetchConnectorState } from './api/dataspace-client.ts';
import { toEntityView } from './api/ngsi-client.ts';
import { describeAgreements, layersOf, readLayer, type SharedAgreement, type SharedLayer, shortAgreementId } from './federation/shared-layers.ts';
import { FederationPanel } from './panels/federation-panel.tsx';
import { SharedLayerList } from './panels/shared-layer-list.tsx';

const TRAFFIC = 'TrafficFlowObserved';
/** New agreements (Bologna's demo negotiation runs after both cities are up) appear within this. */
const FEDERATION_POLL_MS = 15_000;

function filterKey(f: TypeFilter): string {
  return `${f.category ?? ''}|${f.onlyModelled ? 1 : 0}`;
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
  const [sharedLayers, setSharedLayers] = useState<SharedLayer[]>([]);
  const [received, setReceived] = useState<SharedAgreement[]>([]);
  const [granted, setGranted] = useState<AgreementRecord[]>([]);
  const [showFederation, setShowFederation] = useState(false);
  /** entities other cities share, by id, as they arrived (normalized) with their layer */
  const sharedEntities = useRef(new Map<string, { layer: SharedLayer; entity: Record<string, unknown> }>());
  const syncFederation = useRef<(reread: boolean) => Promise<void>>(undefined);

  const mapHost = useRef<HTMLDivElement>(null);
  const twinMap = useRef<TwinMap>(undefined);
  const features = useRef(new Map<string, TwinFeature[]>());
  /** the filter each type's source was last given, to skip needless re-tiling */
  const pushed = useRef(new Map<string, string>());
  const searchInput = useRef<HTMLElement | null>(null);

  // the address the user chose, not instance.url: behind a proxy the instance may not know its own
  const target: TwinTarget = useMemo(() => ({ base, tenant: instance?.tenant }), [instance, base]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // 1. the instance (name, languages, extent, peers, datasets) and, at the same time, its
  // districts: they are the base map, so the first view waits for nothing else
  const first = useRef<FirstRequests>(undefined);
  useEffect(() => {
    let live = true;
    setInstance(undefined);
    setInstanceError(undefined);
    first.current = takePrefetch(base);
    first.current.instance
      .then((i) => {
        if (!live) return;
        setInstance(i);
        document.title = `${i.name} · twinbox`;
      })
      .catch((err: Error) => live && setInstanceError(err.message));
    rememberTwinUrl(base);
    return () => {
      live = false;
    };
  }, [base]);

  // 2. the map, created at once so its worker starts while the first requests run
  useEffect(() => {
    if (!mapHost.current || twinMap.current) return;
    twinMap.current = new TwinMap({
      container: mapHost.current,
      styleUrl: mapStyleUrl(window.location),
      bbox: [-20, 30, 40, 65],
      onSelect: (id) => {
        setSelected(id);
        setShowFederation(false);
      },
    });
    (window as unknown as { twinboxMap?: TwinMap }).twinboxMap = twinMap.current;
  }, []);

  // 3. every entity type of the instance
  useEffect(() => {
    if (!instance || !mapHost.current) return;
    const ac = new AbortController();
    const started = performance.now();
    const tm = twinMap.current;
    if (!tm) return;
    delete document.body.dataset.loaded;
    delete document.body.dataset.firstView;
    document.body.dataset.city = instance.id;
    features.current = new Map();
    pushed.current = new Map();
    setLayers([]);
    setSearch([]);
    setSelected(undefined);
    setChoropleth({ years: [], yearIndex: 0, breaks: [] });
    setTraffic({ times: [], index: 0, breaks: [] });
    setSharedLayers([]);
    setReceived([]);
    setGranted([]);
    sharedEntities.current = new Map();
    delete document.body.dataset.federation;

    const emptyLayer = (type: string): LayerState => ({
      type,
      status: 'loading',
      count: 0,
      visible: true,
      geometry: 'none',
      categories: [],
      hasModelled: false,
      filter: {},
    });
    const addEntities = (info: EntityTypeInfo, entities: KeyValuesEntity[]) => {
      const fs: TwinFeature[] = [];
      const entries: SearchEntry[] = [];
      for (const e of entities) {
        const f = toFeature(e);
        if (f) fs.push(f);
        const name = typeof e.name === 'string' ? e.name.normalize('NFC') : e.id;
        entries.push({ id: e.id, name, type: info.name, key: searchKey(`${name} ${e.id}`) });
      }
      features.current.set(info.name, fs);
      const key = categoryKey(fs);
      const categories = key ? categoryValues(fs, key) : [];
      // districts overlap across levels (city, borough, quarter): show the most numerous, the finest
      const filter: TypeFilter = info.name === DISTRICTS && key ? { category: categories[0] } : {};
      const kinds = new Set(fs.map((f) => geometryKind(f.geometry.type)));
      const geometry = kinds.has('area') ? 'area' : kinds.has('line') ? 'line' : kinds.has('point') ? 'point' : 'none';
      tm.setData(info.name, applyFilter(fs, key, filter));
      pushed.current.set(info.name, filterKey(filter));
      setSearch((s) => [...s, ...entries]);
      const ready: LayerState = {
        ...emptyLayer(info.name),
        status: 'ready',
        count: fs.length,
        geometry,
        categoryKey: key,
        categories,
        hasModelled: fs.some((f) => f.properties[MODELLED] === true),
        filter,
      };
      setLayers((ls) => (ls.some((l) => l.type === info.name) ? ls.map((l) => (l.type === info.name ? ready : l)) : [...ls, ready]));
    };
    const loadType = async (info: EntityTypeInfo) => {
      try {
        const entities = await fetchAllEntities(target, info, ac.signal);
        if (!ac.signal.aborted) addEntities(info, entities);
      } catch (err) {
        if ((err as Error).name === 'AbortError') return;
        setLayers((ls) => ls.map((l) => (l.type === info.name ? { ...l, status: 'error', error: (err as Error).message } : l)));
      }
    };

    // data other cities share under the instance's agreements: listed again every poll, each
    // layer read once (every read is one use of the agreement), again only on Refresh
    const providers = new Map();
    const read = new Set<string>();
    const sync = async (reread: boolean) => {
      if (reread) read.clear();
      const state = await fetchConnectorState(base, ac.signal);
      setGranted(state.agreements.filter((a) => a.role === 'provider'));
      const agreements = await describeAgreements(state, instance, defaultLanguage(instance.languages), providers, ac.signal);
      if (ac.signal.aborted) return;
      setReceived(agreements);
      const fresh = agreements.flatMap(layersOf);
      const todo = fresh.filter((l) => l.status === 'loading' && !read.has(l.key));
      setSharedLayers((prev) =>
        fresh.map((l) => {
          const before = prev.find((p) => p.key === l.key);
          return before && l.status !== 'waiting' && !todo.includes(l) ? before : { ...l, visible: before?.visible ?? true };
        }),
      );
      await Promise.all(
        todo.map(async (l) => {
          read.add(l.key);
          const r = await readLayer(base, l, ac.signal);
          if (ac.signal.aborted) return;
          const fs: TwinFeature[] = [];
          r.keyValues.forEach((kv, i) => {
            const f = toFeature(kv);
            if (f) fs.push(f);
            sharedEntities.current.set(kv.id, { layer: r.layer, entity: r.entities[i] });
          });
          features.current.set(l.key, fs);
          tm.setData(l.key, fs);
          setSharedLayers((prev) => prev.map((p) => (p.key === l.key ? { ...r.layer, visible: p.visible } : p)));
        }),
      );
    };
    syncFederation.current = (reread) => sync(reread).catch((err: Error) => void (err.name !== 'AbortError' && console.warn(`federation: ${err.message}`)));
    const poll = setInterval(() => void syncFederation.current?.(false), FEDERATION_POLL_MS);
    ac.signal.addEventListener('abort', () => clearInterval(poll));

    const load = async () => {
      await tm.ready;
      if (ac.signal.aborted) return;
      tm.clear();
      tm.fitCity(instance.bbox);
      const pre = first.current?.base === base ? await first.current.districts : [];
      if (ac.signal.aborted) return;
      if (pre.length > 0) {
        const rendered = tm.whenRendered(DISTRICTS);
        addEntities({ name: DISTRICTS, iri: DISTRICTS, attributes: new Map() }, pre);
        await rendered;
        if (ac.signal.aborted) return;
        document.body.dataset.firstView = String(Math.round(performance.now() - started));
        document.body.dataset.firstViewSinceStart = String(Math.round(performance.now()));
      }
      // shared data and /types are asked for only after the first view so they do not delay it
      const federation = syncFederation.current?.(false).then(() => {
        if (!ac.signal.aborted) document.body.dataset.federation = instance.id;
      });
      const list = (await fetchEntityTypes(target, ac.signal)).sort((a, b) => styleFor(a.name).order - styleFor(b.name).order);
      if (ac.signal.aborted) return;
      setTypes(new Map(list.map((x) => [x.name, x])));
      const todo = list.filter((x) => !(x.name === DISTRICTS && pre.length > 0));
      setLayers((ls) => {
        const byType = new Map(ls.map((l) => [l.type, l]));
        return list.map((x) => byType.get(x.name) ?? emptyLayer(x.name));
      });
      await Promise.all([...todo.map(loadType), federation]);
      if (!ac.signal.aborted) {
        if (!document.body.dataset.firstView) document.body.dataset.firstView = String(Math.round(performance.now() - started));
        document.body.dataset.loaded = instance.id;
      }
    };
    load().catch((err: Error) => err.name !== 'AbortError' && setInstanceError(err.message));
    return () => ac.abort();
  }, [instance]); // eslint-disable-line react-hooks/exhaustive-deps -- target and base change with it

  // 4. what goes on the map for a type: its filter, and for districts and traffic the slider's values
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

  // districts: colours by id, so neither a statistic nor a year re-tiles the polygons
  useEffect(() => {
    const tm = twinMap.current;
    if (!tm || layerByType.get(DISTRICTS)?.status !== 'ready') return;
    const c = choropleth;
    if (!c.statistic) {
      tm.setColouring(DISTRICTS, undefined);
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
    tm.setColouring(DISTRICTS, { breaks: c.breaks, ramp: DISTRICT_RAMP, values });
  }, [choropleth, layerByType]);

  // traffic counters: clusters colour by the mean of their points, so the values go in the data
  const trafficFilter = layerByType.get(TRAFFIC)?.filter;
  useEffect(() => {
    const tm = twinMap.current;
    if (!tm || layerByType.get(TRAFFIC)?.status !== 'ready') return;
    if (!traffic.history || traffic.times.length === 0) return;
    tm.setColouring(TRAFFIC, { breaks: traffic.breaks, ramp: INTENSITY_RAMP });
    pushType(TRAFFIC, valuesAt(traffic.history, traffic.times[traffic.index]));
    pushed.current.set(TRAFFIC, filterKey(layerByType.get(TRAFFIC)?.filter ?? {}));
  }, [traffic, trafficFilter, layerByType, pushType]);

  // a changed filter puts the type's features in again; unchanged ones are not re-tiled
  useEffect(() => {
    for (const l of layers) {
      if (l.status !== 'ready') continue;
      const key = filterKey(l.filter);
      if (pushed.current.get(l.type) === key) continue;
      pushed.current.set(l.type, key);
      if (l.type === TRAFFIC && traffic.history && traffic.times.length > 0) pushType(l.type, valuesAt(traffic.history, traffic.times[traffic.index]));
      else pushType(l.type);
    }
  }, [layers, pushType, traffic]);

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
    setShowFederation(false);
    const f = [...features.current.values()].flat().find((x) => x.properties.id === id);
    if (f) twinMap.current?.fitFeatures([f]);
  };

  const onToggleShared = (key: string, visible: boolean) => {
    twinMap.current?.setVisible(key, visible);
    setSharedLayers((ls) => ls.map((l) => (l.key === key ? { ...l, visible } : l)));
  };
  const onShowShared = (key: string) => {
    if (sharedLayers.find((l) => l.key === key)?.visible === false) onToggleShared(key, true);
    twinMap.current?.fitFeatures(features.current.get(key) ?? [], 13);
  };

  // an entity another city shares opens from what arrived under the agreement, never from this twin
  const sharedSelected = useMemo(() => {
    const s = selected ? sharedEntities.current.get(selected) : undefined;
    if (!s) return undefined;
    const a = s.layer.agreement;
    return { entity: toEntityView(s.entity), note: t.sharedNote(a.providerName, shortAgreementId(a.id), a.purpose ?? '—') };
  }, [selected, t, sharedLayers]); // eslint-disable-line react-hooks/exhaustive-deps -- sharedLayers changes with the entities

  const sharedAttribution = useMemo(() => {
    const out: Array<{ text: string; source?: string }> = [];
    for (const l of sharedLayers) {
      if (l.status !== 'ready') continue;
      for (const a of l.agreement.attribution) {
        const text = `${t.sharedBy(l.agreement.providerName)}: ${a.text}`;
        if (!out.some((x) => x.text === text)) out.push({ text, source: a.source });
      }
    }
    return out;
  }, [sharedLayers, t]);

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
          <select value={base} onChange={(e) => setBase(e.target.value)} data-testid="city-switcher">
            {instance ? (
              switcherEntries(instance, base).map((p) => (
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
        <button
          type="button"
          className="header-button"
          aria-pressed={showFederation}
          onClick={() => {
            setShowFederation((v) => !v);
            setSelected(undefined);
            twinMap.current?.select(undefined);
          }}
          data-testid="federation-button"
        >
          {t.federation}
          {received.length + granted.length > 0 && <span className="pill">{received.length + granted.length}</span>}
        </button>
      </header>
      <nav className="side" aria-label={t.layers}>
        {instanceError && <p className="error" role="alert">{`${t.apiUnavailable}: ${instanceError}`}</p>}
        <LayerList layers={layers} t={t} lang={lang} onToggle={onToggle} onFilter={onFilter} />
        <SharedLayerList layers={sharedLayers} t={t} lang={lang} onToggle={onToggleShared} onShow={onShowShared} />
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
      {selected && (
        <EntityPanel key={selected} target={target} id={selected} lang={lang} t={t} onClose={closePanel} onLoaded={onEntityLoaded} shared={sharedSelected} />
      )}
      {showFederation && !selected && instance && (
        <FederationPanel
          base={base}
          instance={instance}
          received={received}
          granted={granted}
          t={t}
          lang={lang}
          onClose={() => setShowFederation(false)}
          onRefresh={() => void syncFederation.current?.(true)}
        />
      )}
      <AttributionBar datasets={instance?.datasets ?? []} extra={sharedAttribution} t={t} />
    </div>
  );
}
