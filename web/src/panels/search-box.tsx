/** Search by name or id over the loaded entities, as an ARIA combobox (arrows, Enter, Escape). */
import { useMemo, useState } from 'react';
import { type Language, type Strings, typeName } from '../i18n.ts';

export interface SearchEntry {
  id: string;
  name: string;
  type: string;
  /** searchKey of name and id, built once per load */
  key: string;
}

const MAX_RESULTS = 12;

/**
 * Case and accents folded: sources mix composed and decomposed Unicode (NFC/NFD), and a user
 * typing "Lutzner" or "Lützner" means the same street.
 */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function searchEntries(entries: SearchEntry[], query: string): SearchEntry[] {
  const q = searchKey(query.trim());
  if (q.length < 2) return [];
  const starts: SearchEntry[] = [];
  const contains: SearchEntry[] = [];
  for (const e of entries) {
    const at = e.key.indexOf(q);
    if (at < 0) continue;
    (at === 0 ? starts : contains).push(e);
    if (starts.length >= MAX_RESULTS) break;
  }
  return [...starts, ...contains].slice(0, MAX_RESULTS);
}

export function SearchBox({ entries, t, lang, onPick }: { entries: SearchEntry[]; t: Strings; lang: Language; onPick: (id: string) => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const results = useMemo(() => searchEntries(entries, query), [entries, query]);
  const open = query.trim().length >= 2;
  const pick = (id: string) => {
    onPick(id);
    setQuery('');
  };
  return (
    <div className="search">
      <label htmlFor="search-input" className="visually-hidden">
        {t.search}
      </label>
      <input
        id="search-input"
        type="search"
        role="combobox"
        aria-expanded={open}
        aria-controls="search-results"
        aria-activedescendant={open && results[active] ? `result-${active}` : undefined}
        aria-describedby="search-hint"
        placeholder={t.search}
        value={query}
        data-testid="search"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, results.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const r = results[active];
            if (r) pick(r.id);
            else if (/^urn:/i.test(query.trim())) pick(query.trim());
          } else if (e.key === 'Escape') {
            setQuery('');
          }
        }}
      />
      <span id="search-hint" className="visually-hidden">
        {t.searchHint}
      </span>
      {open && (
        <ul id="search-results" role="listbox" className="results" data-testid="search-results">
          {results.length === 0 && <li className="muted">{t.noResults}</li>}
          {results.map((r, i) => (
            <li
              key={r.id}
              id={`result-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(r.id);
              }}
            >
              <span className="result-name">{r.name}</span>
              <span className="result-type">{typeName(r.type, lang)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
