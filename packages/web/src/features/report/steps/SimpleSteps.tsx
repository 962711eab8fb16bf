// The one-question steps: what is happening, age, country, danger.
import { COUNTRIES } from '@halte/contract';

import { EmergencyNumbers } from '../../../components/EmergencyNumbers';
import { RadioGroup, TextField } from '../../../components/fields';
import { SituationChoices } from '../../../components/SituationChoices';
import { useI18n } from '../../../i18n/i18n';
import { useReportSession } from '../session';
import type { MadeWhenMinorAnswer } from '../wizard';
import type { ProblemOf } from './types';

export function SituationsStep({ problem }: { problem: ProblemOf }) {
  const { t } = useI18n();
  const { answers, update } = useReportSession();
  return (
    <SituationChoices
      values={answers.situations}
      onChange={(situations) => update({ situations })}
      hint={t('report.situations.hint')}
      error={problem('situations')}
    />
  );
}

export function AgeStep({ problem }: { problem: ProblemOf }) {
  const { t } = useI18n();
  const { answers, update } = useReportSession();
  return (
    <>
      <RadioGroup
        name="ageGroup"
        legend={t('report.age.legend')}
        error={problem('ageGroup')}
        choices={[
          { value: 'minor', label: t('age.minor') },
          { value: 'adult', label: t('age.adult') },
        ]}
        value={answers.ageGroup}
        onChange={(ageGroup) => update({ ageGroup })}
      />
      {answers.ageGroup === 'minor' && <p className="notice">{t('report.age.minorNote')}</p>}
      {answers.ageGroup === 'adult' && (
        <RadioGroup<MadeWhenMinorAnswer>
          name="madeWhenMinor"
          legend={t('report.madeWhenMinor.legend')}
          hint={t('report.madeWhenMinor.hint')}
          error={problem('madeWhenMinor')}
          choices={[
            { value: 'yes', label: t('report.madeWhenMinor.yes') },
            { value: 'no', label: t('report.madeWhenMinor.no') },
            { value: 'unsure', label: t('report.madeWhenMinor.unsure') },
          ]}
          value={answers.madeWhenMinor}
          onChange={(madeWhenMinor) => update({ madeWhenMinor })}
        />
      )}
    </>
  );
}

export function CountryStep({ problem }: { problem: ProblemOf }) {
  const { t } = useI18n();
  const { answers, update } = useReportSession();
  return (
    <>
      <RadioGroup
        name="country"
        legend={t('report.country.legend')}
        error={problem('country')}
        choices={COUNTRIES.map((country) => ({ value: country, label: t(`country.${country}`) }))}
        value={answers.country}
        onChange={(country) => update({ country })}
      />
      <TextField
        name="postalCode"
        label={t('report.postalCode.label')}
        hint={t('report.postalCode.hint')}
        error={problem('postalCode')}
        value={answers.postalCode}
        onChange={(postalCode) => update({ postalCode })}
        inputMode={answers.country === 'other' ? 'text' : 'numeric'}
        autoComplete="postal-code"
        maxLength={10}
        spellCheck={false}
      />
    </>
  );
}

export function DangerStep({ problem }: { problem: ProblemOf }) {
  const { t } = useI18n();
  const { answers, update } = useReportSession();
  return (
    <>
      {/* Said "yes": the numbers come first, before anything else on the screen. */}
      <div role="alert">
        {answers.immediateDanger === true && (
          <>
            <EmergencyNumbers country={answers.country} level={3} title="danger.title" />
            <p className="notice">{t('danger.continue')}</p>
          </>
        )}
      </div>
      <RadioGroup
        name="immediateDanger"
        legend={t('report.danger.legend')}
        hint={t('report.danger.hint')}
        error={problem('immediateDanger')}
        choices={[
          { value: 'yes', label: t('report.danger.yes') },
          { value: 'no', label: t('report.danger.no') },
        ]}
        value={answers.immediateDanger === null ? null : answers.immediateDanger ? 'yes' : 'no'}
        onChange={(value) => update({ immediateDanger: value === 'yes' })}
      />
    </>
  );
}
