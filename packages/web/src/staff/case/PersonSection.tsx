// What the person told Halte: their summary and contact (text only: React text nodes, never HTML, so a
// summary holding markup shows its characters), the facts of the report, consents and language.
import type { CaseDetail } from '@halte/contract';
import type { ReactNode } from 'react';

import { formatWhen, staffLocale } from '../format';
import { useStaffI18n } from '../i18n/I18n';
import { AGE_WORDS, countryText, LANGUAGE_WORDS, situationText } from '../wording';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="staff-fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

export function PersonSection({ detail }: { detail: CaseDetail }) {
  const { tr, language } = useStaffI18n();
  const locale = staffLocale(language);
  const yesNo = (value: boolean) => tr(value ? 'common.yes' : 'common.no');
  return (
    <section className="staff-section" aria-labelledby="person-title">
      <h2 id="person-title">{tr('case.person')}</h2>
      <h3>{tr('case.summary')}</h3>
      {detail.summary === null || detail.summary.trim() === '' ? (
        <p className="hint" data-testid="case-summary">
          {tr('case.summary.none')}
        </p>
      ) : (
        <p className="staff-text" lang={detail.language} data-testid="case-summary">
          {detail.summary}
        </p>
      )}
      <h3>{tr('case.contact')}</h3>
      <div data-testid="case-contact">
        {detail.contact === null || (detail.contact.email === undefined && detail.contact.phone === undefined) ? (
          <p className="hint">{tr('case.contact.none')}</p>
        ) : (
          <ul className="staff-plain">
            {detail.contact.email !== undefined && <li className="staff-text">{tr('case.contact.email', { email: detail.contact.email })}</li>}
            {detail.contact.phone !== undefined && <li className="staff-text">{tr('case.contact.phone', { phone: detail.contact.phone })}</li>}
          </ul>
        )}
      </div>
      <h3>{tr('case.facts')}</h3>
      <dl className="staff-facts" data-testid="case-facts">
        <Fact label={tr('case.situations')}>{detail.situations.map((s) => situationText(tr, s)).join(', ')}</Fact>
        <Fact label={tr('case.danger')}>{yesNo(detail.immediateDanger)}</Fact>
        <Fact label={tr('case.ageGroup')}>{tr(AGE_WORDS[detail.ageGroup])}</Fact>
        <Fact label={tr('case.madeWhenMinor')}>{yesNo(detail.madeWhenMinor)}</Fact>
        <Fact label={tr('case.involvesMinor')}>{yesNo(detail.involvesMinor)}</Fact>
        <Fact label={tr('case.country')}>{countryText(tr, detail.country)}</Fact>
        <Fact label={tr('case.postalCode')}>{detail.postalCode ?? tr('case.postalCode.none')}</Fact>
        <Fact label={tr('case.language')}>{tr(LANGUAGE_WORDS[detail.language])}</Fact>
        <Fact label={tr('case.consent.share')}>{yesNo(detail.consents.shareWithPartners)}</Fact>
        <Fact label={tr('case.consent.contact')}>{yesNo(detail.consents.contactMe)}</Fact>
        <Fact label={tr('case.created')}>{formatWhen(detail.createdAt, locale)}</Fact>
        <Fact label={tr('case.firstAnswer')}>{detail.firstAnsweredAt === null ? tr('case.firstAnswer.none') : formatWhen(detail.firstAnsweredAt, locale)}</Fact>
        <Fact label={tr('case.deadline')}>{detail.deadlineAt === null ? tr('deadline.none') : formatWhen(detail.deadlineAt, locale)}</Fact>
      </dl>
    </section>
  );
}
