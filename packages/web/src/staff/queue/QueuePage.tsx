// The queue: most urgent first (the server sorts), filters, "load more", claim, and the keyboard:
// j/k ↓/↑ select, Enter/o open, c claim, / search, r refresh (see keyboard.ts).
import type { QueueCase } from '@halte/contract';
import { useCallback, useEffect, useRef, useState } from 'react';

import { staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import type { KeyCommand } from '../keyboard';
import { goTo } from '../routes';
import { usePageKeys, useStaffSession } from '../shell/context';
import { FailureText } from '../ui/Feedback';
import { useMediaQuery, useNow } from '../ui/hooks';
import { PageTitle } from '../ui/PageTitle';
import { QueueFilters } from './QueueFilters';
import { QueueCards, QueueTable } from './QueueRows';
import { QueueStats } from './QueueStats';
import type { Queue } from './useQueue';

export function QueuePage({ queue }: { queue: Queue }) {
  const { tr, say, language } = useStaffI18n();
  const { can } = useStaffSession();
  const { state } = queue;
  const narrow = useMediaQuery('(max-width: 600px)');
  const now = useNow();
  const searchRef = useRef<HTMLInputElement>(null);
  const links = useRef(new Map<number, HTMLAnchorElement>());
  const [statsKey, setStatsKey] = useState(0);
  const [claimPending, setClaimPending] = useState(false);

  useEffect(() => {
    if (state.status === 'idle') void queue.load(state.filters);
  }, [queue, state.status, state.filters]);

  const refresh = useCallback(() => {
    void queue.refresh();
    setStatsKey((k) => k + 1);
  }, [queue]);

  const claim = useCallback(
    async (row: QueueCase) => {
      setClaimPending(true);
      await queue.claim(row);
      setClaimPending(false);
    },
    [queue],
  );

  const onCommand = (command: KeyCommand) => {
    const rowAt = (index: number) => state.rows[index];
    switch (command.kind) {
      case 'select': {
        queue.select(command.index);
        const row = rowAt(command.index);
        if (row !== undefined) links.current.get(row.id)?.focus();
        return;
      }
      case 'open': {
        const row = rowAt(command.index);
        if (row !== undefined) goTo({ page: 'case', id: row.id });
        return;
      }
      case 'claim': {
        const row = rowAt(command.index);
        if (row !== undefined && can('cases.claim') && row.assignee === null) void claim(row);
        return;
      }
      case 'focus-search':
        searchRef.current?.focus();
        return;
      case 'refresh':
        refresh();
        return;
      default:
        return;
    }
  };
  usePageKeys({ page: 'queue', count: state.rows.length, selected: state.selected, onCommand });

  const linkRef = useCallback((id: number, element: HTMLAnchorElement | null) => {
    if (element === null) links.current.delete(id);
    else links.current.set(id, element);
  }, []);

  const rowsProps = { rows: state.rows, selected: state.selected, now, onSelect: queue.select, onClaim: (row: QueueCase) => void claim(row), claimPending, linkRef };
  const loading = state.status === 'loading' || state.status === 'idle';
  const selectedRow = state.rows[state.selected];

  return (
    <div className="staff-queue-page">
      <div className="staff-page-head">
        <PageTitle>{tr('queue.title')}</PageTitle>
        <button type="button" className="button-secondary" onClick={refresh} aria-keyshortcuts="r" data-testid="queue-refresh">
          {tr('queue.refresh')}
        </button>
      </div>
      {can('statistics.read') && <QueueStats reloadKey={statsKey} />}
      <QueueFilters filters={state.filters} onApply={(filters) => void queue.load(filters)} searchRef={searchRef} />
      <p className="hint staff-hide-narrow">{tr('queue.shortcutsHint')}</p>
      <p role="status" className="staff-status" data-testid="queue-status-line">
        {loading
          ? tr('queue.loading')
          : state.notice !== null
            ? say(state.notice)
            : state.status === 'loaded'
              ? tr('queue.count', { count: new Intl.NumberFormat(staffLocale(language)).format(state.rows.length) })
              : ''}
      </p>
      <FailureText words={state.claimFailure ?? state.failure} testId="queue-error" />
      <p className="visually-hidden" aria-live="polite">
        {selectedRow === undefined ? '' : tr('queue.selected', { reference: selectedRow.reference })}
      </p>
      {!loading && state.rows.length === 0 && state.status === 'loaded' && (
        <p className="staff-empty" data-testid="queue-empty">
          {tr('queue.empty')}
        </p>
      )}
      {state.rows.length > 0 && (narrow ? <QueueCards {...rowsProps} /> : <QueueTable {...rowsProps} />)}
      {state.nextCursor !== null && (
        <div className="staff-actions">
          <button type="button" className="button-secondary" onClick={() => void queue.more()} disabled={state.status === 'loading-more'} data-testid="queue-more">
            {state.status === 'loading-more' ? tr('common.loading') : tr('queue.more')}
          </button>
        </div>
      )}
    </div>
  );
}
