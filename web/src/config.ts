/**
 * Where the app finds its twin and base map. Served by an instance, the app talks to its own
 * origin; `?twin=URL` points it at another instance (development, tests), and a base map style
 * with tiles can be configured with `?style=URL` or VITE_MAP_STYLE_URL. Without one, nothing
 * is fetched from the internet.
 */
import { DEMO_INSTANCES, trimBase } from './api/instance.ts';

export function initialTwinUrl(location: Location): string {
  const param = new URLSearchParams(location.search).get('twin');
  if (param) return trimBase(param);
  const env = import.meta.env.VITE_TWIN_URL as string | undefined;
  if (env) return trimBase(env);
  if (location.protocol === 'http:' || location.protocol === 'https:') return trimBase(location.origin);
  return DEMO_INSTANCES[0].url;
}

export function mapStyleUrl(location: Location): string | undefined {
  const param = new URLSearchParams(location.search).get('style');
  return param || (import.meta.env.VITE_MAP_STYLE_URL as string | undefined) || undefined;
}

/** Keeps the chosen city in the address so a reload or a shared link opens it again. */
export function rememberTwinUrl(url: string): void {
  const u = new URL(window.location.href);
  if (trimBase(url) === trimBase(window.location.origin)) u.searchParams.delete('twin');
  else u.searchParams.set('twin', url);
  window.history.replaceState(null, '', u);
}
