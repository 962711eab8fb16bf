// Hash routing (#/report, #/help…): the app is static files that any server or folder can serve,
// with no rewrite rule. Moving between pages REPLACES the history entry instead of adding one, so a
// whole visit to Halte is a single entry in the browser history: "Quitter rapidement" replaces that
// entry, and the back button cannot bring Halte back (components/quick-exit.ts).
import { useSyncExternalStore } from 'react';

export const ROUTES = ['home', 'report', 'followup', 'help', 'privacy'] as const;
export type Route = (typeof ROUTES)[number];

const PATHS: Readonly<Record<Route, string>> = {
  home: '/',
  report: '/report',
  followup: '/follow-up',
  help: '/help',
  privacy: '/privacy',
};

/** The page a location hash shows; anything unknown shows the home page. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0]?.replace(/\/+$/, '') || '/';
  return ROUTES.find((route) => PATHS[route] === path) ?? 'home';
}

export function routeHref(route: Route): string {
  return `#${PATHS[route]}`;
}

const NAVIGATE_EVENT = 'halte:navigate';

/** Shows `route` without adding a history entry. */
export function navigate(route: Route): void {
  window.history.replaceState(null, '', routeHref(route));
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => parseRoute(window.location.hash));
}
