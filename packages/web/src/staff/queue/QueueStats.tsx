// The queue's header figures for those who may read them (statistics.read): counts only.
import { CASE_BADGES, CASE_STATUSES, type Statistics } from '@halte/contract';
import { useEffect, useState } from 'react';

import { failureWords } from '../errors';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { formatHours, staffLocale } from '../format';
import { useStaffSession } from '../shell/context';
import { FailureText } from '../ui/Feedback';
import { BADGE_WORDS, STATUS_WORDS } from '../wording';

export function QueueStats({ reloadKey }: { reloadKey: number }) {
  const { tr, language } = useStaffI18n();
  const { api } = useStaffSession();
  const [stats, setStats] = useState<Statistics | null>(null);
  const [failure, setFailure] = useState<Words | null>(null);
  useEffect(() => {
    let live = true;
    void api.statistics().then((result) => {
      if (!live) return;
      if (result.ok) {
        setStats(result.data);
        setFailure(null);
      } else setFailure(failureWords(result.failure));
    });
    return () => {
      live = false;
    };
  }, [api, reloadKey]);
  const locale = staffLocale(language);
  return (
    <section className="staff-stats" aria-labelledby="stats-title" data-testid="queue-stats">
      <h2 id="stats-title">{tr('stats.title')}</h2>
      <FailureText words={failure} testId="queue-stats-error" />
      {stats !== null && (
        <div className="staff-stats-grid">
          <div>
            <h3>{tr('stats.byStatus')}</h3>
            <ul className="staff-plain">
              {CASE_STATUSES.map((status) => (
                <li key={status}>
                  {tr('common.labelValue', { label: tr(STATUS_WORDS[status]), value: stats.byStatus[status] ?? 0 })}
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3>{tr('stats.overdue')}</h3>
            <ul className="staff-plain">
              {CASE_BADGES.map((badge) => (
                <li key={badge}>
                  {tr('common.labelValue', { label: tr(BADGE_WORDS[badge]), value: stats.overdue[badge] ?? 0 })}
                </li>
              ))}
            </ul>
          </div>
          <ul className="staff-plain">
            <li>{tr('stats.minor', { count: stats.openInvolvingMinor })}</li>
            <li>{tr('stats.unassigned', { count: stats.unassignedOpen })}</li>
            <li>{stats.firstAnswerHoursMedian === null ? tr('stats.median.none') : tr('stats.median', { hours: formatHours(stats.firstAnswerHoursMedian, locale) })}</li>
          </ul>
        </div>
      )}
    </section>
  );
}
