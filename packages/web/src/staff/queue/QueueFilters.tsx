// The queue's filters: statuses (several), situation, country, whose cases, and the reference search
// (the one case, whatever the other filters). Choices apply at once; the search on Enter or its button.
import { CASE_STATUSES, COUNTRIES, SITUATIONS, type Country, type Situation } from '@halte/contract';
import { useState, type FormEvent, type Ref } from 'react';

import { useStaffI18n } from '../i18n/I18n';
import { CheckboxField, Select, TextInput, type Option } from '../ui/fields';
import { COUNTRY_WORDS, SITUATION_WORDS, STATUS_WORDS } from '../wording';
import { DEFAULT_FILTERS, toggleStatus, type AssigneeFilter, type QueueFilters as Filters } from './filters';

export function QueueFilters({ filters, onApply, searchRef }: { filters: Filters; onApply: (filters: Filters) => void; searchRef: Ref<HTMLInputElement> }) {
  const { tr } = useStaffI18n();
  const [reference, setReference] = useState(filters.reference);
  const [applied, setApplied] = useState(filters.reference);
  // The filters changed elsewhere (reset, "clear"): show their reference.
  if (applied !== filters.reference) {
    setApplied(filters.reference);
    setReference(filters.reference);
  }

  const situationOptions: Option<Situation | ''>[] = [{ value: '', label: tr('queue.filter.any') }, ...SITUATIONS.map((s) => ({ value: s, label: tr(SITUATION_WORDS[s]) }))];
  const countryOptions: Option<Country | ''>[] = [{ value: '', label: tr('queue.filter.anyCountry') }, ...COUNTRIES.map((c) => ({ value: c, label: tr(COUNTRY_WORDS[c]) }))];
  const assigneeOptions: Option<AssigneeFilter>[] = [
    { value: 'all', label: tr('queue.assignee.all') },
    { value: 'me', label: tr('queue.assignee.me') },
    { value: 'none', label: tr('queue.assignee.none') },
  ];

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply({ ...filters, reference });
  };

  return (
    <section className="staff-filters" aria-labelledby="queue-filters-title">
      <h2 id="queue-filters-title" className="visually-hidden">
        {tr('queue.filters')}
      </h2>
      <form className="staff-search" role="search" onSubmit={search}>
        <TextInput
          label={tr('queue.search')}
          hint={tr('queue.search.hint')}
          type="search"
          value={reference}
          onChange={setReference}
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          testId="queue-search"
          inputRef={searchRef}
        />
        <div className="staff-actions">
          <button type="submit" className="button-primary" data-testid="queue-search-submit">
            {tr('queue.search.submit')}
          </button>
          {filters.reference !== '' && (
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                setReference('');
                onApply({ ...filters, reference: '' });
              }}
              data-testid="queue-search-clear"
            >
              {tr('queue.search.clear')}
            </button>
          )}
        </div>
      </form>
      <div className="staff-filter-row">
        <fieldset className="staff-statuses" data-testid="queue-filter-status">
          <legend>{tr('queue.filter.status')}</legend>
          {CASE_STATUSES.map((status) => (
            <CheckboxField
              key={status}
              label={tr(STATUS_WORDS[status])}
              checked={filters.statuses.includes(status)}
              onChange={(on) => onApply({ ...filters, statuses: toggleStatus(filters.statuses, status, on, CASE_STATUSES) })}
              testId={`queue-filter-status-${status}`}
            />
          ))}
        </fieldset>
        <Select label={tr('queue.filter.situation')} value={filters.situation ?? ''} options={situationOptions} onChange={(v) => onApply({ ...filters, situation: v === '' ? null : v })} testId="queue-filter-situation" />
        <Select label={tr('queue.filter.country')} value={filters.country ?? ''} options={countryOptions} onChange={(v) => onApply({ ...filters, country: v === '' ? null : v })} testId="queue-filter-country" />
        <Select label={tr('queue.filter.assignee')} value={filters.assignee} options={assigneeOptions} onChange={(v) => onApply({ ...filters, assignee: v })} testId="queue-filter-assignee" />
        <div className="staff-actions">
          <button
            type="button"
            className="button-quiet"
            onClick={() => {
              setReference('');
              onApply(DEFAULT_FILTERS);
            }}
            data-testid="queue-filter-reset"
          >
            {tr('queue.filter.reset')}
          </button>
        </div>
      </div>
    </section>
  );
}
