// The queue's state, held by the logged-in shell so that the filters, the rows loaded ("load more"
// included) and the selection are still there when coming back from a case.
import type { QueueCase, StaffMe } from '@halte/contract';
import { useCallback, useRef, useState } from 'react';

import type { StaffApi } from '../api';
import { failureWords } from '../errors';
import type { Words } from '../i18n/catalogue';
import { appendPage, DEFAULT_FILTERS, type QueueFilters } from './filters';

export interface QueueState {
  readonly filters: QueueFilters;
  readonly rows: readonly QueueCase[];
  readonly nextCursor: string | null;
  readonly status: 'idle' | 'loading' | 'loading-more' | 'loaded' | 'failed';
  readonly failure: Words | null;
  /** the selected row (keyboard), -1 for none */
  readonly selected: number;
  /** a claim from the queue: what happened, for the status line */
  readonly notice: Words | null;
  readonly claimFailure: Words | null;
}

const INITIAL: QueueState = { filters: DEFAULT_FILTERS, rows: [], nextCursor: null, status: 'idle', failure: null, selected: -1, notice: null, claimFailure: null };

export function useQueue(api: StaffApi, me: StaffMe) {
  const [state, setState] = useState<QueueState>(INITIAL);
  // Answers of an older request (filters changed meanwhile) are dropped.
  const generation = useRef(0);
  const claiming = useRef(false);

  const load = useCallback(
    async (filters: QueueFilters) => {
      const mine = ++generation.current;
      setState((s) => ({ ...s, filters, status: 'loading', failure: null, notice: null, claimFailure: null }));
      const result = await api.queue(filters);
      if (mine !== generation.current) return;
      if (!result.ok) return setState((s) => ({ ...s, status: 'failed', failure: failureWords(result.failure) }));
      setState((s) => {
        // keep the selection on the same case when it is still listed
        const selectedId = s.rows[s.selected]?.id;
        const index = selectedId === undefined ? -1 : result.data.cases.findIndex((c) => c.id === selectedId);
        return { ...s, rows: result.data.cases, nextCursor: result.data.nextCursor, status: 'loaded', selected: index };
      });
    },
    [api],
  );

  const refresh = useCallback(() => load(state.filters), [load, state.filters]);

  const more = useCallback(async () => {
    if (state.nextCursor === null || state.status === 'loading' || state.status === 'loading-more') return;
    const mine = generation.current;
    setState((s) => ({ ...s, status: 'loading-more', failure: null }));
    const result = await api.queue(state.filters, state.nextCursor);
    if (mine !== generation.current) return;
    if (!result.ok) return setState((s) => ({ ...s, status: 'failed', failure: failureWords(result.failure) }));
    setState((s) => ({ ...s, rows: appendPage(s.rows, result.data.cases), nextCursor: result.data.nextCursor, status: 'loaded' }));
  }, [api, state.filters, state.nextCursor, state.status]);

  const select = useCallback((index: number) => setState((s) => ({ ...s, selected: index })), []);

  /** A case claimed (here or from its page): shown as mine without reloading the list. */
  const markClaimed = useCallback(
    (id: number) => setState((s) => ({ ...s, rows: s.rows.map((c) => (c.id === id ? { ...c, assignee: { id: me.id, email: me.email } } : c)) })),
    [me.id, me.email],
  );

  const claim = useCallback(
    async (row: QueueCase) => {
      if (claiming.current) return;
      claiming.current = true;
      setState((s) => ({ ...s, notice: null, claimFailure: null }));
      const result = await api.claim(row.id);
      claiming.current = false;
      if (!result.ok) {
        // someone else took it first: show who has it now
        if (result.failure.kind === 'http' && result.failure.code === 'CASE_ALREADY_ASSIGNED') await load(state.filters);
        setState((s) => ({ ...s, claimFailure: failureWords(result.failure) }));
        return;
      }
      markClaimed(row.id);
      setState((s) => ({ ...s, notice: { key: 'queue.claimed', params: { reference: row.reference } } }));
    },
    [api, load, markClaimed, state.filters],
  );

  return { state, load, refresh, more, select, claim, markClaimed };
}

export type Queue = ReturnType<typeof useQueue>;
