// An optional message, and the two consents. Contact fields appear only once the person agrees to be
// contacted: nothing is asked "just in case".
import { MAX_SUMMARY_CHARS } from '@halte/contract';

import { Checkbox, TextField } from '../../../components/fields';
import { useI18n } from '../../../i18n/i18n';
import { useReportSession } from '../session';
import type { ProblemOf } from './types';

export function ContactStep({ problem }: { problem: ProblemOf }) {
  const { t } = useI18n();
  const { answers, update } = useReportSession();
  return (
    <>
      <TextField
        name="summary"
        label={t('report.summary.label')}
        hint={`${t('report.summary.hint')} ${t('report.summary.count', { count: answers.summary.length, max: MAX_SUMMARY_CHARS })}`}
        error={problem('summary')}
        multiline
        maxLength={MAX_SUMMARY_CHARS}
        value={answers.summary}
        onChange={(summary) => update({ summary })}
      />
      <fieldset className="choices">
        <legend>{t('report.consent.legend')}</legend>
        <Checkbox
          name="shareWithPartners"
          label={t('report.consent.share')}
          hint={t('report.consent.shareHint')}
          checked={answers.shareWithPartners}
          onChange={(shareWithPartners) => update({ shareWithPartners })}
        />
        <Checkbox name="contactMe" label={t('report.consent.contact')} checked={answers.contactMe} onChange={(contactMe) => update({ contactMe })} />
      </fieldset>
      {answers.contactMe ? (
        <div className="contact-fields" id="field-contact">
          <p className="hint">{t('report.consent.contactHint')}</p>
          {problem('contact') !== undefined && (
            <p className="field-error" role="alert">
              {problem('contact')}
            </p>
          )}
          <TextField
            name="email"
            label={t('report.email.label')}
            type="email"
            inputMode="email"
            spellCheck={false}
            autoCapitalize="off"
            error={problem('email')}
            value={answers.email}
            onChange={(email) => update({ email })}
          />
          <TextField name="phone" label={t('report.phone.label')} type="tel" inputMode="tel" error={problem('phone')} value={answers.phone} onChange={(phone) => update({ phone })} />
        </div>
      ) : (
        <p className="notice">{t('report.contact.none')}</p>
      )}
    </>
  );
}
