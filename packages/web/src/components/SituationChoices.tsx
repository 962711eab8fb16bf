import type { Situation } from '@halte/contract';

import { useI18n } from '../i18n/i18n';
import { CheckboxGroup, fieldId } from './fields';
import { SITUATION_GROUP_ORDER, SITUATION_GROUPS } from './situations';

/** The situation boxes, in groups; the first group carries the field id and the error. */
export function SituationChoices({ values, onChange, error, hint }: { values: readonly Situation[]; onChange: (values: Situation[]) => void; error?: string | undefined; hint?: string | undefined }) {
  const { t } = useI18n();
  return (
    <div className="situation-groups">
      {SITUATION_GROUP_ORDER.map((group, index) => {
        const inGroup: readonly Situation[] = SITUATION_GROUPS[group];
        return (
          <CheckboxGroup<Situation>
            key={group}
            name="situations"
            groupId={index === 0 ? fieldId('situations') : undefined}
            legend={t(`situations.group.${group}`)}
            hint={index === 0 ? hint : undefined}
            error={index === 0 ? error : undefined}
            choices={inGroup.map((situation) => ({ value: situation, label: t(`situation.${situation}`) }))}
            values={values.filter((value) => inGroup.includes(value))}
            onChange={(chosen) => onChange([...values.filter((value) => !inGroup.includes(value)), ...chosen])}
          />
        );
      })}
      {values.includes('suicidal_crisis') && (
        <p className="notice notice-care" role="status">
          {t('situations.suicidal')}
        </p>
      )}
    </div>
  );
}
