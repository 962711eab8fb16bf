// The report wizard's answers, which step checks what, and the ReportRequest they make. Pure: the
// screens hold the state, this decides. The contract's ReportRequest is the only judge of what is
// valid (postal codes, e-mail, phone, URLs, sizes); its issues are turned into the person's words.
import {
  MAX_REPORT_ITEMS,
  MAX_SUMMARY_CHARS,
  ReportRequest,
  SITUATIONS,
  type AgeGroup,
  type Country,
  type ReportItem,
  type Situation,
} from '@halte/contract';

import type { MessageKey, MessageParams } from '../../i18n/catalogues';
import { fileItems } from './hashing/items';
import type { FileHashes } from './hashing/protocol';

export const STEPS = ['situations', 'age', 'country', 'danger', 'images', 'links', 'contact', 'review'] as const;
export type Step = (typeof STEPS)[number];

/** "I do not know" counts as yes: the team then handles the images as possibly showing a minor. */
export type MadeWhenMinorAnswer = 'yes' | 'no' | 'unsure';

export interface Answers {
  /** what the person ticked; `immediate_danger` comes from the danger step instead */
  readonly situations: readonly Situation[];
  readonly ageGroup: AgeGroup | null;
  /** asked of adults only: a minor's images were made when a minor */
  readonly madeWhenMinor: MadeWhenMinorAnswer | null;
  readonly country: Country | null;
  readonly postalCode: string;
  readonly immediateDanger: boolean | null;
  readonly urls: readonly string[];
  readonly summary: string;
  readonly shareWithPartners: boolean;
  readonly contactMe: boolean;
  readonly email: string;
  readonly phone: string;
}

export const EMPTY_ANSWERS: Answers = {
  situations: [],
  ageGroup: null,
  madeWhenMinor: null,
  country: null,
  postalCode: '',
  immediateDanger: null,
  urls: [],
  summary: '',
  // Consent is asked, never assumed: both boxes start unticked.
  shareWithPartners: false,
  contactMe: false,
  email: '',
  phone: '',
};

/** The fields a problem can be attached to (each is one control, or one group, on screen). */
export type Field =
  | 'situations'
  | 'ageGroup'
  | 'madeWhenMinor'
  | 'country'
  | 'postalCode'
  | 'immediateDanger'
  | 'images'
  | 'urls'
  | 'summary'
  | 'contact'
  | 'email'
  | 'phone'
  | 'form';

export interface Problem {
  readonly field: Field;
  readonly message: MessageKey;
  readonly params?: MessageParams;
}

export const STEP_FIELDS: Readonly<Record<Step, readonly Field[]>> = {
  situations: ['situations'],
  age: ['ageGroup', 'madeWhenMinor'],
  country: ['country', 'postalCode'],
  danger: ['immediateDanger'],
  images: ['images'],
  links: ['urls'],
  contact: ['summary', 'contact', 'email', 'phone'],
  review: [],
};

/** The situations sent: the ticked ones plus immediate danger when the person said so, once each, in
 * the vocabulary's order. */
export function reportSituations(answers: Pick<Answers, 'situations' | 'immediateDanger'>): Situation[] {
  const chosen = new Set<Situation>(answers.situations);
  if (answers.immediateDanger === true) chosen.add('immediate_danger');
  return SITUATIONS.filter((situation) => chosen.has(situation));
}

function madeWhenMinor(answers: Answers): boolean {
  return answers.ageGroup === 'minor' || answers.madeWhenMinor === 'yes' || answers.madeWhenMinor === 'unsure';
}

function missing(answers: Answers): Problem[] {
  const problems: Problem[] = [];
  if (reportSituations(answers).length === 0) problems.push({ field: 'situations', message: 'report.situations.required' });
  if (answers.ageGroup === null) problems.push({ field: 'ageGroup', message: 'report.required' });
  if (answers.ageGroup === 'adult' && answers.madeWhenMinor === null) problems.push({ field: 'madeWhenMinor', message: 'report.required' });
  if (answers.country === null) problems.push({ field: 'country', message: 'report.required' });
  if (answers.immediateDanger === null) problems.push({ field: 'immediateDanger', message: 'report.required' });
  if (answers.contactMe && answers.email.trim() === '' && answers.phone.trim() === '') {
    problems.push({ field: 'contact', message: 'report.contact.required' });
  }
  return problems;
}

