// The messages between the person and the team, oldest first (like any conversation), and the form to
// write one (at most MAX_MESSAGE_CHARS). The draft lives in the page, so an expired session loses nothing.
import { MAX_MESSAGE_CHARS, type FollowupView } from '@halte/contract';
import { useState, type FormEvent } from 'react';

import { sendFollowUpMessage } from '../../api/client';
import { focusField, TextField } from '../../components/fields';
import type { MessageKey } from '../../i18n/catalogues';
import { useI18n } from '../../i18n/i18n';
import { messageProblem, type Problem } from './additions';
import { Failure } from './Failure';
import type { FollowUpCase } from './useFollowUpCase';
import { useLocale } from './useLocale';
import { formatDateTime } from './wording';

type Sending = { readonly status: 'idle' | 'sending' | 'sent' } | { readonly status: 'failed'; readonly messages: readonly MessageKey[] };

export function MessagesSection({ view, followUp, canWrite }: { view: FollowupView; followUp: FollowUpCase; canWrite: boolean }) {
  const { t } = useI18n();
  const locale = useLocale();
  const [sending, setSending] = useState<Sending>({ status: 'idle' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const draft = followUp.messageDraft;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending.status === 'sending') return;
    const found = messageProblem(draft);
    setProblem(found);
    if (found !== null) return focusField('message');
    setSending({ status: 'sending' });
    const result = await sendFollowUpMessage(draft.trim());
    if (!result.ok) {
      const messages = followUp.failed(result.failure);
      if (messages !== null) setSending({ status: 'failed', messages: [...messages, 'case.messages.kept'] });
      return;
    }
    followUp.setMessageDraft('');
    setSending({ status: 'sent' });
    const reloadFailure = await followUp.reload();
    if (reloadFailure !== null) setSending({ status: 'failed', messages: reloadFailure });
  };

  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">{t('case.messages.title')}</h2>
      {view.messages.length === 0 ? (
        <p className="hint">{t('case.messages.none')}</p>
      ) : (
        <ol className="messages" data-testid="messages">
          {view.messages.map((message) => (
            <li key={message.id} className={`message message-${message.author}`}>
              <p className="message-meta">
                <strong>{t(message.author === 'person' ? 'case.messages.fromPerson' : 'case.messages.fromTeam')}</strong>{' '}
                <time dateTime={message.at}>{formatDateTime(message.at, locale)}</time>
              </p>
              <p className="message-body pre-wrap">{message.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
        <form className="message-form" onSubmit={(event) => void onSubmit(event)} noValidate>
          <p className="hint">{t('case.messages.intro')}</p>
          <TextField
            name="message"
            label={t('case.messages.label')}
            hint={`${t('case.messages.hint')} ${t('case.messages.count', { count: draft.length, max: MAX_MESSAGE_CHARS })}`}
            error={problem === null ? undefined : t(problem.message, problem.params)}
            multiline
            maxLength={MAX_MESSAGE_CHARS}
            value={draft}
            onChange={(value) => {
              followUp.setMessageDraft(value);
              if (sending.status === 'sent') setSending({ status: 'idle' });
            }}
          />
          <div className="actions">
            <button type="submit" className="button-primary" disabled={sending.status === 'sending'}>
              {t('case.messages.send')}
            </button>
          </div>
          <p role="status">{sending.status === 'sending' ? t('case.messages.sending') : sending.status === 'sent' ? t('case.messages.sent') : ''}</p>
          <div role="alert">{sending.status === 'failed' && <Failure messages={sending.messages} />}</div>
        </form>
      )}
    </section>
  );
}
