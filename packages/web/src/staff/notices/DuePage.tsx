// What must be done about takedowns by tonight (UTC), across the cases this account works: unknown
// hosts, forms to submit, uncertain or failed e-mails, reminders, escalations, removals to confirm —
// oldest first, each a link to its case.
import type { DueItem } from '@halte/contract';
import { useCallback, useEffect, useState } from 'react';

import { failureWords } from '../errors';
import { formatWhen, staffLocale } from '../format';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { staffHref } from '../routes';
import { useStaffSession } from '../shell/context';
import { FailureText } from '../ui/Feedback';
import { PageTitle } from '../ui/PageTitle';

export function DuePage() {
  const { tr, language } = useStaffI18n();
  const { api } = useStaffSession();
  const locale = staffLocale(language);
  const [items, setItems] = useState<readonly DueItem[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [failure, setFailure] = useState<Words | null>(null);

  const load = useCallback(async () => {
    const result = await api.due();
    if (!result.ok) return setFailure(failureWords(result.failure));
    setFailure(null);
    setItems(result.data.items);
    setTruncated(result.data.truncated);
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="staff-due">
      <PageTitle>{tr('due.title')}</PageTitle>
      <p className="hint">{tr('due.intro')}</p>
      <p role="status" className="staff-status">
        {items === null && failure === null ? tr('due.loading') : ''}
      </p>
      <FailureText words={failure} testId="due-error" />
      {items !== null && items.length === 0 && <p data-testid="due-none">{tr('due.none')}</p>}
      {truncated && <p className="staff-callout">{tr('due.truncated')}</p>}
      {items !== null && items.length > 0 && (
        <ul className="staff-due-list" data-testid="due-list">
          {items.map((item) => (
            <li key={`${item.reason}:${item.noticeId ?? ''}:${item.itemId ?? ''}`} data-testid="due-item" data-reason={item.reason} data-case-id={item.caseId}>
              <p>
                <a href={staffHref({ page: 'case', id: item.caseId })}>{tr('due.case', { id: item.caseId })}</a> — {tr(`due.reason.${item.reason}`)}
                {item.involvesMinor && <span className="staff-badge staff-badge-warn"> {tr('due.minor')}</span>}
              </p>
              <p className="hint">
                {[item.hostName ?? item.hostname, tr('due.when', { when: formatWhen(item.dueAt, locale) })].filter((part) => part !== null).join(' · ')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
