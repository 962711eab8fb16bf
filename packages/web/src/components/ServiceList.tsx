// The help services of an orientation answer, grouped as the contract orders them (emergency first).
// A service whose contact, existence or hours are not confirmed by the sources carries a visible
// "Information non confirmée" mark with the reason: a wrong number given as certain to a person in
// danger is worse than an honest doubt.
import { ORIENTATION_GROUPS, type OrientationService } from '@halte/contract';

import { contactLink } from './contact';
import { useI18n } from '../i18n/i18n';
import { Heading, type HeadingLevel } from './Heading';

export function isUnconfirmed(service: OrientationService): boolean {
  return !service.confirmed || service.unconfirmedFields.length > 0 || !service.hoursConfirmed;
}

function ServiceItem({ service, level }: { service: OrientationService; level: HeadingLevel }) {
  const { t, language } = useI18n();
  const unconfirmed = isUnconfirmed(service);
  return (
    <li className="service">
      <Heading level={level} lang="fr">
        {service.name}
      </Heading>
      {unconfirmed && (
        <p className="unconfirmed">
          <strong className="unconfirmed-mark">{t('service.unconfirmed')}</strong>
          {service.unconfirmedNote !== null && <span> {service.unconfirmedNote[language]}</span>}
        </p>
      )}
      <p>{service.description[language]}</p>
      {(service.free === true || service.anonymous === true) && (
        <p className="tags">
          {service.free === true && <span className="tag">{t('service.free')}</span>}
          {service.anonymous === true && <span className="tag">{t('service.anonymous')}</span>}
        </p>
      )}
      <dl className="service-facts">
        <dt>{t('service.contact')}</dt>
        <dd>
          <ul className="channels">
            {service.channels.map((channel) => {
              const link = contactLink(channel);
              return (
                <li key={`${channel.kind}-${channel.contact}`}>
                  <span className="channel-kind">{t(`service.kind.${link.kind}`)}</span>{' '}
                  {link.href === null ? (
                    <span lang="fr">{link.text}</span>
                  ) : link.external ? (
                    <a href={link.href} target="_blank" rel="noopener noreferrer">
                      <span lang="fr">{link.text}</span> <span className="visually-hidden">{t('service.newTab')}</span>
                    </a>
                  ) : (
                    <a href={link.href} className="channel-call">
                      {link.text}
                    </a>
                  )}
                </li>
              );
            })}
          </ul>
        </dd>
        {service.hours !== '' && (
          <>
            <dt>{t('service.hours')}</dt>
            <dd lang="fr">{service.hours}</dd>
          </>
        )}
        <dt>{t('service.why')}</dt>
        <dd>{service.reason[language]}</dd>
        {service.notFor !== null && (
          <>
            <dt>{t('service.notFor')}</dt>
            <dd>{service.notFor[language]}</dd>
          </>
        )}
        {service.unconfirmedFields.length > 0 && (
          <>
            <dt>{t('service.unconfirmedFields')}</dt>
            <dd lang="fr">{service.unconfirmedFields.join(' ; ')}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

export function ServiceList({ services, level }: { services: readonly OrientationService[]; level: 2 | 3 | 4 }) {
  const { t } = useI18n();
  const groups = ORIENTATION_GROUPS.map((group) => ({ group, items: services.filter((service) => service.group === group) })).filter(
    ({ items }) => items.length > 0,
  );
  const itemLevel = (level + 1) as HeadingLevel;
  return (
    <div className="services">
      {groups.map(({ group, items }) => (
        <section key={group} className={`service-group service-group-${group}`}>
          <Heading level={level}>{t(`group.${group}`)}</Heading>
          <ul className="service-list">
            {items.map((service) => (
              <ServiceItem key={service.id} service={service} level={itemLevel} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
