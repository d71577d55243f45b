/**
 * Every UI string in English, German and Italian. Entity type and attribute names stay the
 * Smart Data Models terms in the attribute table (they are what the API speaks); layer names
 * are translated.
 */
export type Language = 'en' | 'de' | 'it';
export const LANGUAGES: Language[] = ['en', 'de', 'it'];
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch', it: 'Italiano' };

const en = {
  appTitle: 'twinbox',
  city: 'City',
  language: 'Language',
  search: 'Search by name or id',
  searchHint: 'Arrow keys choose, Enter opens, Escape clears',
  noResults: 'No matches',
  layers: 'Layers',
  loading: 'loading',
  loadError: 'could not load',
  features: 'features',
  filter: 'Filter',
  all: 'all',
  onlyModelled: 'only modelled data',
  choropleth: 'District statistic',
  statistic: 'Statistic',
  level: 'Level',
  year: 'Year',
  latest: 'latest',
  noStatistic: 'No numeric statistic in this city',
  trafficTime: 'Traffic counts at',
  vehiclesPerHour: 'vehicles/h',
  noData: 'no data',
  close: 'Close',
  attributes: 'Attributes',
  attribute: 'Attribute',
  value: 'Value',
  observedAt: 'observed',
  history: 'History',
  noHistory: 'No history for this entity',
  modelled: 'modelled',
  modelledNote: 'Modelled, not measured',
  dataSources: 'Data',
  mapHint: 'Map: drag to pan, +/- to zoom. Use search to open an entity with the keyboard.',
  cluster: 'cluster (size = count)',
  selected: 'selected',
  entities: 'entities',
  legend: 'Legend',
  apiUnavailable: 'The twin at this address does not answer',
  clusterOf: 'points',
};
export type Strings = typeof en;

const de: Strings = {
  appTitle: 'twinbox',
  city: 'Stadt',
  language: 'Sprache',
  search: 'Suche nach Name oder ID',
  searchHint: 'Pfeiltasten wählen, Enter öffnet, Escape leert',
  noResults: 'Keine Treffer',
  layers: 'Ebenen',
  loading: 'lädt',
  loadError: 'konnte nicht geladen werden',
  features: 'Objekte',
  filter: 'Filter',
  all: 'alle',
  onlyModelled: 'nur modellierte Daten',
  choropleth: 'Statistik der Gebiete',
  statistic: 'Kennzahl',
  level: 'Ebene',
  year: 'Jahr',
  latest: 'neueste',
  noStatistic: 'Keine Kennzahl für diese Stadt',
  trafficTime: 'Verkehrszählung um',
  vehiclesPerHour: 'Fahrzeuge/h',
  noData: 'keine Daten',
  close: 'Schließen',
  attributes: 'Attribute',
  attribute: 'Attribut',
  value: 'Wert',
  observedAt: 'beobachtet',
  history: 'Verlauf',
  noHistory: 'Kein Verlauf für dieses Objekt',
  modelled: 'modelliert',
  modelledNote: 'Modelliert, nicht gemessen',
  dataSources: 'Daten',
  mapHint: 'Karte: ziehen zum Verschieben, +/- zum Zoomen. Mit der Suche öffnen Sie Objekte per Tastatur.',
  cluster: 'Gruppe (Größe = Anzahl)',
  selected: 'ausgewählt',
  entities: 'Objekte',
  legend: 'Legende',
  apiUnavailable: 'Der Zwilling unter dieser Adresse antwortet nicht',
  clusterOf: 'Punkte',
};

const it: Strings = {
  appTitle: 'twinbox',
  city: 'Città',
  language: 'Lingua',
  search: 'Cerca per nome o id',
  searchHint: 'Frecce per scegliere, Invio apre, Esc cancella',
  noResults: 'Nessun risultato',
  layers: 'Livelli',
  loading: 'caricamento',
  loadError: 'caricamento non riuscito',
  features: 'elementi',
  filter: 'Filtro',
  all: 'tutti',
  onlyModelled: 'solo dati modellati',
  choropleth: 'Statistica per zona',
  statistic: 'Indicatore',
  level: 'Livello',
  year: 'Anno',
  latest: 'ultimo',
  noStatistic: 'Nessun indicatore numerico per questa città',
  trafficTime: 'Conteggi di traffico alle',
  vehiclesPerHour: 'veicoli/h',
  noData: 'nessun dato',
  close: 'Chiudi',
  attributes: 'Attributi',
  attribute: 'Attributo',
  value: 'Valore',
  observedAt: 'osservato',
  history: 'Storico',
  noHistory: 'Nessuno storico per questo elemento',
  modelled: 'modellato',
  modelledNote: 'Modellato, non misurato',
  dataSources: 'Dati',
  mapHint: 'Mappa: trascina per spostare, +/- per lo zoom. Usa la ricerca per aprire un elemento da tastiera.',
  cluster: 'gruppo (dimensione = numero)',
  selected: 'selezionato',
  entities: 'elementi',
  legend: 'Legenda',
  apiUnavailable: 'Il gemello a questo indirizzo non risponde',
  clusterOf: 'punti',
};

export const STRINGS: Record<Language, Strings> = { en, de, it };

/** Layer names per entity type (Smart Data Models type names stay the key). */
export const TYPE_NAMES: Record<string, Record<Language, string>> = {
  AdministrativeArea: { en: 'Districts', de: 'Stadtgebiete', it: 'Quartieri e zone' },
  Building: { en: 'Buildings', de: 'Gebäude', it: 'Edifici' },
  EVChargingStation: { en: 'EV charging', de: 'Ladestationen', it: 'Ricarica veicoli elettrici' },
  PointOfInterest: { en: 'Points of interest', de: 'Orte', it: 'Punti di interesse' },
  Garden: { en: 'Parks and green areas', de: 'Parks und Grünflächen', it: 'Parchi e aree verdi' },
  AirQualityObserved: { en: 'Air quality stations', de: 'Luftmessstationen', it: 'Stazioni qualità dell’aria' },
  PhotovoltaicDevice: { en: 'Solar (PV) units', de: 'Solaranlagen (PV)', it: 'Impianti fotovoltaici' },
  Road: { en: 'Roads', de: 'Straßen', it: 'Strade' },
  RoadSegment: { en: 'Road segments', de: 'Straßenabschnitte', it: 'Tratti stradali' },
  TrafficFlowObserved: { en: 'Traffic counters', de: 'Verkehrszähler', it: 'Spire di traffico' },
  RestrictedTrafficArea: { en: 'Restricted traffic zones', de: 'Verkehrsbeschränkte Zonen', it: 'Zone a traffico limitato' },
};

export function typeName(type: string, lang: Language): string {
  return TYPE_NAMES[type]?.[lang] ?? type;
}

/** The first of the instance's languages the app speaks, else English. */
export function defaultLanguage(instanceLanguages: string[]): Language {
  for (const l of instanceLanguages) {
    const short = l.slice(0, 2).toLowerCase();
    if ((LANGUAGES as string[]).includes(short)) return short as Language;
  }
  return 'en';
}

export function formatNumber(n: number, lang: Language): string {
  return n.toLocaleString(lang, { maximumFractionDigits: Math.abs(n) < 10 ? 2 : Math.abs(n) < 1000 ? 1 : 0 });
}
