// The audit log (audit.read): newest first, 100 entries a page, "older entries" pages with nextBefore.
// The filter works on the entries loaded.
import type { AuditEntry } from '@halte/contract';
import { useCallback, useEffect, useState } from 'react';

import { failureWords } from '../errors';
import { compactData, formatWhen, shortHash, staffLocale } from '../format';
import type { StaffMessageKey, Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { FailureText } from '../ui/Feedback';
import { TextInput } from '../ui/fields';
import { PageTitle } from '../ui/PageTitle';
import { appendEntries, filterAudit } from './audit';

const PAGE_SIZE = 100;

const ACTOR_WORDS: Readonly<Record<AuditEntry['actor']['kind'], StaffMessageKey>> = {
  staff: 'actor.staff',
  operator: 'actor.operator',
  anonymous: 'actor.anonymous',
  system: 'actor.system',
};

export function AuditPage() {
  const { tr, language } = useStaffI18n();
  const { api } = useStaffSession();
  const [entries, setEntries] = useState<readonly AuditEntry[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [status, setStatus] = useState<'loading' | 'loaded' | 'failed'>('loading');
  const [failure, setFailure] = useState<Words | null>(null);
  const [query, setQuery] = useState('');
  const locale = staffLocale(language);

  const load = useCallback(
    async (before: number | null) => {
      setStatus('loading');
      const result = await api.audit({ before, limit: PAGE_SIZE });
      if (!result.ok) {
        setFailure(failureWords(result.failure));
        return setStatus('failed');
      }
      setFailure(null);
      setEntries((shown) => (before === null ? result.data.entries : appendEntries(shown, result.data.entries)));
      setNextBefore(result.data.nextBefore);
      setStatus('loaded');
    },
    [api],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  const shown = filterAudit(entries, query);
  const actorText = (actor: AuditEntry['actor']) => (actor.kind === 'staff' && actor.id !== null ? tr('actor.staff', { id: actor.id }) : tr(ACTOR_WORDS[actor.kind]));

  return (
    <div className="staff-audit">
      <PageTitle>{tr('audit.title')}</PageTitle>
      <p className="hint">{tr('audit.intro')}</p>
      <TextInput label={tr('audit.filter')} type="search" value={query} onChange={setQuery} spellCheck={false} testId="audit-filter" />
      <p role="status" className="staff-status">
        {status === 'loading' ? tr('audit.loading') : tr('audit.count', { shown: shown.length, loaded: entries.length })}
      </p>
      <FailureText words={failure} testId="audit-error" />
      {status !== 'loading' && entries.length === 0 && <p className="staff-empty">{tr('audit.empty')}</p>}
      {entries.length > 0 && shown.length === 0 && <p className="staff-empty">{tr('audit.noMatch')}</p>}
      {shown.length > 0 && (
        <div className="staff-table-wrap">
          <table className="staff-table staff-audit-table" data-testid="audit-table">
            <caption className="visually-hidden">{tr('audit.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('audit.col.seq')}</th>
                <th scope="col">{tr('audit.col.at')}</th>
                <th scope="col">{tr('audit.col.actor')}</th>
                <th scope="col">{tr('audit.col.action')}</th>
                <th scope="col">{tr('audit.col.target')}</th>
                <th scope="col">{tr('audit.col.data')}</th>
                <th scope="col">{tr('audit.col.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => (
                <tr key={entry.seq} data-testid="audit-row" data-seq={entry.seq}>
                  <td className="staff-num">{entry.seq}</td>
                  <td>
                    <time dateTime={entry.at}>{formatWhen(entry.at, locale)}</time>
                  </td>
                  <td>{actorText(entry.actor)}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.target === null ? '–' : tr('audit.target', { kind: entry.target.kind, id: entry.target.id })}</td>
                  <td className="staff-data">{compactData(entry.data)}</td>
                  <td>
                    <code title={entry.hash}>{shortHash(entry.hash)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore !== null ? (
        <div className="staff-actions">
          <button type="button" className="button-secondary" onClick={() => void load(nextBefore)} disabled={status === 'loading'} data-testid="audit-older">
            {tr('audit.older')}
          </button>
        </div>
      ) : (
        status === 'loaded' && entries.length > 0 && <p className="hint">{tr('audit.end')}</p>
      )}
    </div>
  );
}
