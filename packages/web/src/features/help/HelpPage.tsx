// Orientation: three answers (age, country, danger) and optional situations → GET /api/orientation →
// the services, grouped, each with why it is shown and a visible mark when a detail is unconfirmed.
import { COUNTRIES, type AgeGroup, type Country, type OrientationRequest, type Situation } from '@halte/contract';
import { useEffect, useRef, useState, type FormEvent } from 'react';

import { EmergencyNumbers } from '../../components/EmergencyNumbers';
import { focusField, RadioGroup } from '../../components/fields';
import { ServiceList } from '../../components/ServiceList';
import { SituationChoices } from '../../components/SituationChoices';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/i18n';
import { SixQuestions } from './SixQuestions';
import { useOrientation } from './useOrientation';

export function HelpPage() {
  const { t, language } = useI18n();
  usePageTitle('help.title');
  const [age, setAge] = useState<AgeGroup | null>(null);
  const [country, setCountry] = useState<Country | null>(null);
  const [danger, setDanger] = useState<boolean | null>(null);
  const [situations, setSituations] = useState<Situation[]>([]);
  const [tried, setTried] = useState(false);
  const [query, setQuery] = useState<OrientationRequest | null>(null);
  const state = useOrientation(query);
  const resultsTitle = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (state.status === 'ready') resultsTitle.current?.focus();
  }, [state.status]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (age === null) return focusField('helpAge');
    if (country === null) return focusField('helpCountry');
    if (danger === null) return focusField('helpDanger');
    setQuery({ situations: danger ? [...situations, 'immediate_danger'] : situations, age, country, danger });
  };

  const required = (value: unknown) => (tried && value === null ? t('report.required') : undefined);
  const compiledOn = state.status === 'ready' ? state.response.dataCompiledOn : null;
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {t('help.title')}
      </h1>
      <p>{t('help.intro')}</p>
      <form className="help-form" onSubmit={onSubmit} noValidate>
        <RadioGroup
          name="helpAge"
          legend={t('help.age.legend')}
          error={required(age)}
          choices={[
            { value: 'minor', label: t('age.minor') },
            { value: 'adult', label: t('age.adult') },
          ]}
          value={age}
          onChange={setAge}
        />
        <RadioGroup
          name="helpCountry"
          legend={t('help.country.legend')}
          error={required(country)}
          choices={COUNTRIES.map((value) => ({ value, label: t(`country.${value}`) }))}
          value={country}
          onChange={setCountry}
        />
        <RadioGroup
          name="helpDanger"
          legend={t('help.danger.legend')}
          error={required(danger)}
          choices={[
            { value: 'yes', label: t('report.danger.yes') },
            { value: 'no', label: t('report.danger.no') },
          ]}
          value={danger === null ? null : danger ? 'yes' : 'no'}
          onChange={(value) => setDanger(value === 'yes')}
        />
        <div role="alert">{danger === true && <EmergencyNumbers country={country} level={2} title="danger.title" />}</div>
        {/* Optional, so folded: the three answers above are enough to show who can help. */}
        <details className="more">
          <summary>{t('help.situations.legend')}</summary>
          <SituationChoices values={situations} onChange={setSituations} />
        </details>
        <div className="actions">
          <button type="submit" className="button-primary">
            {t('help.submit')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {state.status === 'loading' && <p>{t('help.loading')}</p>}
      </div>
      <div role="alert">{state.status === 'failed' && state.messages.map((key) => <p key={key}>{t(key)}</p>)}</div>
      {state.status === 'ready' && (
        <section className="results" aria-labelledby="results-title">
          <h2 id="results-title" ref={resultsTitle} tabIndex={-1}>
            {t('help.results.title')}
          </h2>
          {state.response.notices.length > 0 && (
            <ul className="notices">
              {state.response.notices.map((notice) => (
                <li key={notice.fr} className="notice">
                  {notice[language]}
                </li>
              ))}
            </ul>
          )}
          <ServiceList services={state.response.services} level={3} />
          {compiledOn !== null && <p className="hint">{t('help.compiledOn', { date: compiledOn })}</p>}
        </section>
      )}
      <SixQuestions level={2} />
    </>
  );
}
