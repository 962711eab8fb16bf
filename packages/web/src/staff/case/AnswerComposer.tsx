// Answering the person: a template and a language (the case's by default) → the server's draft → edited
// here → sent after a confirmation. The answer appears in the person's follow-up; the server queues an
// e-mail saying only that a message is waiting, when the person gave an address and agreed.
import { ANSWER_TEMPLATES, LANGUAGES, MAX_ANSWER_CHARS, type AnswerTemplate, type Language } from '@halte/contract';
import { useState } from 'react';

import type { AnswerSent } from '../api';
import { caseChanged } from '../errors';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Confirm } from '../ui/Confirm';
import { Feedback } from '../ui/Feedback';
import { Select, TextArea, type Option } from '../ui/fields';
import { useAction } from '../ui/useAction';
import { LANGUAGE_WORDS, TEMPLATE_WORDS } from '../wording';
import { defaultTemplate } from './answer';
import type { CaseProps } from './CasePage';

export function AnswerComposer({ detail, reload }: CaseProps) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [template, setTemplate] = useState<AnswerTemplate>(defaultTemplate(detail));
  const [language, setLanguage] = useState<Language>(detail.language);
  const [body, setBody] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [sent, setSent] = useState<AnswerSent | null>(null);
  const draft = useAction();
  const send = useAction();

  const templates: Option<AnswerTemplate>[] = ANSWER_TEMPLATES.map((t) => ({ value: t, label: tr(TEMPLATE_WORDS[t]) }));
  const languages: Option<Language>[] = LANGUAGES.map((l) => ({ value: l, label: tr(LANGUAGE_WORDS[l]) }));

  const loadDraft = async () => {
    setSent(null);
    const data = await draft.run(() => api.answerDraft(detail.id, template, language));
    if (data !== null) setBody(data.body);
  };

  const askToSend = () => {
    setSent(null);
    const text = body.trim();
    if (text === '') return send.fail({ key: 'answer.empty' });
    if (text.length > MAX_ANSWER_CHARS) return send.fail({ key: 'answer.tooLong', params: { max: MAX_ANSWER_CHARS } });
    send.reset();
    setConfirming(true);
  };

  const confirmSend = async () => {
    const data = await send.run(() => api.sendAnswer(detail.id, body.trim()), {
      onFailure: (failure) => {
        if (caseChanged(failure)) void reload();
      },
    });
    setConfirming(false);
    if (data === null) return;
    setSent(data);
    setBody('');
    await reload();
  };

  return (
    <section className="staff-section staff-composer" aria-labelledby="answer-title" data-testid="answer-composer">
      <h2 id="answer-title">{tr('answer.title')}</h2>
      <p className="hint">{tr('answer.intro')}</p>
      <div className="staff-filter-row">
        <Select label={tr('answer.template')} value={template} options={templates} onChange={setTemplate} testId="answer-template" />
        <Select label={tr('answer.language')} value={language} options={languages} onChange={setLanguage} testId="answer-language" />
      </div>
      <div className="staff-actions">
        <button type="button" className="button-secondary" onClick={() => void loadDraft()} disabled={draft.pending} data-testid="answer-load">
          {tr('answer.load')}
        </button>
      </div>
      <p className="hint">{tr('answer.load.hint')}</p>
      <Feedback state={draft.state} testId="answer-draft" pendingWords={{ key: 'answer.loading' }} />
      <TextArea label={tr('answer.body')} value={body} onChange={setBody} rows={12} lang={language} testId="answer-draft" hint={tr('answer.count', { count: body.length, max: MAX_ANSWER_CHARS })} />
      {!confirming && (
        <div className="staff-actions">
          <button type="button" className="button-primary" onClick={askToSend} disabled={send.pending} data-testid="answer-send">
            {tr('answer.send')}
          </button>
        </div>
      )}
      {confirming && (
        <Confirm
          question={tr('answer.confirm.title')}
          details={<p>{tr('answer.confirm.body')}</p>}
          confirmLabel={tr('answer.confirm.send')}
          onConfirm={() => void confirmSend()}
          onCancel={() => setConfirming(false)}
          pending={send.pending}
          testId="answer-confirm"
        />
      )}
      <Feedback state={send.state} testId="answer-send" pendingWords={{ key: 'answer.sending' }} />
      <div role="status">
        {sent !== null && (
          <p className="staff-notice" data-testid="answer-sent" data-email-queued={sent.emailQueued}>
            {tr('answer.sent')} {tr(sent.emailQueued ? 'answer.emailQueued' : 'answer.noEmail')}
          </p>
        )}
      </div>
    </section>
  );
}
