// The legal qualification: the offences of the case's country, suggested ones first, grouped; each
// with its code, article, title in the UI language and maximum penalty, and a visible "unconfirmed"
// mark when the legal data says an element is not verified. Saved as a whole list (PUT).
import { MAX_OFFENCES_PER_CASE, type Offence } from '@halte/contract';
import { useState } from 'react';

import { formatWhen, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Feedback } from '../ui/Feedback';
import { useAction } from '../ui/useAction';
import type { CaseProps } from './CasePage';
import { groupOffences, offenceDescription, offencePenalty, offenceTitle, sameSelection, toggleOffence } from './offences';

export function QualificationSection({ detail, reload }: CaseProps) {
  const { tr, language } = useStaffI18n();
  const { api } = useStaffSession();
  const saved = detail.qualification.offenceIds;
  const [base, setBase] = useState<readonly string[]>(saved);
  const [ticked, setTicked] = useState<readonly string[]>(saved);
  // The case was reloaded with another qualification (saved here, or by someone else): follow it,
  // unless boxes were ticked here meanwhile (those are kept, and saving replaces the list).
  if (!sameSelection(base, saved)) {
    setBase(saved);
    if (sameSelection(ticked, base)) setTicked(saved);
  }
  const action = useAction();
  const locale = staffLocale(language);
  const groups = groupOffences(detail.offences);
  const changed = !sameSelection(ticked, saved);
  const tooMany = ticked.length > MAX_OFFENCES_PER_CASE;

  const save = async () => {
    if (tooMany) return action.fail({ key: 'qualification.tooMany', params: { max: MAX_OFFENCES_PER_CASE } });
    const done = await action.run(() => api.qualify(detail.id, ticked), { done: () => ({ key: 'qualification.saved' }) });
    if (done !== null) await reload();
  };

  return (
    <section className="staff-section" aria-labelledby="qualification-title" data-testid="case-qualification">
      <h2 id="qualification-title">{tr('qualification.title')}</h2>
      {detail.offences.length === 0 ? (
        <p className="hint">{tr('qualification.none')}</p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <p className="hint">{tr('qualification.intro')}</p>
          {groups.map((group) => (
            <fieldset key={group.code ?? 'suggested'} className="staff-offences" disabled={!detail.may.work}>
              <legend>{group.code === null ? tr('qualification.suggested') : tr('qualification.others', { code: group.code })}</legend>
              {group.offences.map((offence) => (
                <OffenceChoice
                  key={offence.id}
                  offence={offence}
                  checked={ticked.includes(offence.id)}
                  onChange={(on) => setTicked(toggleOffence(ticked, offence.id, on, detail.offences))}
                />
              ))}
            </fieldset>
          ))}
          <p className="hint" aria-live="polite">
            {tr('qualification.count', { count: ticked.length })}
          </p>
          {detail.qualification.at !== null && (
            <p className="hint">{tr('qualification.last', { email: detail.qualification.by?.email ?? '–', when: formatWhen(detail.qualification.at, locale) })}</p>
          )}
          {detail.may.work && (
            <div className="staff-actions">
              <button type="submit" className="button-primary" disabled={action.pending || !changed} data-testid="qualification-save">
                {tr('qualification.save')}
              </button>
            </div>
          )}
          <Feedback state={action.state} testId="qualification" />
        </form>
      )}
    </section>
  );
}

function OffenceChoice({ offence, checked, onChange }: { offence: Offence; checked: boolean; onChange: (on: boolean) => void }) {
  const { tr, language } = useStaffI18n();
  const id = `offence-${offence.id}`;
  const penalty = offencePenalty(offence, language);
  return (
    <div className="staff-offence">
      <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} aria-describedby={`${id}-more`} data-testid={id} data-offence-id={offence.id} />
      <label htmlFor={id}>
        <span className="staff-offence-title">{offenceTitle(offence, language)}</span>{' '}
        <span className="staff-offence-ref">
          {offence.code}, {tr('qualification.article', { article: offence.article })}
        </span>
        {!offence.confirmed && (
          <>
            {' '}
            <span className="staff-badge staff-badge-warn" data-testid="offence-unconfirmed">
              {tr('qualification.unconfirmed')}
            </span>
          </>
        )}
      </label>
      <div id={`${id}-more`} className="staff-offence-more">
        {penalty !== null && <p>{tr('qualification.penalty', { penalty })}</p>}
        {!offence.confirmed && <p className="hint">{tr('qualification.unconfirmed.hint')}</p>}
      </div>
      <details className="staff-offence-details">
        <summary>{tr('qualification.description')}</summary>
        <p>{offenceDescription(offence, language)}</p>
      </details>
    </div>
  );
}
