// The quarantine's rows: a table on a laptop, cards on a phone (≤ 600 px), as the queue. Each row says
// which fingerprint, of what type and provenance, why and since when it is suspended, what partners
// reported, its case; then Restore and Reject. A rejection's confirmation opens under its row.
import { Fragment, type ReactNode } from 'react';

import type { QuarantinedHash } from '../api';
import { formatAge, formatWhen, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { staffHref } from '../routes';
import { useStaffSession } from '../shell/context';
import { feedbackText, provenanceText, reasonText, signalTypeText } from '../wording';
import { feedbackCounts } from './quarantine';

export type Decision = 'restore' | 'reject';

export interface RowsProps {
  readonly items: readonly QuarantinedHash[];
  readonly now: Date;
  readonly pending: boolean;
  readonly onDecide: (item: QuarantinedHash, decision: Decision) => void;
  /** the buttons, by fingerprint and decision: focus returns to them after a confirmation or a failure */
  readonly buttonRef: (hashId: number, decision: Decision, element: HTMLButtonElement | null) => void;
  /** the confirmation of a rejection, shown under the row it is about */
  readonly confirmFor: number | null;
  readonly confirm: ReactNode;
  /** the words of a decision that failed, shown under its row as well (the page's alert is at the top) */
  readonly failedFor: number | null;
  readonly failure: string | null;
}

function Since({ item, now }: { item: QuarantinedHash; now: Date }) {
  const { tr, language } = useStaffI18n();
  const locale = staffLocale(language);
  return <time dateTime={item.quarantinedAt}>{tr('bank.since', { when: formatWhen(item.quarantinedAt, locale), age: formatAge(item.quarantinedAt, now, locale) })}</time>;
}

function PartnerFeedback({ item }: { item: QuarantinedHash }) {
  const { tr } = useStaffI18n();
  const counts = feedbackCounts(item.feedback);
  if (counts.length === 0) return <span className="hint">{tr('bank.feedback.none')}</span>;
  return (
    <ul className="staff-badges" data-testid="quarantine-feedback">
      {counts.map(({ outcome, count }) => (
        <li key={outcome} className={outcome === 'false_positive' ? 'staff-badge staff-badge-warn' : 'staff-badge'}>
          {tr('bank.feedback.item', { outcome: feedbackText(tr, outcome), count })}
        </li>
      ))}
    </ul>
  );
}

function CaseLink({ item }: { item: QuarantinedHash }) {
  const { tr } = useStaffI18n();
  const { can } = useStaffSession();
  if (item.caseId === null) return <span className="hint">{tr('bank.case.none')}</span>;
  const words = tr('bank.case', { id: item.caseId });
  return can('cases.read') ? (
    <a href={staffHref({ page: 'case', id: item.caseId })} data-testid="quarantine-case">
      {words}
    </a>
  ) : (
    <span>{words}</span>
  );
}

const DECISIONS = [
  { decision: 'restore', words: 'bank.restore', label: 'bank.restore.label' },
  { decision: 'reject', words: 'bank.reject', label: 'bank.reject.label' },
] as const;

function Buttons({ item, ...props }: { item: QuarantinedHash } & Pick<RowsProps, 'pending' | 'onDecide' | 'buttonRef'>) {
  const { tr } = useStaffI18n();
  return (
    <div className="staff-actions staff-row-actions">
      {DECISIONS.map(({ decision, words, label }) => (
        <button
          key={decision}
          type="button"
          ref={(element) => props.buttonRef(item.hashId, decision, element)}
          className="button-secondary staff-small"
          onClick={() => props.onDecide(item, decision)}
          disabled={props.pending}
          aria-label={tr(label, { id: item.hashId })}
          data-testid={`quarantine-${decision}`}
        >
          {tr(words)}
        </button>
      ))}
    </div>
  );
}

/** Under a row: the confirmation of its rejection, or why its decision failed. */
function Under({ item, props }: { item: QuarantinedHash; props: RowsProps }) {
  return (
    <>
      {props.failedFor === item.hashId && props.failure !== null && <p className="staff-failure">{props.failure}</p>}
      {props.confirmFor === item.hashId && props.confirm}
    </>
  );
}

const COLUMNS = 8;

export function QuarantineTable(props: RowsProps) {
  const { tr } = useStaffI18n();
  return (
    <div className="staff-table-wrap">
      <table className="staff-table staff-quarantine" data-testid="quarantine-table">
        <caption className="visually-hidden">{tr('bank.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{tr('bank.col.hash')}</th>
            <th scope="col">{tr('bank.col.type')}</th>
            <th scope="col">{tr('bank.col.provenance')}</th>
            <th scope="col">{tr('bank.col.reason')}</th>
            <th scope="col">{tr('bank.col.since')}</th>
            <th scope="col">{tr('bank.col.feedback')}</th>
            <th scope="col">{tr('bank.col.case')}</th>
            <th scope="col">{tr('bank.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => {
            const under = props.confirmFor === item.hashId || (props.failedFor === item.hashId && props.failure !== null);
            return (
              <Fragment key={item.hashId}>
                <tr data-testid="quarantine-row" data-hash-id={item.hashId}>
                  <th scope="row" className="staff-num">
                    {tr('event.hash', { id: item.hashId })}
                  </th>
                  <td>{signalTypeText(tr, item.signalType)}</td>
                  <td>{provenanceText(tr, item.provenance)}</td>
                  <td data-testid="quarantine-reason">{reasonText(tr, item.reason)}</td>
                  <td>
                    <Since item={item} now={props.now} />
                  </td>
                  <td>
                    <PartnerFeedback item={item} />
                  </td>
                  <td>
                    <CaseLink item={item} />
                  </td>
                  <td>
                    <Buttons item={item} pending={props.pending} onDecide={props.onDecide} buttonRef={props.buttonRef} />
                  </td>
                </tr>
                {under && (
                  <tr className="staff-quarantine-under">
                    <td colSpan={COLUMNS}>
                      <Under item={item} props={props} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function QuarantineCards(props: RowsProps) {
  const { tr } = useStaffI18n();
  return (
    <ol className="staff-cards" aria-label={tr('bank.caption')} data-testid="quarantine-cards">
      {props.items.map((item) => (
        <li key={item.hashId} className="staff-card" data-testid="quarantine-row" data-hash-id={item.hashId}>
          <p className="staff-card-head">
            <strong>{tr('event.hash', { id: item.hashId })}</strong>
            <CaseLink item={item} />
          </p>
          <p>
            {signalTypeText(tr, item.signalType)} · {provenanceText(tr, item.provenance)}
          </p>
          <p data-testid="quarantine-reason">{tr('event.reason', { reason: reasonText(tr, item.reason) })}</p>
          <p>
            <Since item={item} now={props.now} />
          </p>
          <PartnerFeedback item={item} />
          <Buttons item={item} pending={props.pending} onDecide={props.onDecide} buttonRef={props.buttonRef} />
          <Under item={item} props={props} />
        </li>
      ))}
    </ol>
  );
}
