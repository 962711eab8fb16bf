// One case: GET /api/staff/cases/:id (each read is audited by the server), then its sections. Every
// action reloads the case afterwards, so what is shown (status, moves, permissions, timeline) is the
// server's, never a guess. What the person wrote is shown as text only (React text nodes).
import type { CaseDetail } from '@halte/contract';
import { useCallback, useEffect, useRef, useState } from 'react';

import { failureWords } from '../errors';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { staffHref } from '../routes';
import { usePageKeys, useStaffSession } from '../shell/context';
import { FailureText } from '../ui/Feedback';
import { PageTitle } from '../ui/PageTitle';
import { AnswerComposer } from './AnswerComposer';
import { CaseHeader } from './CaseHeader';
import { DeadlineSection } from './DeadlineSection';
import { HistorySection, MessagesSection } from './HistorySection';
import { ItemsSection } from './ItemsSection';
import { NotesSection } from './NotesSection';
import { PersonSection } from './PersonSection';
import { QualificationSection } from './QualificationSection';
import { TakedownsSection } from '../notices/TakedownsSection';

export interface CaseProps {
  readonly detail: CaseDetail;
  /** loads the case again (after an action, or when the server says it changed) */
  readonly reload: () => Promise<void>;
}

export function CasePage({ id, onClaimed }: { id: number; onClaimed: (id: number) => void }) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState<Words | null>(null);
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    const result = await api.caseDetail(id);
    if (mine !== generation.current) return;
    setLoading(false);
    if (!result.ok) {
      setFailure(failureWords(result.failure));
      // a case that is gone (or not this account's to see) is not shown from memory either
      if (result.failure.kind === 'http' && (result.failure.code === 'CASE_NOT_FOUND' || result.failure.status === 404)) setDetail(null);
      return;
    }
    setFailure(null);
    setDetail(result.data);
  }, [api, id]);

  useEffect(() => {
    void reload();
  }, [reload]);

  usePageKeys({
    page: 'case',
    count: 0,
    selected: -1,
    onCommand: (command) => {
      if (command.kind === 'refresh') void reload();
    },
  });

  return (
    <div className="staff-case">
      <p className="staff-back">
        <a href={staffHref({ page: 'queue' })} aria-keyshortcuts="g q" data-testid="case-back">
          {tr('case.back')}
        </a>
      </p>
      <div className="staff-page-head">
        <PageTitle>{tr('case.title', { reference: detail?.reference ?? '…' })}</PageTitle>
        <button type="button" className="button-secondary" onClick={() => void reload()} disabled={loading} aria-keyshortcuts="r" data-testid="case-refresh">
          {tr('case.refresh')}
        </button>
      </div>
      <p role="status" className="staff-status">
        {loading ? tr('case.loading') : ''}
      </p>
      <FailureText words={failure} testId="case-error" />
      {detail !== null && (
        <>
          <p className="hint">{tr('case.audited')}</p>
          <CaseHeader detail={detail} reload={reload} onClaimed={() => onClaimed(detail.id)} />
          <div className="staff-case-grid">
            <div className="staff-case-main">
              <PersonSection detail={detail} />
              <ItemsSection detail={detail} reload={reload} />
              <TakedownsSection detail={detail} reload={reload} />
              <MessagesSection detail={detail} />
              <HistorySection detail={detail} />
            </div>
            <div className="staff-case-side">
              {detail.may.work && <AnswerComposer key={detail.id} detail={detail} reload={reload} />}
              <NotesSection detail={detail} reload={reload} />
              <QualificationSection detail={detail} reload={reload} />
              <DeadlineSection detail={detail} reload={reload} />
            </div>
          </div>
        </>
      )}
    </div>
  );
}
