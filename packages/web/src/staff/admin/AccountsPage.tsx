// Staff accounts (staff.manage): the list, adding an account (→ its enrolment link, shown once here and
// nowhere else), disabling and re-enabling, and a new enrolment link (which resets the password and
// the authenticator: confirmed first).
import { STAFF_ROLES, StaffEmail, type StaffRole } from '@halte/contract';
import { useCallback, useEffect, useRef, useState } from 'react';

import type { EnrolmentLink, StaffAccount } from '../api';
import { formatWhen, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { useStaffSession } from '../shell/context';
import { Confirm } from '../ui/Confirm';
import { Feedback } from '../ui/Feedback';
import { CheckboxField, Select, TextInput, type Option } from '../ui/fields';
import { PageTitle } from '../ui/PageTitle';
import { useAction } from '../ui/useAction';
import { ACCOUNT_STATE_WORDS, ROLE_WORDS } from '../wording';

type Pending = { readonly kind: 'disable' | 'link'; readonly account: StaffAccount } | null;

export function AccountsPage() {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [accounts, setAccounts] = useState<readonly StaffAccount[] | null>(null);
  const [link, setLink] = useState<EnrolmentLink | null>(null);
  const load = useAction();

  const reload = useCallback(async () => {
    const data = await load.run(() => api.accounts());
    if (data !== null) setAccounts(data.accounts);
  }, [api, load.run]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const replace = (account: StaffAccount) => setAccounts((list) => (list === null ? [account] : list.some((a) => a.id === account.id) ? list.map((a) => (a.id === account.id ? account : a)) : [...list, account]));

  return (
    <div className="staff-accounts">
      <PageTitle>{tr('accounts.title')}</PageTitle>
      {link !== null && <LinkOnce link={link} onDismiss={() => setLink(null)} />}
      <AddAccount
        onAdded={(issued) => {
          setLink(issued);
          replace(issued.account);
        }}
      />
      <section aria-labelledby="accounts-list-title">
        <h2 id="accounts-list-title">{tr('accounts.list.title')}</h2>
        <Feedback state={load.state} testId="accounts-load" pendingWords={{ key: 'accounts.loading' }} />
        {accounts !== null && (
          <AccountTable
            accounts={accounts}
            onChanged={replace}
            onLink={(issued) => {
              setLink(issued);
              replace(issued.account);
            }}
          />
        )}
      </section>
    </div>
  );
}

function AddAccount({ onAdded }: { onAdded: (link: EnrolmentLink) => void }) {
  const { tr } = useStaffI18n();
  const { api } = useStaffSession();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRole>('analyst');
  const [childSafety, setChildSafety] = useState(false);
  const action = useAction();
  const roles: Option<StaffRole>[] = STAFF_ROLES.map((r) => ({ value: r, label: tr(ROLE_WORDS[r]) }));

  const submit = async () => {
    const parsed = StaffEmail.safeParse(email);
    if (email.trim() === '' || !parsed.success) return action.fail({ key: 'accounts.emailRequired' });
    const issued = await action.run(() => api.createAccount({ email: parsed.data, role, childSafety }));
    if (issued === null) return;
    setEmail('');
    setRole('analyst');
    setChildSafety(false);
    onAdded(issued);
  };

  return (
    <section className="staff-section staff-narrow" aria-labelledby="accounts-add-title">
      <h2 id="accounts-add-title">{tr('accounts.add.title')}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        noValidate
      >
        <TextInput label={tr('accounts.email')} type="email" value={email} onChange={setEmail} inputMode="email" spellCheck={false} autoCapitalize="none" maxLength={254} testId="account-email" />
        <Select label={tr('accounts.role')} value={role} options={roles} onChange={setRole} testId="account-role" />
        <CheckboxField label={tr('accounts.childSafety')} checked={childSafety} onChange={setChildSafety} testId="account-child-safety" />
        <div className="staff-actions">
          <button type="submit" className="button-primary" disabled={action.pending} data-testid="account-add">
            {tr('accounts.add.submit')}
          </button>
        </div>
        <Feedback state={action.state} testId="account-add" />
      </form>
    </section>
  );
}

/** The enrolment link, shown once: to copy and hand over, then hidden (it is not kept anywhere). */
function LinkOnce({ link, onDismiss }: { link: EnrolmentLink; onDismiss: () => void }) {
  const { tr, language } = useStaffI18n();
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const box = useRef<HTMLElement>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, [link]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link.enrolmentUrl);
      setCopied('copied');
    } catch {
      field.current?.select();
      setCopied('failed');
    }
  };
  return (
    <section ref={box} className="staff-section staff-link-once" tabIndex={-1} aria-labelledby="link-once-title" data-testid="enrolment-link-box">
      <h2 id="link-once-title">{tr('accounts.link.title', { email: link.account.email })}</h2>
      <p>{tr('accounts.link.once', { when: formatWhen(link.expiresAt, staffLocale(language)) })}</p>
      <TextInput label={tr('accounts.link.label')} value={link.enrolmentUrl} onChange={() => undefined} readOnly spellCheck={false} testId="enrolment-link" inputRef={field} className="staff-link-field" />
      <div className="staff-actions">
        <button type="button" className="button-secondary" onClick={() => void copy()} data-testid="enrolment-link-copy">
          {tr('accounts.link.copy')}
        </button>
        <button type="button" className="button-primary" onClick={onDismiss} data-testid="enrolment-link-dismiss">
          {tr('accounts.link.dismiss')}
        </button>
      </div>
      <p role="status" className="staff-status">
        {copied === 'copied' ? tr('accounts.link.copied') : copied === 'failed' ? tr('accounts.link.copyFailed') : ''}
      </p>
    </section>
  );
}

