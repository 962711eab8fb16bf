// Internal notes: for the team only, never shown to the person (said on the section and on the form).
import { MAX_NOTE_CHARS } from '@halte/contract';
import { useState } from 'react';

import { formatWhen, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Feedback } from '../ui/Feedback';
import { TextArea } from '../ui/fields';
import { useAction } from '../ui/useAction';
import type { CaseProps } from './CasePage';

export function NotesSection({ detail, reload }: CaseProps) {
  const { tr, language } = useStaffI18n();
  const { api } = useStaffSession();
  const [body, setBody] = useState('');
  const action = useAction();
  const locale = staffLocale(language);

  const add = async () => {
    const text = body.trim();
    if (text === '') return action.fail({ key: 'notes.required' });
    if (text.length > MAX_NOTE_CHARS) return action.fail({ key: 'notes.tooLong', params: { max: MAX_NOTE_CHARS } });
    const done = await action.run(() => api.addNote(detail.id, text), { done: () => ({ key: 'notes.added' }) });
    if (done !== null) {
      setBody('');
      await reload();
    }
  };

  return (
    <section className="staff-section staff-internal" aria-labelledby="notes-title" data-testid="case-notes">
      <h2 id="notes-title">{tr('notes.title')}</h2>
      <p className="staff-internal-mark">{tr('notes.internal')}</p>
      {detail.notes.length === 0 ? (
        <p className="hint">{tr('notes.none')}</p>
      ) : (
        <ol className="staff-notes">
          {detail.notes.map((note) => (
            <li key={note.id} data-testid="case-note">
              <p className="staff-message-meta">{note.author === null ? tr('notes.byUnknown', { when: formatWhen(note.at, locale) }) : tr('notes.by', { email: note.author.email, when: formatWhen(note.at, locale) })}</p>
              <p className="staff-text">{note.body}</p>
            </li>
          ))}
        </ol>
      )}
      {detail.may.work && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void add();
          }}
        >
          <TextArea label={tr('notes.label')} hint={tr('notes.internal')} value={body} onChange={setBody} rows={4} maxLength={MAX_NOTE_CHARS} testId="note-body" />
          <div className="staff-actions">
            <button type="submit" className="button-secondary" disabled={action.pending} data-testid="note-submit">
              {tr('notes.submit')}
            </button>
          </div>
          <Feedback state={action.state} testId="note" />
        </form>
      )}
    </section>
  );
}