/** The request the answers make, without checking it. Unanswered questions get neutral stand-ins, so
 * that one step can be checked by the contract before the later ones are answered. */
function draftRequest(answers: Answers, files: readonly FileHashes[]): ReportRequest {
  const items: ReportItem[] = fileItems(files);
  for (const url of new Set(answers.urls)) items.push({ kind: 'url', url });

  const situations = reportSituations(answers);
  const body: ReportRequest = {
    situations: situations.length > 0 ? situations : ['sextortion'],
    ageGroup: answers.ageGroup ?? 'adult',
    madeWhenMinor: madeWhenMinor(answers),
    country: answers.country ?? 'other',
    immediateDanger: answers.immediateDanger ?? false,
    items,
    consents: { shareWithPartners: answers.shareWithPartners, contactMe: answers.contactMe },
  };
  const postalCode = answers.postalCode.trim();
  if (postalCode !== '') body.postalCode = postalCode;
  const summary = answers.summary.trim();
  if (summary !== '') body.summary = summary;
  // Contact details go only with the consent to be contacted: nothing kept "just in case".
  if (answers.contactMe) {
    const email = answers.email.trim();
    const phone = answers.phone.trim();
    if (email !== '' || phone !== '') {
      body.contact = {};
      if (email !== '') body.contact.email = email;
      if (phone !== '') body.contact.phone = phone;
    }
  }
  return body;
}

function problemForIssue(path: readonly PropertyKey[], answers: Answers): Problem {
  const [head, second, third] = path;
  switch (head) {
    case 'situations':
      return { field: 'situations', message: 'report.situations.required' };
    case 'postalCode':
      return { field: 'postalCode', message: `report.postalCode.invalid.${answers.country ?? 'other'}` };
    case 'summary':
      return { field: 'summary', message: 'report.summary.tooLong', params: { max: MAX_SUMMARY_CHARS } };
    case 'contact':
      if (second === 'email') return { field: 'email', message: 'report.email.invalid' };
      if (second === 'phone') return { field: 'phone', message: 'report.phone.invalid' };
      return { field: 'contact', message: 'report.contact.required' };
    case 'items':
      if (second === undefined) return { field: 'images', message: 'report.images.limit', params: { max: MAX_REPORT_ITEMS } };
      return third === 'url' ? { field: 'urls', message: 'report.links.invalid' } : { field: 'images', message: 'error.validation' };
    default:
      return { field: 'form', message: 'error.validation' };
  }
}

function contractProblems(body: ReportRequest, answers: Answers): Problem[] {
  const parsed = ReportRequest.safeParse(body);
  if (parsed.success) return [];
  const problems: Problem[] = [];
  for (const issue of parsed.error.issues) {
    const problem = problemForIssue(issue.path, answers);
    if (!problems.some((p) => p.field === problem.field)) problems.push(problem);
  }
  return problems;
}

/** What stops the person from leaving `step`, in the order of the fields on screen. */
export function stepProblems(step: Step, answers: Answers, files: readonly FileHashes[] = []): Problem[] {
  const fields = STEP_FIELDS[step];
  const all = [...missing(answers), ...contractProblems(draftRequest(answers, files), answers)];
  return all.filter((problem) => fields.includes(problem.field));
}

export type BuildResult = { readonly ok: true; readonly body: ReportRequest } | { readonly ok: false; readonly problems: readonly Problem[] };

/** The body of `POST /api/reports`, or every problem still in the way. */
export function buildReportRequest(answers: Answers, files: readonly FileHashes[]): BuildResult {
  const body = draftRequest(answers, files);
  const problems = [...missing(answers), ...contractProblems(body, answers)];
  const unique = problems.filter((problem, index) => problems.findIndex((p) => p.field === problem.field) === index);
  return unique.length > 0 ? { ok: false, problems: unique } : { ok: true, body };
}

/** Pictures, videos and links a report may hold (the contract's bound). */
export const MAX_ITEMS = MAX_REPORT_ITEMS;

/** The step to go back to for a problem found at sending time. */
export function stepOf(field: Field): Step {
  return STEPS.find((step) => STEP_FIELDS[step].includes(field)) ?? 'review';
}
