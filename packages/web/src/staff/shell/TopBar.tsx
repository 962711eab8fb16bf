// The top bar of the logged-in staff area: who is logged in, the pages their role opens, the language,
// the shortcuts' help, log out, log out everywhere.
// Also the frame of the pages shown logged out (login, enrolment).
import type { StaffMe } from '@halte/contract';
import type { ReactNode } from 'react';

import { useStaffI18n } from '../i18n/I18n';
import type { StaffMessageKey } from '../i18n/catalogue';
import { PAGE_PERMISSION, staffHref, type StaffPage } from '../routes';
import { ROLE_WORDS } from '../wording';

const MENU: readonly { page: Exclude<StaffPage, 'case'>; label: StaffMessageKey }[] = [
  { page: 'queue', label: 'nav.queue' },
  { page: 'due', label: 'nav.due' },
  { page: 'bank', label: 'nav.bank' },
  { page: 'hosts', label: 'nav.hosts' },
  { page: 'audit', label: 'nav.audit' },
  { page: 'settings', label: 'nav.settings' },
  { page: 'accounts', label: 'nav.accounts' },
];

export function LanguageToggle() {
  const { tr, language, setLanguage } = useStaffI18n();
  return (
    <button type="button" className="button-quiet staff-lang" lang={tr('lang.switch.code')} onClick={() => setLanguage(language === 'fr' ? 'en' : 'fr')} data-testid="staff-lang">
      {tr('lang.switch')}
    </button>
  );
}

export function TopBar(props: { me: StaffMe; current: StaffPage; onHelp: () => void; onLogout: (everywhere: boolean) => void; loggingOut: boolean }) {
  const { tr } = useStaffI18n();
  const { me } = props;
  const pages = MENU.filter((item) => me.permissions.includes(PAGE_PERMISSION[item.page]));
  return (
    <header className="staff-topbar">
      <div className="staff-topbar-row">
        <a className="staff-brand" href={staffHref({ page: 'queue' })}>
          {tr('app.name')}
        </a>
        <p className="staff-who" data-testid="staff-whoami">
          <span className="visually-hidden">{tr('session.account')} </span>
          {tr('session.who', { email: me.email, role: tr(ROLE_WORDS[me.role]) })}
        </p>
        <div className="staff-topbar-actions">
          <LanguageToggle />
          <button type="button" className="button-quiet staff-hide-narrow" onClick={props.onHelp} aria-keyshortcuts="?" data-testid="shortcut-help-open">
            {tr('nav.shortcuts')}
          </button>
          <button type="button" className="button-quiet" onClick={() => props.onLogout(false)} disabled={props.loggingOut} data-testid="logout">
            {tr('session.logout')}
          </button>
          <button type="button" className="button-quiet" onClick={() => props.onLogout(true)} disabled={props.loggingOut} data-testid="logout-everywhere">
            {tr('session.logoutEverywhere')}
          </button>
        </div>
      </div>
      {pages.length > 0 && (
        <nav className="staff-nav" aria-label={tr('nav.label')}>
          <ul>
            {pages.map((item) => {
              const current = item.page === props.current || (item.page === 'queue' && props.current === 'case');
              return (
                <li key={item.page}>
                  <a href={staffHref({ page: item.page })} aria-current={current ? 'page' : undefined} className={current ? 'current' : undefined} data-testid={`nav-${item.page}`}>
                    {tr(item.label)}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
      )}
    </header>
  );
}

/** The logged-out frame: the name, the language, the content. */
export function LoggedOutFrame({ children }: { children: ReactNode }) {
  const { tr } = useStaffI18n();
  return (
    <div className="staff-app">
      <header className="staff-topbar">
        <div className="staff-topbar-row">
          <span className="staff-brand">{tr('app.name')}</span>
          <div className="staff-topbar-actions">
            <LanguageToggle />
          </div>
        </div>
      </header>
      <main id="main" className="staff-main staff-narrow" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
