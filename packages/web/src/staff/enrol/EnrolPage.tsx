// /staff/enrol#<token>: the one-time link of a new (or reset) account. The token is taken from the
// address bar at once (token.ts) and kept in memory. Step 1: a password (≥ 12 characters; the server
// refuses common ones) → the TOTP secret, given once: as a QR code and as text in groups of four.
// Step 2: a code from the authenticator → the account is active → log in at /staff.
import { MIN_PASSWORD_LENGTH, TotpCode } from '@halte/contract';
import { useState, type FormEvent } from 'react';

import { createStaffApi, type EnrolmentTotpData as EnrolmentTotp } from '../api';
import { failureWords } from '../errors';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { groupSecret } from '../format';
import { LoggedOutFrame } from '../shell/TopBar';
import { FailureText } from '../ui/Feedback';
import { CheckboxField, TextInput } from '../ui/fields';
import { PageTitle } from '../ui/PageTitle';
import { QrCode } from './QrCode';
import { forgetEnrolmentToken, takeEnrolmentToken } from './token';

type Step = { readonly kind: 'password' } | { readonly kind: 'totp'; readonly totp: EnrolmentTotp } | { readonly kind: 'done' };

export function EnrolPage() {
  const { tr } = useStaffI18n();
  const [token] = useState(() => takeEnrolmentToken(window.location, window.history));
  const [api] = useState(() => createStaffApi({ storage: null }));
  const [step, setStep] = useState<Step>({ kind: 'password' });

  return (
    <LoggedOutFrame>
      <PageTitle>{tr('enrol.title')}</PageTitle>
      {token === null && step.kind !== 'done' ? (
        <p className="staff-failure" role="alert" data-testid="enrol-no-token">
          {tr('enrol.noToken')}
        </p>
      ) : step.kind === 'password' && token !== null ? (
        <PasswordStep token={token} api={api} onDone={(totp) => setStep({ kind: 'totp', totp })} />
      ) : step.kind === 'totp' && token !== null ? (
        <TotpStep
          token={token}
          api={api}
          totp={step.totp}
          onDone={() => {
            forgetEnrolmentToken();
            setStep({ kind: 'done' });
          }}
        />
      ) : (
        <Done />
      )}
    </LoggedOutFrame>
  );
}

type Api = ReturnType<typeof createStaffApi>;

function PasswordStep({ token, api, onDone }: { token: string; api: Api; onDone: (totp: EnrolmentTotp) => void }) {
  const { tr } = useStaffI18n();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [show, setShow] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Words | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending) return;
    if (password.length < MIN_PASSWORD_LENGTH) return setFailure({ key: 'enrol.password.tooShort', params: { min: MIN_PASSWORD_LENGTH } });
    if (password !== again) return setFailure({ key: 'enrol.password.mismatch' });
    setSending(true);
    setFailure(null);
    const result = await api.enrolPassword(token, password);
    setSending(false);
    if (!result.ok) return setFailure(failureWords(result.failure));
    setPassword('');
    setAgain('');
    onDone(result.data);
  };

  return (
    <>
      <p>{tr('enrol.intro')}</p>
      <h2>{tr('enrol.step.password')}</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextInput
          label={tr('enrol.password', { min: MIN_PASSWORD_LENGTH })}
          hint={tr('enrol.password.hint')}
          type={show ? 'text' : 'password'}
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          spellCheck={false}
          autoCapitalize="none"
          maxLength={256}
          testId="enrol-password"
        />
        <TextInput label={tr('enrol.password.confirm')} type={show ? 'text' : 'password'} value={again} onChange={setAgain} autoComplete="new-password" spellCheck={false} autoCapitalize="none" maxLength={256} testId="enrol-password-again" />
        <CheckboxField label={tr('field.showPassword')} checked={show} onChange={setShow} testId="enrol-show-password" />
        <div className="staff-actions">
          <button type="submit" className="button-primary" disabled={sending} data-testid="enrol-password-submit">
            {sending ? tr('enrol.sending') : tr('enrol.password.submit')}
          </button>
        </div>
      </form>
      <FailureText words={failure} testId="enrol-error" />
    </>
  );
}

function TotpStep({ token, api, totp, onDone }: { token: string; api: Api; totp: EnrolmentTotp; onDone: () => void }) {
  const { tr } = useStaffI18n();
  const [code, setCode] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Words | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending) return;
    const parsed = TotpCode.safeParse(code);
    if (!parsed.success) return setFailure({ key: 'login.codeFormat' });
    setSending(true);
    setFailure(null);
    const result = await api.enrolTotp(token, parsed.data);
    setSending(false);
    if (!result.ok) return setFailure(failureWords(result.failure));
    onDone();
  };

  return (
    <>
      <h2>{tr('enrol.step.totp')}</h2>
      <p>{tr('enrol.totp.intro')}</p>
      <QrCode text={totp.otpauthUri} label={tr('enrol.qr.label', { label: totp.label })} testId="enrol-qr" />
      <p>{tr('enrol.account', { label: totp.label, issuer: totp.issuer })}</p>
      <h3>{tr('enrol.secret')}</h3>
      <p className="staff-secret" data-testid="enrol-secret" translate="no">
        {groupSecret(totp.secret)}
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextInput label={tr('enrol.code')} value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" maxLength={20} spellCheck={false} testId="enrol-code" />
        <div className="staff-actions">
          <button type="submit" className="button-primary" disabled={sending} data-testid="enrol-code-submit">
            {sending ? tr('enrol.sending') : tr('enrol.code.submit')}
          </button>
        </div>
      </form>
      <FailureText words={failure} testId="enrol-error" />
    </>
  );
}

function Done() {
  const { tr } = useStaffI18n();
  return (
    <div data-testid="enrol-done" role="status">
      <h2>{tr('enrol.done.title')}</h2>
      <p>{tr('enrol.done.body')}</p>
      <p>
        <a href="/staff" className="button-primary" data-testid="enrol-login-link">
          {tr('enrol.done.link')}
        </a>
      </p>
    </div>
  );
}
