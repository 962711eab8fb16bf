// Every public page: a sticky top bar (name, language, Quick exit — always in reach), the menu, the
// page, and a footer with the emergency numbers.
import type { MouseEvent, ReactNode } from 'react';

import { useI18n } from '../i18n/i18n';
import type { Route } from '../router';
import { Link } from './Link';
import { quickExit } from './quick-exit';

const MENU: readonly { route: Route; label: 'nav.home' | 'nav.report' | 'nav.followup' | 'nav.help' | 'nav.privacy' }[] = [
  { route: 'home', label: 'nav.home' },
  { route: 'report', label: 'nav.report' },
  { route: 'followup', label: 'nav.followup' },
  { route: 'help', label: 'nav.help' },
  { route: 'privacy', label: 'nav.privacy' },
];

function LanguageSwitch() {
  const { t, setLanguage, language } = useI18n();
  const other = language === 'fr' ? 'en' : 'fr';
  return (
    <button type="button" className="button-quiet lang-switch" lang={t('lang.switch.code')} onClick={() => setLanguage(other)}>
      {t('lang.switch')}
    </button>
  );
}

export function QuickExitButton() {
  const { t } = useI18n();
  return (
    <button type="button" className="quick-exit" onClick={quickExit}>
      {t('quickExit.button')}
    </button>
  );
}

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const { t } = useI18n();
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    // "#main" would be read as a route: move focus by hand instead.
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  return (
    <>
      <a className="skip-link" href="#main" onClick={skip}>
        {t('layout.skip')}
      </a>
      <header className="topbar">
        <Link to="home" className="brand">
          <span aria-hidden="true">{t('app.name')}</span>
          <span className="visually-hidden">{t('layout.home')}</span>
        </Link>
        <div className="topbar-actions">
          <LanguageSwitch />
          <QuickExitButton />
        </div>
      </header>
      <nav className="menu" aria-label={t('layout.nav')}>
        <ul>
          {MENU.map((item) => (
            <li key={item.route}>
              <Link to={item.route} className={item.route === route ? 'menu-link current' : 'menu-link'} current={item.route === route}>
                {t(item.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <p>
          <strong>{t('footer.emergency')}</strong> {t('footer.emergency.fr')} {t('footer.emergency.be')}
        </p>
        <p>{t('quickExit.hint')}</p>
        <p>
          {t('footer.storage')} <Link to="privacy">{t('nav.privacy')}</Link>
        </p>
      </footer>
    </>
  );
}
