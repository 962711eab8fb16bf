// Everything the person answered, each part with a way back to change it, and what will and will not
// leave the device.
import type { ReactNode } from 'react';

import { useI18n } from '../../../i18n/i18n';
import type { MessageKey } from '../../../i18n/catalogues';
import { readyHashes } from '../hashing/media-queue';
import { useReportSession } from '../session';
import { reportSituations, type Step } from '../wizard';

function Row({ label, step, children }: { label: MessageKey; step: Step; children: ReactNode }) {
  const { t } = useI18n();
  const { setStep } = useReportSession();
  return (
    <div className="review-row">
      <dt>{t(label)}</dt>
      <dd>
        <div className="review-value">{children}</div>
        <button type="button" className="button-quiet" onClick={() => setStep(step)}>
          {t('report.review.edit')}
          <span className="visually-hidden"> {t(label)}</span>
        </button>
      </dd>
    </div>
  );
}

export function ReviewStep() {
  const { t } = useI18n();
  const { answers, images } = useReportSession();
  const situations = reportSituations(answers);
  const yesNo = (value: boolean | null) => (value === true ? t('answer.yes') : t('answer.no'));
  const contact = [answers.email.trim(), answers.phone.trim()].filter((value) => value !== '');
  return (
    <>
      <p>{t('report.review.intro')}</p>
      <p className="notice">{t('report.review.sent')}</p>
      <p className="notice notice-safe">{t('report.review.notSent')}</p>
      <dl className="review">
        <Row label="report.review.situations" step="situations">
          <ul>
            {situations.map((situation) => (
              <li key={situation}>{t(`situation.${situation}`)}</li>
            ))}
          </ul>
        </Row>
        <Row label="report.review.age" step="age">
          {answers.ageGroup === null ? t('report.review.notGiven') : t(`age.${answers.ageGroup}`)}
        </Row>
        {answers.ageGroup === 'adult' && answers.madeWhenMinor !== null && (
          <Row label="report.review.madeWhenMinor" step="age">
            {t(`report.madeWhenMinor.${answers.madeWhenMinor}`)}
          </Row>
        )}
        <Row label="report.review.country" step="country">
          {answers.country === null ? t('report.review.notGiven') : t(`country.${answers.country}`)}
        </Row>
        <Row label="report.review.postalCode" step="country">
          {answers.postalCode.trim() === '' ? t('report.review.notGiven') : answers.postalCode.trim()}
        </Row>
        <Row label="report.review.danger" step="danger">
          {yesNo(answers.immediateDanger)}
        </Row>
        <Row label="report.review.images" step="images">
          {readyHashes(images).length}
        </Row>
        <Row label="report.review.links" step="links">
          {answers.urls.length === 0 ? (
            t('report.review.none')
          ) : (
            <ul>
              {answers.urls.map((url) => (
                <li key={url} className="link-url">
                  {url}
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row label="report.review.summary" step="contact">
          {answers.summary.trim() === '' ? t('report.review.notGiven') : <span className="pre-wrap">{answers.summary.trim()}</span>}
        </Row>
        <Row label="report.review.consentShare" step="contact">
          {yesNo(answers.shareWithPartners)}
        </Row>
        <Row label="report.review.consentContact" step="contact">
          {yesNo(answers.contactMe)}
        </Row>
        {answers.contactMe && (
          <Row label="report.review.contact" step="contact">
            {contact.length === 0 ? t('report.review.notGiven') : contact.join(' · ')}
          </Row>
        )}
      </dl>
    </>
  );
}
