// E-mail + password + authenticator code → POST /api/staff/session. The session cookie is the server's
// (HttpOnly); the CSRF token of the answer is kept by the API client. The password and the code are
// dropped from memory as soon as the answer comes.
import { TotpCode, type StaffMe } from '@halte/contract';
import { useEffect, useState, type FormEvent } from 'react';

import type { StaffApi } from '../api';
import { failureWords } from '../errors';
import type { Words } from '../i18n/catalogue';
import { useStaffI18n } from '../i18n/I18n';
import { FailureText } from '../ui/Feedback';
import { CheckboxField, TextInput } from '../ui/fields';
import { PageTitle } from '../ui/PageTitle';

export function LoginForm({ api, notice, onLoggedIn }: { api: StaffApi; notice: Words | null; onLoggedIn: (me: StaffMe) => void }) {
  const { tr, say } = useStaffI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Words | null>(null);
  // Sent back here (session ended, logged out): start at the title, which the notice follows.
  const sentBack = notice !== null;
  useEffect(() => {
    if (sentBack) document.getElementById('page-title')?.focus();
  }, [sentBack]);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending) return;
    if (email.trim() === '' || password === '' || code.trim() === '') return setFailure({ key: 'login.required' });
    const parsedCode = TotpCode.safeParse(code);
    if (!parsedCode.success) return setFailure({ key: 'login.codeFormat' });
    setSending(true);
    setFailure(null);
    const result = await api.login({ email: email.trim(), password, code: parsedCode.data });
    setSending(false);
    setPassword('');
    setCode('');
    if (!result.ok) return setFailure(failureWords(result.failure, 'login'));
    onLoggedIn(result.data.staff);
  };

  return (
    <div className="staff-login">
      <PageTitle>{tr('login.title')}</PageTitle>
      <div role="status" data-testid="login-notice">
        {notice !== null && <p className="staff-notice">{say(notice)}</p>}
      </div>
      <p>{tr('login.intro')}</p>
      <form onSubmit={(event) => void onSubmit(event)} noValidate data-testid="login-form">
        <TextInput label={tr('login.email')} type="email" value={email} onChange={setEmail} autoComplete="username" inputMode="email" spellCheck={false} autoCapitalize="none" maxLength={254} testId="login-email" name="email" />
        <TextInput
          label={tr('login.password')}
          type={showPassword ? 'text' : 'password'}
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          spellCheck={false}
          autoCapitalize="none"
          maxLength={256}
          testId="login-password"
          name="password"
        />
        <CheckboxField label={tr('field.showPassword')} checked={showPassword} onChange={setShowPassword} testId="login-show-password" />
        <TextInput label={tr('login.code')} value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" maxLength={20} spellCheck={false} testId="login-code" name="code" />
        <div className="staff-actions">
          <button type="submit" className="button-primary" disabled={sending} data-testid="login-submit">
            {sending ? tr('login.sending') : tr('login.submit')}
          </button>
        </div>
      </form>
      <FailureText words={failure} testId="login-error" />
    </div>
  );
}