function AccountTable({ accounts, onChanged, onLink }: { accounts: readonly StaffAccount[]; onChanged: (account: StaffAccount) => void; onLink: (link: EnrolmentLink) => void }) {
  const { tr, language } = useStaffI18n();
  const { api, me } = useStaffSession();
  const [pending, setPending] = useState<Pending>(null);
  const action = useAction();
  const locale = staffLocale(language);

  const disable = async (account: StaffAccount) => {
    const data = await action.run(() => api.disableAccount(account.id), { done: () => ({ key: 'accounts.disabled', params: { email: account.email } }) });
    setPending(null);
    if (data !== null) onChanged(data.account);
  };
  const enable = async (account: StaffAccount) => {
    const data = await action.run(() => api.enableAccount(account.id), { done: () => ({ key: 'accounts.enabled', params: { email: account.email } }) });
    if (data !== null) onChanged(data.account);
  };
  const newLink = async (account: StaffAccount) => {
    const data = await action.run(() => api.newEnrolmentLink(account.id));
    setPending(null);
    if (data !== null) onLink(data);
  };

  return (
    <>
      {pending !== null && (
        <Confirm
          question={tr(pending.kind === 'disable' ? 'accounts.disable.confirm' : 'accounts.newLink.confirm', { email: pending.account.email })}
          onConfirm={() => void (pending.kind === 'disable' ? disable(pending.account) : newLink(pending.account))}
          onCancel={() => setPending(null)}
          pending={action.pending}
          testId="account-confirm"
        />
      )}
      <Feedback state={action.state} testId="account-action" />
      <div className="staff-table-wrap">
        <table className="staff-table" data-testid="accounts-table">
          <caption className="visually-hidden">{tr('accounts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{tr('accounts.col.email')}</th>
              <th scope="col">{tr('accounts.col.role')}</th>
              <th scope="col">{tr('accounts.col.childSafety')}</th>
              <th scope="col">{tr('accounts.col.state')}</th>
              <th scope="col">{tr('accounts.col.lastLogin')}</th>
              <th scope="col">{tr('accounts.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => {
              const self = account.id === me.id;
              return (
                <tr key={account.id} data-testid="account-row" data-account-id={account.id} data-state={account.state}>
                  <th scope="row">
                    {account.email}
                    {self && <span className="staff-badge staff-badge-muted">{tr('accounts.you')}</span>}
                  </th>
                  <td>{tr(ROLE_WORDS[account.role])}</td>
                  <td>{tr(account.childSafety ? 'common.yes' : 'common.no')}</td>
                  <td>
                    {tr(ACCOUNT_STATE_WORDS[account.state])}
                    {account.lockedUntil !== null && Date.parse(account.lockedUntil) > Date.now() && (
                      <p className="hint">{tr('accounts.lockedUntil', { when: formatWhen(account.lockedUntil, locale) })}</p>
                    )}
                  </td>
                  <td>{account.lastLoginAt === null ? tr('accounts.never') : formatWhen(account.lastLoginAt, locale)}</td>
                  <td>
                    {!self && (
                      <div className="staff-actions staff-row-actions">
                        {account.state === 'disabled' ? (
                          <button type="button" className="button-secondary staff-small" onClick={() => void enable(account)} disabled={action.pending} aria-label={tr('accounts.enable.label', { email: account.email })} data-testid="account-enable">
                            {tr('accounts.enable')}
                          </button>
                        ) : (
                          <button type="button" className="button-secondary staff-small" onClick={() => setPending({ kind: 'disable', account })} disabled={action.pending} aria-label={tr('accounts.disable.label', { email: account.email })} data-testid="account-disable">
                            {tr('accounts.disable')}
                          </button>
                        )}
                        <button type="button" className="button-secondary staff-small" onClick={() => setPending({ kind: 'link', account })} disabled={action.pending} aria-label={tr('accounts.newLink.label', { email: account.email })} data-testid="account-new-link">
                          {tr('accounts.newLink')}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
