import type { Country } from '@halte/contract';
import { useId } from 'react';

import { useI18n } from '../i18n/i18n';
import { EMERGENCY_NUMBERS, emergencyHref } from './emergency';
import { Heading, type HeadingLevel } from './Heading';

/**
 * Big call / text buttons for the emergency numbers. `country` null: the person has not said where
 * they are, so France and Belgium are both shown.
 */
export function EmergencyNumbers({ country, level, title }: { country: Country | null; level: HeadingLevel; title: 'danger.title' | 'danger.titleHome' }) {
  const { t } = useI18n();
  const titleId = useId();
  const countries: Country[] = country === null ? ['FR', 'BE'] : [country];
  return (
    <section className="emergency" aria-labelledby={titleId}>
      <Heading level={level} id={titleId}>
        {t(title)}
      </Heading>
      {countries.map((where) => (
        <div key={where} className="emergency-country">
          {countries.length > 1 && <p className="emergency-where">{t(`danger.country.${where}`)}</p>}
          <ul className="call-list">
            {EMERGENCY_NUMBERS[where].map((entry) => (
              <li key={`${entry.channel}-${entry.number}`}>
                <a className="call" href={emergencyHref(entry)}>
                  <span className="call-action">{t(entry.channel === 'sms' ? 'danger.sms' : 'danger.call', { number: entry.number })}</span>
                  <span className="call-label">{t(entry.label)}</span>
                </a>
              </li>
            ))}
          </ul>
          {where === 'other' && <p>{t('danger.other.local')}</p>}
        </div>
      ))}
    </section>
  );
}
