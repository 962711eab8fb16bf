// The open case, phone first: where it stands (and closing the follow-up), after a withdrawal how far
// the partner platforms have applied it, the messages with the team, what happened, the fingerprints
// and links, adding more, and the person's data (download, withdraw).
// Links are shown as text, never as links: nobody needs to open those pages again.
import type { FollowupView } from '@halte/contract';
import { useState } from 'react';

import { closeFollowUpSession } from '../../api/client';
import type { MessageKey } from '../../i18n/catalogues';
import { useI18n } from '../../i18n/i18n';
import { AddItemsSection } from './AddItemsSection';
import { DataSection } from './DataSection';
import { Failure } from './Failure';
import { MessagesSection } from './MessagesSection';
import type { FollowUpCase } from './useFollowUpCase';
import { useLocale } from './useLocale';
import { formatDateTime, itemLabels, STATUS_WORDS, takedownStatus, timelineLine, withdrawalParagraphs, type CaseItem, type WithdrawalProgress } from './wording';

type Busy = { readonly status: 'idle' | 'refreshing' | 'refreshed' | 'closing' } | { readonly status: 'failed'; readonly messages: readonly MessageKey[] };

function Summary({ view, followUp }: { view: FollowupView; followUp: FollowUpCase }) {
  const { t } = useI18n();
  const locale = useLocale();
  const [busy, setBusy] = useState<Busy>({ status: 'idle' });
  const working = busy.status === 'refreshing' || busy.status === 'closing';

  const refresh = async () => {
    setBusy({ status: 'refreshing' });
    const messages = await followUp.reload();
    setBusy(messages === null ? { status: 'refreshed' } : { status: 'failed', messages });
  };

  const close = async () => {
    setBusy({ status: 'closing' });
    const result = await closeFollowUpSession();
    if (result.ok) return followUp.closed();
    // Still open on the server: say so and stay, so the person can try again (or use Quick exit).
    setBusy({ status: 'failed', messages: followUp.failed(result.failure) ?? [] });
  };

  const status =
    busy.status === 'refreshing' ? t('case.refreshing') : busy.status === 'refreshed' ? t('case.refreshed') : busy.status === 'closing' ? t('case.closing') : '';
  return (
    <section aria-labelledby="case-title">
      <h2 id="case-title" tabIndex={-1}>
        {t('case.title')}
      </h2>
      <dl className="case-facts">
        <div>
          <dt>{t('case.reference')}</dt>
          <dd className="case-reference" data-testid="case-reference">
            {view.reference}
          </dd>
        </div>
        <div>
          <dt>{t('case.createdAt')}</dt>
          <dd>
            <time dateTime={view.createdAt}>{formatDateTime(view.createdAt, locale)}</time>
          </dd>
        </div>
        <div>
          <dt>{t('case.status')}</dt>
          <dd className={`case-status case-status-${view.status}`} data-testid="case-status">
            {t(STATUS_WORDS[view.status])}
          </dd>
        </div>
      </dl>
      <div className="actions">
        <button type="button" className="button-secondary" onClick={() => void refresh()} disabled={working}>
          {t('case.refresh')}
        </button>
        <button type="button" className="button-primary" onClick={() => void close()} disabled={working} aria-describedby="close-hint">
          {t('case.close')}
        </button>
      </div>
      <p id="close-hint" className="hint">
        {t('case.closeHint')}
      </p>
      <p role="status" className="hint">
        {status}
      </p>
      <div role="alert">{busy.status === 'failed' && <Failure messages={busy.messages} />}</div>
    </section>
  );
}

/** Plain paragraphs, read in order (no live region: the numbers change only when the case is reloaded). */
function Withdrawal({ progress }: { progress: WithdrawalProgress }) {
  const { t, language } = useI18n();
  const [first, ...rest] = withdrawalParagraphs(language, progress);
  return (
    <section aria-labelledby="withdrawal-title" data-testid="withdrawal">
      <h2 id="withdrawal-title">{t('withdrawal.title')}</h2>
      <p className="withdrawal-progress" data-testid="withdrawal-progress">
        {first}
      </p>
      {rest.map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
    </section>
  );
}

function Timeline({ view }: { view: FollowupView }) {
  const { t, language } = useI18n();
  const locale = useLocale();
  // Most recent first: what is new is what the person comes back for.
  const entries = [...view.timeline].reverse();
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('case.timeline.title')}</h2>
      {entries.length === 0 ? (
        <p className="hint">{t('case.timeline.none')}</p>
      ) : (
        <>
          <p className="hint">{t('case.timeline.order')}</p>
          <ol className="timeline" data-testid="timeline">
            {entries.map((entry, index) => {
              const line = timelineLine(language, entry, locale);
              return (
                <li key={`${entry.at}-${entries.length - index}`} className={`timeline-${entry.kind}`}>
                  <p className="timeline-text">{line.text}</p>
                  {line.detail !== '' && <p className="timeline-detail">{line.detail}</p>}
                  <p className="hint">
                    <time dateTime={entry.at}>{line.when}</time>
                  </p>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}

/** Where the removal of a link stands, in plain words (nothing while nobody has acted on it yet). */
function TakedownStatus({ item }: { item: CaseItem }) {
  const { language } = useI18n();
  const locale = useLocale();
  const status = takedownStatus(language, item.takedown, locale);
  if (status === null) return null;
  return (
    <p className={`case-item-takedown case-item-takedown-${item.takedown?.state ?? ''}`} data-testid="item-takedown">
      {status.text} <span className="hint">{status.since}</span>
    </p>
  );
}

function Items({ view }: { view: FollowupView }) {
  const { t, language } = useI18n();
  const locale = useLocale();
  const labels = itemLabels(language, view.items);
  return (
    <section aria-labelledby="items-title">
      <h2 id="items-title">{t('case.items.title')}</h2>
      <p>{t('case.items.intro')}</p>
      {view.items.length === 0 ? (
        <p className="hint">{t('case.items.none')}</p>
      ) : (
        <ul className="case-items" data-testid="case-items">
          {view.items.map((item, index) => (
            <li key={item.id} className={`case-item case-item-${item.kind}${item.lowQuality ? ' case-item-low-quality' : ''}`}>
              <p className="case-item-label">{labels[index]}</p>
              {item.kind === 'url' && (item.url === null ? <p>{t('case.item.urlErased')}</p> : <p className="link-url">{item.url}</p>)}
              <TakedownStatus item={item} />
              <p className="hint">
                <time dateTime={item.addedAt}>{t('case.item.addedAt', { date: formatDateTime(item.addedAt, locale) })}</time>
              </p>
              {item.lowQuality && <p className="image-warning">{t('case.item.lowQuality')}</p>}
              {item.withdrawn && item.kind !== 'url' && <p>{t('case.item.withdrawn')}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function CaseScreen({ view, followUp }: { view: FollowupView; followUp: FollowUpCase }) {
  const { t } = useI18n();
  const open = view.status !== 'withdrawn';
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {t('followup.title')}
      </h1>
      <Summary view={view} followUp={followUp} />
      {view.withdrawal !== null && <Withdrawal progress={view.withdrawal} />}
      <MessagesSection view={view} followUp={followUp} canWrite={open} />
      <Timeline view={view} />
      <Items view={view} />
      {open && <AddItemsSection view={view} followUp={followUp} />}
      <DataSection view={view} followUp={followUp} canWithdraw={open} />
    </>
  );
}
