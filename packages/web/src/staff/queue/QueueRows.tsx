// The queue's rows: a dense table on a laptop, cards on a phone (≤ 600 px). Every value is text (the
// badges say what they mean, their colour only repeats it).
import type { QueueCase } from '@halte/contract';
import type { ReactNode } from 'react';

import { formatAge, formatHours, formatWhen, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { staffHref } from '../routes';
import { useStaffSession } from '../shell/context';
import { BADGE_WORDS, countryText, situationText, STATUS_WORDS } from '../wording';

export interface RowsProps {
  readonly rows: readonly QueueCase[];
  readonly selected: number;
  readonly now: Date;
  readonly onSelect: (index: number) => void;
  readonly onClaim: (row: QueueCase) => void;
  readonly claimPending: boolean;
  readonly linkRef: (id: number, element: HTMLAnchorElement | null) => void;
}

/** Markers and badges of a row: immediate danger, a minor, the missed targets, a deadline. */
function Alerts({ row }: { row: QueueCase }) {
  const { tr, language } = useStaffI18n();
  const locale = staffLocale(language);
  return (
    <ul className="staff-badges">
      {row.immediateDanger && <li className="staff-badge staff-badge-danger">{tr('queue.danger')}</li>}
      {row.involvesMinor && (
        <li className="staff-badge staff-badge-minor" data-testid="queue-minor">
          <span aria-hidden="true">{tr('queue.minor')}</span>
          <span className="visually-hidden">{tr('queue.minor.long')}</span>
        </li>
      )}
      {row.badges.map((badge) => (
        <li key={badge} className={`staff-badge staff-badge-${badge}`} data-testid={`queue-badge-${badge}`}>
          {tr(BADGE_WORDS[badge])}
        </li>
      ))}
      {row.deadlineAt !== null && <li className="staff-badge staff-badge-deadline">{tr('queue.deadline', { when: formatWhen(row.deadlineAt, locale) })}</li>}
    </ul>
  );
}

function Items({ row }: { row: QueueCase }) {
  const { tr } = useStaffI18n();
  const counts = { images: row.items.images, videos: row.items.videos, urls: row.items.urls };
  return (
    <>
      <span aria-hidden="true">{tr('queue.items', counts)}</span>
      <span className="visually-hidden">{tr('queue.items.long', counts)}</span>
    </>
  );
}

function ClaimButton({ row, onClaim, pending }: { row: QueueCase; onClaim: (row: QueueCase) => void; pending: boolean }): ReactNode {
  const { tr } = useStaffI18n();
  const { can } = useStaffSession();
  if (!can('cases.claim') || row.assignee !== null || row.status === 'closed' || row.status === 'withdrawn') return null;
  return (
    <button type="button" className="button-secondary staff-small" onClick={() => onClaim(row)} disabled={pending} aria-label={tr('queue.claim.label', { reference: row.reference })} data-testid="queue-claim">
      {tr('queue.claim')}
    </button>
  );
}

export function QueueTable(props: RowsProps) {
  const { tr, language } = useStaffI18n();
  const locale = staffLocale(language);
  return (
    <div className="staff-table-wrap">
      <table className="staff-table staff-queue" data-testid="queue-table">
        <caption className="visually-hidden">{tr('queue.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{tr('queue.col.priority')}</th>
            <th scope="col">{tr('queue.col.reference')}</th>
            <th scope="col">{tr('queue.col.alerts')}</th>
            <th scope="col">{tr('queue.col.status')}</th>
            <th scope="col">{tr('queue.col.situations')}</th>
            <th scope="col">{tr('queue.col.country')}</th>
            <th scope="col">{tr('queue.col.age')}</th>
            <th scope="col">{tr('queue.col.assignee')}</th>
            <th scope="col">{tr('queue.col.items')}</th>
            <th scope="col">{tr('queue.col.messages')}</th>
            <th scope="col">{tr('queue.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => (
            <tr
              key={row.id}
              className={index === props.selected ? 'selected' : undefined}
              aria-current={index === props.selected ? 'true' : undefined}
              onClick={() => props.onSelect(index)}
              data-testid="queue-row"
              data-case-id={row.id}
              data-reference={row.reference}
            >
              <td className="staff-num">{tr('queue.priority', { hours: formatHours(row.priority, locale) })}</td>
              <th scope="row">
                <a href={staffHref({ page: 'case', id: row.id })} ref={(element) => props.linkRef(row.id, element)} onFocus={() => props.onSelect(index)} className="staff-ref" data-testid="queue-open">
                  {row.reference}
                </a>
              </th>
              <td>
                <Alerts row={row} />
              </td>
              <td data-testid="queue-status">{tr(STATUS_WORDS[row.status])}</td>
              <td>{row.situations.map((s) => situationText(tr, s)).join(', ')}</td>
              <td>{countryText(tr, row.country)}</td>
              <td>
                <time dateTime={row.createdAt} title={formatWhen(row.createdAt, locale)}>
                  {formatAge(row.createdAt, props.now, locale)}
                </time>
              </td>
              <td data-testid="queue-assignee">{row.assignee?.email ?? tr('queue.unassigned')}</td>
              <td>
                <Items row={row} />
              </td>
              <td className={row.unansweredMessages > 0 ? 'staff-num staff-attention' : 'staff-num'}>{row.unansweredMessages}</td>
              <td>
                <ClaimButton row={row} onClaim={props.onClaim} pending={props.claimPending} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function QueueCards(props: RowsProps) {
  const { tr, language } = useStaffI18n();
  const locale = staffLocale(language);
  return (
    <ol className="staff-cards" aria-label={tr('queue.caption')} data-testid="queue-cards">
      {props.rows.map((row, index) => (
        <li
          key={row.id}
          className={index === props.selected ? 'staff-card selected' : 'staff-card'}
          aria-current={index === props.selected ? 'true' : undefined}
          data-testid="queue-row"
          data-case-id={row.id}
          data-reference={row.reference}
        >
          <p className="staff-card-head">
            <a href={staffHref({ page: 'case', id: row.id })} ref={(element) => props.linkRef(row.id, element)} onFocus={() => props.onSelect(index)} className="staff-ref" data-testid="queue-open">
              {row.reference}
            </a>
            <span className="staff-num">{tr('queue.priority', { hours: formatHours(row.priority, locale) })}</span>
          </p>
          <Alerts row={row} />
          <p>
            <span data-testid="queue-status">{tr(STATUS_WORDS[row.status])}</span> · {countryText(tr, row.country)} ·{' '}
            <time dateTime={row.createdAt}>{formatAge(row.createdAt, props.now, locale)}</time>
          </p>
          <p>{row.situations.map((s) => situationText(tr, s)).join(', ')}</p>
          <p>
            {tr('common.labelValue', { label: tr('queue.col.assignee'), value: row.assignee?.email ?? tr('queue.unassigned') })}
          </p>
          <p>
            <Items row={row} />
          </p>
          {row.unansweredMessages > 0 && <p className="staff-attention">{tr('queue.unanswered', { count: row.unansweredMessages })}</p>}
          <ClaimButton row={row} onClaim={props.onClaim} pending={props.claimPending} />
        </li>
      ))}
    </ol>
  );
}
