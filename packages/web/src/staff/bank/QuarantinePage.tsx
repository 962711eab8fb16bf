// The hash bank's quarantine (bank.review): fingerprints suspended from the partners' feed and from
// matching — a partner reported a false positive, or too many matches or reports came in — oldest
// first, each to restore (back in the feed and matching) or reject (withdrawn for good: confirmed first,
// it cannot be undone here). A decided fingerprint leaves the list and the focus moves to the next one;
// one decided meanwhile by someone else (404 HASH_NOT_FOUND) is said, and the list is loaded again.
import { useCallback, useEffect, useRef, useState } from 'react';

import type { QuarantinedHash } from '../api';
import { failureWords, quarantineChanged } from '../errors';
import { staffLocale } from '../format';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Confirm } from '../ui/Confirm';
import { Feedback, FailureText } from '../ui/Feedback';
import { useMediaQuery, useNow } from '../ui/hooks';
import { PageTitle } from '../ui/PageTitle';
import { useAction } from '../ui/useAction';
import { focusAfterRemoval, withoutHash } from './quarantine';
import { QuarantineCards, QuarantineTable, type Decision, type RowsProps } from './QuarantineRows';

/** Where the focus goes after a decision: a row's button, or the title when the list is empty. */
type FocusTarget = { readonly hashId: number; readonly decision: Decision } | 'title';

const buttonKey = (hashId: number, decision: Decision) => `${hashId}:${decision}`;

export function QuarantinePage() {
  const { tr, say, language } = useStaffI18n();
  const { api } = useStaffSession();
  const [items, setItems] = useState<readonly QuarantinedHash[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadFailure, setLoadFailure] = useState<Words | null>(null);
  const [confirming, setConfirming] = useState<QuarantinedHash | null>(null);
  const [failedFor, setFailedFor] = useState<number | null>(null);
  const action = useAction();
  const narrow = useMediaQuery('(max-width: 600px)');
  const now = useNow();
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const focusWanted = useRef<FocusTarget | null>(null);

  /** Loads the list; resolves to it, or null when it could not be loaded (the failure is shown). */
  const load = useCallback(async (): Promise<readonly QuarantinedHash[] | null> => {
    setLoading(true);
    const result = await api.quarantine();
    setLoading(false);
    if (!result.ok) {
      setLoadFailure(failureWords(result.failure));
      return null;
    }
    setLoadFailure(null);
    setItems(result.data.items);
    return result.data.items;
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  // After a decision, once the list on screen has changed: the focus never stays on a button that is gone.
  useEffect(() => {
    const target = focusWanted.current;
    if (target === null) return;
    focusWanted.current = null;
    const element = target === 'title' ? document.getElementById('page-title') : buttons.current.get(buttonKey(target.hashId, target.decision));
    element?.focus();
  });

  const buttonRef = useCallback((hashId: number, decision: Decision, element: HTMLButtonElement | null) => {
    if (element === null) buttons.current.delete(buttonKey(hashId, decision));
    else buttons.current.set(buttonKey(hashId, decision), element);
  }, []);

  const afterRemoval = (before: readonly QuarantinedHash[], hashId: number, after?: readonly QuarantinedHash[]): FocusTarget => {
    const next = focusAfterRemoval(before, hashId, after);
    return next === null ? 'title' : { hashId: next, decision: 'restore' };
  };

  const decide = async (item: QuarantinedHash, decision: Decision) => {
    const shown = items ?? [];
    let changed = false;
    setFailedFor(null);
    const done = await action.run(() => api.reviewHash(item.hashId, decision), {
      done: () => ({ key: decision === 'restore' ? 'bank.restored' : 'bank.rejected', params: { id: item.hashId } }),
      onFailure: (failure) => {
        changed = quarantineChanged(failure);
      },
    });
    setConfirming(null);
    if (done !== null) {
      focusWanted.current = afterRemoval(shown, item.hashId);
      setItems((list) => (list === null ? list : withoutHash(list, item.hashId)));
      return;
    }
    if (changed) {
      // decided meanwhile by someone else: the list as it is now (the alert stays)
      const list = await load();
      if (list !== null && !list.some((other) => other.hashId === item.hashId)) {
        focusWanted.current = afterRemoval(shown, item.hashId, list);
        return;
      }
    }
    setFailedFor(item.hashId);
    focusWanted.current = { hashId: item.hashId, decision };
  };

  const onDecide = (item: QuarantinedHash, decision: Decision) => {
    if (decision === 'restore') return void decide(item, 'restore');
    action.reset();
    setFailedFor(null);
    setConfirming(item);
  };

  const cancel = () => {
    const item = confirming;
    setConfirming(null);
    if (item !== null) focusWanted.current = { hashId: item.hashId, decision: 'reject' };
  };

  const confirm =
    confirming === null ? null : (
      <Confirm
        question={tr('bank.reject.confirm', { id: confirming.hashId })}
        details={<p>{confirming.caseId === null ? tr('bank.reject.imported') : tr('bank.reject.case', { id: confirming.caseId })}</p>}
        confirmLabel={tr('bank.reject.yes')}
        onConfirm={() => void decide(confirming, 'reject')}
        onCancel={cancel}
        pending={action.pending}
        testId="quarantine-confirm"
      />
    );

  const rowsProps: RowsProps = {
    items: items ?? [],
    now,
    pending: action.pending,
    onDecide,
    buttonRef,
    confirmFor: confirming?.hashId ?? null,
    confirm,
    failedFor,
    failure: action.state.status === 'failed' ? say(action.state.words) : null,
  };

  return (
    <div className="staff-quarantine-page">
      <div className="staff-page-head">
        <PageTitle>{tr('bank.title')}</PageTitle>
        <button type="button" className="button-secondary" onClick={() => void load()} disabled={loading} data-testid="quarantine-refresh">
          {tr('bank.refresh')}
        </button>
      </div>
      <p className="hint">{tr('bank.intro')}</p>
      <p role="status" className="staff-status" data-testid="quarantine-status">
        {loading ? tr('bank.loading') : items === null ? '' : tr('bank.count', { count: new Intl.NumberFormat(staffLocale(language)).format(items.length) })}
      </p>
      <FailureText words={loadFailure} testId="quarantine-error" />
      <Feedback state={action.state} testId="quarantine-action" />
      {items !== null && items.length === 0 && (
        <p className="staff-empty" data-testid="quarantine-empty">
          {tr('bank.empty')}
        </p>
      )}
      {items !== null && items.length > 0 && (narrow ? <QuarantineCards {...rowsProps} /> : <QuarantineTable {...rowsProps} />)}
    </div>
  );
}
