import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './hash-route.ts';
import type { Route } from './hash-route.ts';

describe('hash routes', () => {
  it('reads each screen from the hash, the desk for anything else', () => {
    expect(parseRoute('')).toEqual({ screen: 'desk' });
    expect(parseRoute('#/')).toEqual({ screen: 'desk' });
    expect(parseRoute('#/nowhere')).toEqual({ screen: 'desk' });
    expect(parseRoute('#/review')).toEqual({ screen: 'review', callId: null });
    expect(parseRoute('#/review/call%201?x=1')).toEqual({ screen: 'review', callId: 'call 1' });
    expect(parseRoute('#/supervisor/c-2')).toEqual({ screen: 'supervisor', callId: 'c-2' });
    expect(parseRoute('#/admin')).toEqual({ screen: 'admin' });
    expect(parseRoute('#/review/%E0%A4%A')).toEqual({ screen: 'review', callId: null });
  });

  it('writes hashes that read back as the same route', () => {
    const routes: Route[] = [{ screen: 'desk' }, { screen: 'review', callId: null }, { screen: 'review', callId: 'a/b c' }, { screen: 'supervisor', callId: 'x' }, { screen: 'admin' }];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });
});
