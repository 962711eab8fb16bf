// The sextortion deadline: typed in the device's time, sent as ISO 8601 with its offset (datetime.ts),
// or cleared.
import { useState } from 'react';

import { formatWhen, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Feedback } from '../ui/Feedback';
import { TextInput } from '../ui/fields';
import { useAction } from '../ui/useAction';
import type { CaseProps } from './CasePage';
import { deviceTimeZone, isoToLocalInput, localInputToIso } from './datetime';

export function DeadlineSection({ detail, reload }: CaseProps) {
  const { tr, language } = useStaffI18n();
  const { api } = useStaffSession();
  const zone = deviceTimeZone();
  const shown = detail.deadlineAt === null ? '' : isoToLocalInput(detail.deadlineAt, zone);
  const [base, setBase] = useState(shown);
  const [value, setValue] = useState(shown);
  // The case was reloaded with another deadline: show it, unless a new one is being typed.
  if (base !== shown) {
    setBase(shown);
    if (value === base) setValue(shown);
  }
  const action = useAction();
  const locale = staffLocale(language);

  const save = async () => {
    const iso = localInputToIso(value, zone);
    if (iso === null) return action.fail({ key: 'deadline.invalid' });
    const done = await action.run(() => api.setDeadline(detail.id, iso), { done: () => ({ key: 'deadline.saved' }) });
    if (done !== null) await reload();
  };

  const clear = async () => {
    const done = await action.run(() => api.setDeadline(detail.id, null), { done: () => ({ key: 'deadline.cleared' }) });
    if (done !== null) await reload();
  };

  return (
    <section className="staff-section" aria-labelledby="deadline-title" data-testid="case-deadline">
      <h2 id="deadline-title">{tr('deadline.title')}</h2>
      <p data-testid="deadline-current">{detail.deadlineAt === null ? tr('deadline.none') : tr('deadline.current', { when: formatWhen(detail.deadlineAt, locale) })}</p>
      {detail.may.work && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <TextInput type="datetime-local" label={tr('deadline.label')} hint={tr('deadline.intro', { zone })} value={value} onChange={setValue} testId="deadline-input" />
          <div className="staff-actions">
            <button type="submit" className="button-secondary" disabled={action.pending} data-testid="deadline-save">
              {tr('deadline.save')}
            </button>
            {detail.deadlineAt !== null && (
              <button type="button" className="button-quiet" onClick={() => void clear()} disabled={action.pending} data-testid="deadline-clear">
                {tr('deadline.clear')}
              </button>
            )}
          </div>
          <Feedback state={action.state} testId="deadline" />
        </form>
      )}
    </section>
  );
}
