// The case's header: reference (in the page title), status, priority, badges, assignee, and what this
// account may do now: claim, assign (supervisors), move through the workflow (CaseDetail.may, moves).
import type { CaseStatus } from '@halte/contract';
import { useEffect, useState } from 'react';

import type { Assignee } from '../api';
import { caseChanged } from '../errors';
import { formatHours, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Confirm } from '../ui/Confirm';
import { Feedback } from '../ui/Feedback';
import { Select, type Option } from '../ui/fields';
import { useAction } from '../ui/useAction';
import { BADGE_WORDS, STATUS_WORDS } from '../wording';
import type { CaseProps } from './CasePage';

export function CaseHeader({ detail, reload, onClaimed }: CaseProps & { onClaimed: () => void }) {
  const { tr, language } = useStaffI18n();
  const { api, can } = useStaffSession();
  const action = useAction();
  const [confirmClose, setConfirmClose] = useState(false);
  const locale = staffLocale(language);

  const afterFailure = (failure: Parameters<typeof caseChanged>[0]) => {
    if (caseChanged(failure)) void reload();
  };

  const claim = async () => {
    const done = await action.run(() => api.claim(detail.id), { done: () => ({ key: 'case.claimed' }), onFailure: afterFailure });
    if (done !== null) {
      onClaimed();
      await reload();
    }
  };

  const move = async (to: CaseStatus) => {
    setConfirmClose(false);
    const done = await action.run(() => api.moveTo(detail.id, to), { done: () => ({ key: 'case.moved', params: { status: tr(STATUS_WORDS[to]) } }), onFailure: afterFailure });
    if (done !== null) await reload();
  };

  return (
    <div className="staff-case-head" data-testid="case-header">
      <ul className="staff-facts-inline">
        <li>
          <span className={`staff-status-tag staff-status-${detail.status}`} data-testid="case-status">
            {tr(STATUS_WORDS[detail.status])}
          </span>
        </li>
        <li className="staff-num" data-testid="case-priority">
          {tr('case.priority', { hours: formatHours(detail.priority, locale) })}
        </li>
        <li data-testid="case-assignee">{detail.assignee === null ? tr('case.unassigned') : tr('case.assignee', { email: detail.assignee.email })}</li>
      </ul>
      <ul className="staff-badges">
        {detail.immediateDanger && <li className="staff-badge staff-badge-danger">{tr('queue.danger')}</li>}
        {detail.involvesMinor && <li className="staff-badge staff-badge-minor">{tr('queue.minor.long')}</li>}
        {detail.badges.map((badge) => (
          <li key={badge} className={`staff-badge staff-badge-${badge}`}>
            {tr(BADGE_WORDS[badge])}
          </li>
        ))}
      </ul>
      {detail.status === 'withdrawn' && <p className="staff-notice">{tr('case.withdrawn')}</p>}
      <div className="staff-actions">
        {detail.may.claim && detail.assignee === null && (
          <button type="button" className="button-primary" onClick={() => void claim()} disabled={action.pending} data-testid="case-claim">
            {tr('case.claim')}
          </button>
        )}
        {detail.moves.map((to) => (
          <button
            key={to}
            type="button"
            className="button-secondary"
            onClick={() => (to === 'closed' ? setConfirmClose(true) : void move(to))}
            disabled={action.pending}
            data-testid={`case-move-${to}`}
          >
            {tr('case.move', { status: tr(STATUS_WORDS[to]) })}
          </button>
        ))}
      </div>
      {confirmClose && (
        <Confirm question={tr('case.move.confirmClose')} onConfirm={() => void move('closed')} onCancel={() => setConfirmClose(false)} pending={action.pending} testId="case-close-confirm" />
      )}
      {can('cases.reassign') && detail.may.reassign && <AssignForm detail={detail} reload={reload} />}
      <Feedback state={action.state} testId="case-action" />
    </div>
  );
}

function AssignForm({ detail, reload }: CaseProps) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [assignees, setAssignees] = useState<readonly Assignee[] | null>(null);
  const [chosen, setChosen] = useState<string>(detail.assignee === null ? '' : String(detail.assignee.id));
  const load = useAction();
  const save = useAction();

  useEffect(() => {
    void load.run(() => api.assignees()).then((data) => {
      if (data !== null) setAssignees(data.accounts);
    });
    // once per case view (load.run is stable)
  }, [api, load.run]);

  const options: Option<string>[] = [
    { value: '', label: tr('case.assign.nobody') },
    ...(assignees ?? [])
      // a minor's case only goes to accounts with the child-safety permission (the server checks too)
      .filter((a) => !detail.involvesMinor || a.childSafety)
      .map((a) => ({ value: String(a.id), label: a.childSafety ? tr('case.assign.childSafety', { email: a.email }) : a.email })),
  ];
  if (detail.assignee !== null && !options.some((o) => o.value === String(detail.assignee?.id))) options.push({ value: String(detail.assignee.id), label: detail.assignee.email });

  const submit = async () => {
    const staffId = chosen === '' ? null : Number(chosen);
    const done = await save.run(() => api.assign(detail.id, staffId), {
      done: () => ({ key: 'case.assign.done' }),
      onFailure: (failure) => {
        if (caseChanged(failure)) void reload();
      },
    });
    if (done !== null) await reload();
  };

  return (
    <div className="staff-assign">
      <Select label={tr('case.assign.label')} value={chosen} options={options} onChange={setChosen} disabled={assignees === null} testId="case-assign-select" />
      <div className="staff-actions">
        <button type="button" className="button-secondary" onClick={() => void submit()} disabled={save.pending || assignees === null} data-testid="case-assign-submit">
          {tr('case.assign.submit')}
        </button>
      </div>
      <Feedback state={load.state.status === 'failed' ? load.state : save.state} testId="case-assign" />
    </div>
  );
}
