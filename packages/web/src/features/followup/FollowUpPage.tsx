// Follow-up: reference + PIN open a 30-minute session; then the case (status, messages, what happened,
// fingerprints and links, adding more, the person's data and the withdrawal); after a withdrawal, what
// was erased and what was kept. An expired session brings the person back to the PIN, with the reason.
import { useEffect, useRef } from 'react';

import { Link } from '../../components/Link';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/i18n';
import { CaseScreen } from './CaseScreen';
import { LoginForm } from './LoginForm';
import { useFollowUpCase, type Screen } from './useFollowUpCase';

/** Where focus goes when the page switches screen (not on arrival: App focuses the page title then). */
const FOCUS_ON: Readonly<Record<Screen['kind'], string | null>> = {
  login: 'page-title',
  loading: null,
  loadFailed: 'page-title',
  case: 'case-title',
  withdrawn: 'page-title',
};

function WithdrawnScreen({ reference }: { reference: string }) {
  const { t } = useI18n();
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {t('withdrawn.title')}
      </h1>
      <p className="notice notice-safe" role="status">
        {t('withdrawn.erased')}
      </p>
      <p>{t('withdrawn.kept')}</p>
      <p>{t('withdrawn.closed')}</p>
      <p className="hint">{t('withdrawn.reference', { reference })}</p>
      <p>{t('withdrawn.next')}</p>
      <ul className="cta-list">
        <li>
          <Link to="help" className="cta cta-primary">
            <span className="cta-title">{t('home.cta.help')}</span>
            <span className="cta-hint">{t('home.cta.help.hint')}</span>
          </Link>
        </li>
        <li>
          <Link to="report" className="cta">
            <span className="cta-title">{t('home.cta.report')}</span>
          </Link>
        </li>
      </ul>
    </>
  );
}

export function FollowUpPage() {
  const { t } = useI18n();
  usePageTitle('followup.title');
  const followUp = useFollowUpCase();
  const { screen } = followUp;
  const arrived = useRef(false);

  useEffect(() => {
    if (!arrived.current) {
      arrived.current = true;
      return;
    }
    const target = FOCUS_ON[screen.kind];
    if (target !== null) document.getElementById(target)?.focus();
  }, [screen.kind]);

  switch (screen.kind) {
    case 'login':
      return <LoginForm key={screen.notice.join()} initialReference={followUp.reference} notice={screen.notice} onOpened={followUp.opened} />;
    case 'loading':
      return (
        <>
          <h1 id="page-title" tabIndex={-1}>
            {t('followup.title')}
          </h1>
          <p role="status">{t('case.loading')}</p>
        </>
      );
    case 'loadFailed':
      return (
        <>
          <h1 id="page-title" tabIndex={-1}>
            {t('followup.title')}
          </h1>
          <div role="alert" className="failure">
            {screen.messages.map((key) => (
              <p key={key}>{t(key)}</p>
            ))}
          </div>
          <div className="actions">
            <button type="button" className="button-primary" onClick={followUp.retry}>
              {t('case.retry')}
            </button>
          </div>
        </>
      );
    case 'case':
      return <CaseScreen view={screen.view} followUp={followUp} />;
    case 'withdrawn':
      return <WithdrawnScreen reference={screen.reference} />;
  }
}
