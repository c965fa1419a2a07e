/**
 * Hash routes of the UI (no router dependency): `#/` agent desk, `#/review`, `#/review/<callId>`,
 * `#/supervisor`, `#/supervisor/<callId>`, `#/admin`. Anything else is the desk.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { screen: 'desk' }
  | { screen: 'review'; callId: string | null }
  | { screen: 'supervisor'; callId: string | null }
  | { screen: 'admin' };

export type Screen = Route['screen'];

function decodeSegment(segment: string | undefined): string | null {
  if (!segment) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Parses `location.hash` (with or without the leading `#`). */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  const [first, second] = path.split('/').filter(Boolean);
  switch (first) {
    case 'review':
      return { screen: 'review', callId: decodeSegment(second) };
    case 'supervisor':
      return { screen: 'supervisor', callId: decodeSegment(second) };
    case 'admin':
      return { screen: 'admin' };
    default:
      return { screen: 'desk' };
  }
}

/** The hash for a route, e.g. `#/review/call-1`. */
export function routeHref(route: Route): string {
  switch (route.screen) {
    case 'desk':
      return '#/';
    case 'admin':
      return '#/admin';
    case 'review':
    case 'supervisor':
      return route.callId ? `#/${route.screen}/${encodeURIComponent(route.callId)}` : `#/${route.screen}`;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}
const readHash = () => window.location.hash;

/** The current route; re-renders on `hashchange`. */
export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, readHash, () => '');
  return parseRoute(hash);
}
