// Six questions to ask oneself before sending an intimate picture (from the seed 001 material,
// rewritten in Halte's words), framed so that nobody it already happened to reads blame in them.
import type { HeadingLevel } from '../../components/Heading';
import { Heading } from '../../components/Heading';
import { useI18n } from '../../i18n/i18n';

const QUESTIONS = ['six.q1', 'six.q2', 'six.q3', 'six.q4', 'six.q5', 'six.q6'] as const;

export function SixQuestions({ level }: { level: HeadingLevel }) {
  const { t } = useI18n();
  return (
    <section className="six-questions" aria-labelledby="six-title">
      <Heading level={level} id="six-title">
        {t('six.title')}
      </Heading>
      <p className="notice notice-safe">{t('six.notYourFault')}</p>
      <p>{t('six.intro')}</p>
      <ol>
        {QUESTIONS.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ol>
    </section>
  );
}
