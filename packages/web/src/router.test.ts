import { describe, expect, it } from 'vitest';

import { parseRoute, routeHref, ROUTES } from './router';

describe('hash routes', () => {
  it('round-trips every route through its href', () => {
    for (const route of ROUTES) expect(parseRoute(routeHref(route))).toBe(route);
  });

  it('reads the paths people may type', () => {
    expect(parseRoute('')).toBe('home');
    expect(parseRoute('#')).toBe('home');
    expect(parseRoute('#/')).toBe('home');
    expect(parseRoute('#/report')).toBe('report');
    expect(parseRoute('#/report/')).toBe('report');
    expect(parseRoute('#/follow-up?x=1')).toBe('followup');
    expect(parseRoute('#/help')).toBe('help');
    expect(parseRoute('#/privacy')).toBe('privacy');
  });

  it('shows the home page for anything unknown', () => {
    expect(parseRoute('#/admin')).toBe('home');
    expect(parseRoute('#report')).toBe('home');
  });
});
