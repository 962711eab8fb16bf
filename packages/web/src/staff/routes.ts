// The staff area's routes. Two paths: /staff/enrol (the one-time enrolment link, token in the
// fragment) and /staff, whose pages are hash routes (#/queue, #/case/12, #/due (takedowns to do
// today), #/bank (the hash bank's quarantine), #/hosts (the host directory), #/audit, #/settings,
// #/accounts). Unlike the public app, moving between pages adds history entries: staff go back from a
// case to the queue with the browser's button as with any tool.
import type { StaffAction } from '@halte/contract';
import { useSyncExternalStore } from 'react';

export type StaffRoute =
  | { readonly page: 'queue' }
  | { readonly page: 'case'; readonly id: number }
  | { readonly page: 'bank' }
  | { readonly page: 'due' }
  | { readonly page: 'hosts' }
  | { readonly page: 'audit' }
  | { readonly page: 'settings' }
  | { readonly page: 'accounts' };

export type StaffPage = StaffRoute['page'];

/** The permission a page needs (a case is also decided per case by the server). */
export const PAGE_PERMISSION: Readonly<Record<StaffPage, StaffAction>> = {
  queue: 'cases.queue',
  case: 'cases.read',
  bank: 'bank.review',
  due: 'cases.queue',
  hosts: 'cases.queue',
  audit: 'audit.read',
  settings: 'settings.manage',
  accounts: 'staff.manage',
};

/** Whether a path is the enrolment page (`/staff/enrol`, with or without a trailing slash). */
export function isEnrolmentPath(pathname: string): boolean {
  return /^\/staff\/enrol\/?$/.test(pathname);
}

const CASE_PATH = /^\/case\/([1-9]\d{0,15})$/;

/** The page a location hash shows; anything unknown shows the queue. */
export function parseStaffRoute(hash: string): StaffRoute {
  const path = hash.replace(/^#/, '').split('?')[0]?.replace(/\/+$/, '') ?? '';
  const caseMatch = CASE_PATH.exec(path);
  if (caseMatch?.[1] !== undefined) {
    const id = Number(caseMatch[1]);
    if (Number.isSafeInteger(id)) return { page: 'case', id };
  }
  switch (path) {
    case '/bank':
      return { page: 'bank' };
    case '/due':
      return { page: 'due' };
    case '/hosts':
      return { page: 'hosts' };
    case '/audit':
      return { page: 'audit' };
    case '/settings':
      return { page: 'settings' };
    case '/accounts':
      return { page: 'accounts' };
    default:
      return { page: 'queue' };
  }
}

export function staffHref(route: StaffRoute): string {
  return route.page === 'case' ? `#/case/${route.id}` : `#/${route.page}`;
}

/** A stable key of a route, for effects that run when the page changes. */
export function routeKey(route: StaffRoute): string {
  return staffHref(route);
}

export function goTo(route: StaffRoute): void {
  window.location.hash = staffHref(route);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route; the snapshot is the hash (a string), parsed by the caller's memo. */
export function useStaffHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
