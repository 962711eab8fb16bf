// What Halte does and does not do, in plain words, the emergency numbers, and the three ways in.
import { EmergencyNumbers } from '../../components/EmergencyNumbers';
import { Link } from '../../components/Link';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/i18n';

const DOES = ['home.does.1', 'home.does.2', 'home.does.3', 'home.does.4', 'home.does.5'] as const;
const DOES_NOT = ['home.doesNot.1', 'home.doesNot.2', 'home.doesNot.3', 'home.doesNot.4'] as const;
const NOW = ['home.now.1', 'home.now.2', 'home.now.3', 'home.now.4'] as const;

export function HomePage() {
  const { t } = useI18n();
  usePageTitle('nav.home');
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {t('home.title')}
      </h1>
      <p className="lead">{t('home.lead')}</p>
      <EmergencyNumbers country={null} level={2} title="danger.titleHome" />
      <section aria-labelledby="home-actions">
        <h2 id="home-actions">{t('home.actions')}</h2>
        <ul className="cta-list">
          <li>
            <Link to="report" className="cta cta-primary">
              <span className="cta-title">{t('home.cta.report')}</span>
              <span className="cta-hint">{t('home.cta.report.hint')}</span>
            </Link>
          </li>
          <li>
            <Link to="help" className="cta">
              <span className="cta-title">{t('home.cta.help')}</span>
              <span className="cta-hint">{t('home.cta.help.hint')}</span>
            </Link>
          </li>
          <li>
            <Link to="followup" className="cta">
              <span className="cta-title">{t('home.cta.followup')}</span>
              <span className="cta-hint">{t('home.cta.followup.hint')}</span>
            </Link>
          </li>
        </ul>
      </section>
      <section aria-labelledby="home-now">
        <h2 id="home-now">{t('home.now.title')}</h2>
        <ul className="plain-list">
          {NOW.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="home-does">
        <h2 id="home-does">{t('home.does.title')}</h2>
        <ul className="plain-list">
          {DOES.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="home-does-not">
        <h2 id="home-does-not">{t('home.doesNot.title')}</h2>
        <ul className="plain-list">
          {DOES_NOT.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
        <p>
          <Link to="privacy">{t('home.privacy')}</Link>
        </p>
      </section>
    </>
  );
}
