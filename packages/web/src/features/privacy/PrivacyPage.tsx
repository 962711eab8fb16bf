// What Halte receives, never receives, shares, and leaves on the device — in plain words.
import { usePageTitle } from '../../components/usePageTitle';
import type { MessageKey } from '../../i18n/catalogues';
import { useI18n } from '../../i18n/i18n';

const SECTIONS: readonly { id: string; title: MessageKey; lines: readonly MessageKey[] }[] = [
  { id: 'privacy-never', title: 'privacy.never.title', lines: ['privacy.never.1', 'privacy.never.2', 'privacy.never.3'] },
  { id: 'privacy-receive', title: 'privacy.receive.title', lines: ['privacy.receive.1', 'privacy.receive.2', 'privacy.receive.3'] },
  { id: 'privacy-share', title: 'privacy.share.title', lines: ['privacy.share.1', 'privacy.share.2'] },
  { id: 'privacy-device', title: 'privacy.device.title', lines: ['privacy.device.1', 'privacy.device.cookie', 'privacy.device.2', 'privacy.device.3', 'privacy.device.4'] },
  { id: 'privacy-pin', title: 'privacy.pin.title', lines: ['privacy.pin.1'] },
];

export function PrivacyPage() {
  const { t } = useI18n();
  usePageTitle('privacy.title');
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {t('privacy.title')}
      </h1>
      <p className="lead">{t('privacy.intro')}</p>
      {SECTIONS.map((section) => (
        <section key={section.id} aria-labelledby={section.id}>
          <h2 id={section.id}>{t(section.title)}</h2>
          <ul className="plain-list">
            {section.lines.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
