// The queue's filters and paging, as the query string of GET /api/staff/cases (contract: QueueQuery).
import { OPEN_STATUSES, type CaseStatus, type Country, type QueueCase, type Situation } from '@halte/contract';

export type AssigneeFilter = 'all' | 'me' | 'none';

export interface QueueFilters {
  /** empty: the server's default (the open statuses) */
  readonly statuses: readonly CaseStatus[];
  readonly situation: Situation | null;
  readonly country: Country | null;
  readonly assignee: AssigneeFilter;
  /** a case reference (HLT-…): the one case, whatever the other filters */
  readonly reference: string;
}

export const DEFAULT_FILTERS: QueueFilters = { statuses: [...OPEN_STATUSES], situation: null, country: null, assignee: 'all', reference: '' };

/** The query string (without "?") for `filters`, the page after `cursor`, and `limit` rows. */
export function queueSearch(filters: QueueFilters, cursor: string | null = null, limit?: number): string {
  const params = new URLSearchParams();
  if (filters.statuses.length > 0) params.set('status', [...new Set(filters.statuses)].join(','));
  if (filters.situation !== null) params.set('situation', filters.situation);
  if (filters.country !== null) params.set('country', filters.country);
  if (filters.assignee !== 'all') params.set('assignee', filters.assignee);
  // The reference as people type it: the server compares the canonical upper-case form.
  const reference = filters.reference.trim().toUpperCase();
  if (reference !== '') params.set('reference', reference.slice(0, 40));
  if (limit !== undefined) params.set('limit', String(limit));
  if (cursor !== null) params.set('cursor', cursor);
  return params.toString();
}

/** The next page appended to the rows already shown; a case that moved between pages is shown once. */
export function appendPage(shown: readonly QueueCase[], page: readonly QueueCase[]): QueueCase[] {
  const seen = new Set(shown.map((c) => c.id));
  return [...shown, ...page.filter((c) => !seen.has(c.id))];
}

/** The statuses with `status` switched on or off, in the workflow's order. */
export function toggleStatus(statuses: readonly CaseStatus[], status: CaseStatus, on: boolean, order: readonly CaseStatus[]): CaseStatus[] {
  const next = new Set(statuses);
  if (on) next.add(status);
  else next.delete(status);
  return order.filter((s) => next.has(s));
}
