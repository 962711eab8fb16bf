// Reference + PIN → POST /api/followup/session (the server sets the HttpOnly cookie). Read as people
// type them back (reference.ts); a wrong or malformed pair is worded the same way.
import { FollowupLogin } from '@halte/contract';
import { useState, type FormEvent } from 'react';

import { openFollowUpSession } from '../../api/client';
import { failureMessages } from '../../api/errors';
import { Checkbox, focusField, TextField } from '../../components/fields';
import type { MessageKey } from '../../i18n/catalogues';
import { useI18n } from '../../i18n/i18n';
import { readPin, readReference } from './reference';
import { followUpOpened } from './session';

type Outcome = { readonly status: 'idle' | 'sending' } | { readonly status: 'failed'; readonly messages: readonly MessageKey[] };

export function LoginForm({ initialReference, notice, onOpened }: { initialReference: string; notice: readonly MessageKey[]; onOpened: (reference: string) => void }) {
  const { t } = useI18n();
  const [reference, setReference] = useState(initialReference);
  const [pin, setPin] = useState('');
  const [showPin, setShowPin] = useState(false);
  const [errors, setErrors] = useState<{ reference?: MessageKey; pin?: MessageKey }>({});
  const [outcome, setOutcome] = useState<Outcome>({ status: 'idle' });

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (outcome.status === 'sending') return;
    const readRef = readReference(reference);
    const readP = readPin(pin);
    const found: { reference?: MessageKey; pin?: MessageKey } = {};
    if (reference.trim() === '') found.reference = 'followup.reference.required';
    else if (readRef === null) found.reference = 'followup.reference.invalid';
    if (readP === '') found.pin = 'followup.pin.required';
    else if (!FollowupLogin.shape.pin.safeParse(readP).success) found.pin = 'followup.pin.invalid';
    setErrors(found);
    if (found.reference !== undefined) return focusField('reference');
    if (found.pin !== undefined || readRef === null) return focusField('pin');
    setReference(readRef);
    setOutcome({ status: 'sending' });
    const result = await openFollowUpSession({ reference: readRef, pin: readP });
    if (!result.ok) return setOutcome({ status: 'failed', messages: failureMessages(result.failure, 'followup') });
    followUpOpened();
    // The PIN is not kept anywhere once it has opened the session.
    setPin('');
    onOpened(readRef);
  };

  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {t('followup.title')}
      </h1>
      <div role="alert">
        {notice.length > 0 && (
          <div className="notice">
            {notice.map((key) => (
              <p key={key}>{t(key)}</p>
            ))}
          </div>
        )}
      </div>
      <p>{t('followup.intro')}</p>
      <form className="followup-form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <TextField
          name="reference"
          label={t('followup.reference.label')}
          hint={t('followup.reference.hint')}
          error={errors.reference === undefined ? undefined : t(errors.reference)}
          value={reference}
          onChange={setReference}
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
        />
        <TextField
          name="pin"
          label={t('followup.pin.label')}
          hint={t('followup.pin.hint')}
          error={errors.pin === undefined ? undefined : t(errors.pin)}
          value={pin}
          onChange={setPin}
          type={showPin ? 'text' : 'password'}
          inputMode="numeric"
          maxLength={20}
          spellCheck={false}
        />
        <Checkbox name="showPin" label={t('followup.pin.show')} checked={showPin} onChange={setShowPin} />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={outcome.status === 'sending'}>
            {t('followup.submit')}
          </button>
        </div>
      </form>
      <p role="status">{outcome.status === 'sending' ? t('followup.submitting') : ''}</p>
      <div role="alert">
        {outcome.status === 'failed' && (
          <div className="failure">
            {outcome.messages.map((key) => (
              <p key={key}>{t(key)}</p>
            ))}
          </div>
        )}
      </div>
      <p className="hint">{t('followup.lost')}</p>
    </>
  );
}
