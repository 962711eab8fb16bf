// The report wizard: one question per screen, Back / Continue, the problems of a step shown on its
// fields (and focus moved to the first one), then the review and the sending.
import { useEffect, useRef, useState, type FormEvent } from 'react';

import { focusField } from '../../components/fields';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n/i18n';
import { hashingProgress, readyHashes } from './hashing/media-queue';
import { DoneScreen } from './DoneScreen';
import { useReportSession } from './session';
import { ContactStep } from './steps/ContactStep';
import { ImagesStep } from './steps/ImagesStep';
import { LinksStep } from './steps/LinksStep';
import { ReviewStep } from './steps/ReviewStep';
import { AgeStep, CountryStep, DangerStep, SituationsStep } from './steps/SimpleSteps';
import type { ProblemOf } from './steps/types';
import { stepOf, stepProblems, STEPS, type Problem, type Step } from './wizard';

const STEP_TITLES = {
  situations: 'report.situations.title',
  age: 'report.age.title',
  country: 'report.country.title',
  danger: 'report.danger.title',
  images: 'report.images.title',
  links: 'report.links.title',
  contact: 'report.contact.title',
  review: 'report.review.title',
} as const satisfies Record<Step, string>;

function StepBody({ step, problem }: { step: Step; problem: ProblemOf }) {
  switch (step) {
    case 'situations':
      return <SituationsStep problem={problem} />;
    case 'age':
      return <AgeStep problem={problem} />;
    case 'country':
      return <CountryStep problem={problem} />;
    case 'danger':
      return <DangerStep problem={problem} />;
    case 'images':
      return <ImagesStep problem={problem} />;
    case 'links':
      return <LinksStep problem={problem} />;
    case 'contact':
      return <ContactStep problem={problem} />;
    case 'review':
      return <ReviewStep />;
  }
}

function Wizard() {
  const { t } = useI18n();
  const session = useReportSession();
  const { step, setStep, answers, images, linkDraft } = session;
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const index = STEPS.indexOf(step);
  const stepTitle = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    // After a move between steps (not on arrival on the page: the page title has focus then).
    if (moved.current) stepTitle.current?.focus();
    moved.current = true;
  }, [step]);

  const go = (next: Step) => {
    setProblems([]);
    setStep(next);
  };

  const showProblems = (found: readonly Problem[]) => {
    setProblems(found);
    const first = found[0];
    if (first !== undefined) window.requestAnimationFrame(() => focusField(first.field));
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (session.sending) return;
    const found = [...stepProblems(step, answers, readyHashes(images))];
    if (step === 'images' && hashingProgress(images).done < images.length) found.push({ field: 'images', message: 'report.images.wait' });
    if (step === 'links' && linkDraft.trim() !== '') found.push({ field: 'urls', message: 'report.links.pending' });
    if (found.length > 0) return showProblems(found);
    const next = STEPS[index + 1];
    if (next !== undefined) return go(next);
    const outcome = await session.submit();
    if (!outcome.ok && 'problems' in outcome) {
      const first = outcome.problems[0];
      if (first !== undefined) setStep(stepOf(first.field));
      setProblems(outcome.problems);
    }
  };

  const problem: ProblemOf = (field) => {
    const found = problems.find((p) => p.field === field);
    return found === undefined ? undefined : t(found.message, found.params);
  };

  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {t('report.title')}
      </h1>
      {index === 0 && <p>{t('report.intro')}</p>}
      <form className="wizard" onSubmit={(event) => void onSubmit(event)} noValidate>
        <p className="step-count">{t('report.step', { current: index + 1, total: STEPS.length })}</p>
        <h2 id="step-title" ref={stepTitle} tabIndex={-1}>
          {t(STEP_TITLES[step])}
        </h2>
        <div role="alert" className="form-alert">
          {problems.length > 0 && <p className="field-error">{t('report.fixFirst')}</p>}
          {problems
            .filter((p) => p.field === 'form')
            .map((p) => (
              <p key={p.message} className="field-error">
                {t(p.message, p.params)}
              </p>
            ))}
        </div>
        <StepBody step={step} problem={problem} />
        {step === 'review' && (
          <div className="send-state">
            <p role="status">{session.sending ? t('report.submitting') : ''}</p>
            <div role="alert">
              {session.failure !== null && !session.sending && (
                <div className="failure">
                  {session.failure.map((key) => (
                    <p key={key}>{t(key)}</p>
                  ))}
                </div>
              )}
            </div>
          </div>
        )}
        <div className="wizard-actions">
          {index > 0 && (
            <button type="button" className="button-secondary" onClick={() => go(STEPS[index - 1] ?? 'situations')} disabled={session.sending}>
              {t('report.back')}
            </button>
          )}
          <button type="submit" className="button-primary" disabled={session.sending}>
            {step === 'review' ? (session.failure === null ? t('report.submit') : t('report.retry')) : t('report.next')}
          </button>
        </div>
      </form>
    </>
  );
}

export function ReportPage() {
  usePageTitle('report.title');
  const { createdCase } = useReportSession();
  return createdCase === null ? <Wizard /> : <DoneScreen createdCase={createdCase} />;
}
