import { STAFF_ACTIONS } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { isEnrolmentPath, PAGE_PERMISSION, parseStaffRoute, staffHref, type StaffRoute } from './routes';

describe('staff routes', () => {
  it('round-trip every page through its href', () => {
    const routes: StaffRoute[] = [{ page: 'queue' }, { page: 'case', id: 42 }, { page: 'bank' }, { page: 'due' }, { page: 'hosts' }, { page: 'audit' }, { page: 'settings' }, { page: 'accounts' }];
    for (const route of routes) expect(parseStaffRoute(staffHref(route))).toEqual(route);
  });

  it('show the queue by default and for anything unknown', () => {
    for (const hash of ['', '#', '#/', '#/queue', '#/queue/', '#/nope', '#/case/', '#/case/0', '#/case/-1', '#/case/12abc', '#/case/1.5', '#/case/99999999999999999']) {
      expect(parseStaffRoute(hash), hash).toEqual({ page: 'queue' });
    }
  });

  it('read a case number, a trailing slash and a query', () => {
    expect(parseStaffRoute('#/case/7/')).toEqual({ page: 'case', id: 7 });
    expect(parseStaffRoute('#/case/7?x=1')).toEqual({ page: 'case', id: 7 });
    expect(parseStaffRoute('#/audit?before=3')).toEqual({ page: 'audit' });
    expect(parseStaffRoute('#/bank/')).toEqual({ page: 'bank' });
    expect(staffHref({ page: 'bank' })).toBe('#/bank');
  });

  it('ask for a permission the contract knows for every page; the quarantine for bank.review', () => {
    for (const [page, action] of Object.entries(PAGE_PERMISSION)) expect(STAFF_ACTIONS, page).toContain(action);
    expect(PAGE_PERMISSION.bank).toBe('bank.review');
  });

  it('tell the enrolment page from the other staff paths', () => {
    expect(isEnrolmentPath('/staff/enrol')).toBe(true);
    expect(isEnrolmentPath('/staff/enrol/')).toBe(true);
    expect(isEnrolmentPath('/staff')).toBe(false);
    expect(isEnrolmentPath('/staff/enrolment')).toBe(false);
  });
});
