// The case's messages with the person (theirs and the team's answers) and its history (every event,
// who did it, what it carries — worded for the hash bank's events — and whether the person sees it in
// their follow-up).
import type { CaseDetail } from '@halte/contract';

import { compactData, formatWhen, staffLocale, staffNames } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { eventDataWords, timelineText } from '../wording';

export function MessagesSection({ detail }: { detail: CaseDetail }) {
  const { tr, language } = useStaffI18n();
  const locale = staffLocale(language);
  return (
    <section className="staff-section" aria-labelledby="messages-title">
      <h2 id="messages-title">{tr('messages.title')}</h2>
      {detail.messages.length === 0 ? (
        <p className="hint">{tr('messages.none')}</p>
      ) : (
        <ol className="staff-messages" data-testid="case-messages">
          {detail.messages.map((message) => (
            <li key={message.id} className={message.author === 'person' ? 'staff-message from-person' : 'staff-message from-team'} data-testid="case-message" data-author={message.author}>
              <p className="staff-message-meta">
                <strong>{message.author === 'person' ? tr('messages.person') : message.staff === null ? tr('messages.teamUnknown') : tr('messages.team', { email: message.staff.email })}</strong>{' '}
                <time dateTime={message.at}>{formatWhen(message.at, locale)}</time>
              </p>
              <p className="staff-text">{message.body}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function HistorySection({ detail }: { detail: CaseDetail }) {
  const { tr, language } = useStaffI18n();
  const { me } = useStaffSession();
  const locale = staffLocale(language);
  const names = staffNames(detail, me);
  const actorText = (actor: CaseDetail['timeline'][number]['actor']) => {
    if (actor.kind === 'person') return tr('actor.person');
    if (actor.kind === 'system' || actor.id === null) return tr('actor.system');
    return names.get(actor.id) ?? tr('actor.staff', { id: actor.id });
  };
  return (
    <section className="staff-section" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{tr('timeline.title')}</h2>
      {detail.timeline.length === 0 ? (
        <p className="hint">{tr('timeline.none')}</p>
      ) : (
        <ol className="staff-timeline" data-testid="case-timeline">
          {detail.timeline.map((entry) => {
            const words = eventDataWords(tr, entry.kind, entry.data);
            const data = words ?? compactData(entry.data);
            return (
              <li key={entry.id} data-testid="timeline-entry" data-kind={entry.kind}>
                <p>
                  <strong>{timelineText(tr, entry.kind)}</strong> – {actorText(entry.actor)} – <time dateTime={entry.at}>{formatWhen(entry.at, locale)}</time>{' '}
                  <span className={entry.visibleToPerson ? 'staff-badge staff-badge-visible' : 'staff-badge staff-badge-muted'}>{tr(entry.visibleToPerson ? 'timeline.visible' : 'timeline.internal')}</span>
                </p>
                {data !== '' && <p className={words === null ? 'staff-data' : 'staff-event-data'}>{data}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
