// The answer composer's choices that are not the analyst's to remember.
import type { AnswerTemplate, CaseDetail } from '@halte/contract';

/** The template that fits where the case is: a first answer until there is one, closing once closed. */
export function defaultTemplate(detail: Pick<CaseDetail, 'firstAnsweredAt' | 'status'>): AnswerTemplate {
  if (detail.firstAnsweredAt === null) return 'first_answer';
  return detail.status === 'closed' ? 'closing' : 'update';
}
