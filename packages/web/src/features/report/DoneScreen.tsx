// After 201: the reference and the PIN, big and copyable, a text file to keep them, the plain warning
// that a lost PIN cannot be recovered, what happens next, and who can help now.
import { useEffect, useMemo, useRef, useState } from 'react';

import { EmergencyNumbers } from '../../components/EmergencyNumbers';
import { ServiceList } from '../../components/ServiceList';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../router';
import { servicesOf, useOrientation } from '../help/useOrientation';
import { credentialsFile, credentialsFileName, credentialsLines, downloadText } from './credentials';
import { useReportSession, type CreatedCase } from './session';

export function DoneScreen({ createdCase }: { createdCase: CreatedCase }) {
  const { t, language } = useI18n();
  const { finish } = useReportSession();
  const { created, sentAt, orientationQuery } = createdCase;
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const title = useRef<HTMLHeadingElement>(null);

  useEffect(() => title.current?.focus(), []);

  // The answer carries the help services; if it did not (or not in the expected shape), ask for them.
  const included = useMemo(() => servicesOf(created.orientation), [created.orientation]);
  const fetched = useOrientation(included.length === 0 ? orientationQuery : null);
  const services = included.length > 0 ? included : fetched.status === 'ready' ? fetched.response.services : [];

  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(credentialsLines(language, created.reference, created.pin));
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <>
      <h1 id="page-title" ref={title} tabIndex={-1}>
        {t('done.title')}
      </h1>
      {orientationQuery.danger && <EmergencyNumbers country={orientationQuery.country} level={2} title="danger.title" />}
      <p className="lead">{t('done.thanks')}</p>
      <p>{t('done.keep')}</p>
      <div className="credentials">
        <div className="credential">
          <p className="credential-label" id="reference-label">
            {t('done.reference')}
          </p>
          <p className="credential-value" aria-describedby="reference-label" data-testid="reference">
            {created.reference}
          </p>
        </div>
        <div className="credential">
          <p className="credential-label" id="pin-label">
            {t('done.pin')}
          </p>
          <p className="credential-value" aria-describedby="pin-label" data-testid="pin">
            {created.pin}
          </p>
        </div>
      </div>
      <p className="warning">{t('done.pinWarning')}</p>
      <div className="actions">
        <button type="button" className="button-primary" onClick={() => void onCopy()}>
          {t('done.copy')}
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => downloadText(credentialsFile(language, created.reference, created.pin, sentAt), credentialsFileName(created.reference))}
        >
          {t('done.download')}
        </button>
      </div>
      <p role="status" className={copy === 'failed' ? 'field-error' : 'hint'}>
        {copy === 'copied' ? t('done.copied') : copy === 'failed' ? t('done.copyFailed') : ''}
      </p>
      <p className="hint">{t('done.downloadHint')}</p>
      {created.warnings.length > 0 && (
        <ul className="warnings">
          {created.warnings.map((warning) => (
            <li key={`${warning.code}-${warning.item}`}>{t(`done.warning.${warning.code}`, { n: warning.item + 1 })}</li>
          ))}
        </ul>
      )}
      <h2>{t('done.next.title')}</h2>
      <ol className="next-steps">
        <li>{t('done.next.1')}</li>
        <li>{t('done.next.2')}</li>
        <li>{t('done.next.3')}</li>
      </ol>
      <h2>{t('done.help.title')}</h2>
      <div aria-live="polite">
        {fetched.status === 'loading' && <p>{t('help.loading')}</p>}
        {fetched.status === 'failed' && fetched.messages.map((key) => <p key={key}>{t(key)}</p>)}
      </div>
      {services.length > 0 && <ServiceList services={services} level={3} />}
      <div className="actions finish">
        <button type="button" className="button-secondary" onClick={() => {
            finish();
            navigate('home');
          }}
          aria-describedby="finish-hint">
          {t('done.finish')}
        </button>
        <p id="finish-hint" className="hint">
          {t('done.finishHint')}
        </p>
      </div>
    </>
  );
}
