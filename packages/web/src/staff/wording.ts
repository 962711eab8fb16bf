// How the staff area words the contract's codes: statuses, badges, situations, countries, roles,
// reviews, templates, timeline kinds, actors. Records over the contract's enums, so a new value is a
// compile error until worded; values the contract leaves open (timeline kinds, situations of a row) fall
// back to the code itself rather than to nothing.
import {
  SITUATIONS,
  type AgeGroup,
  type AnswerTemplate,
  type CaseBadge,
  type CaseStatus,
  type Country,
  type ItemReview,
  type Language,
  type Situation,
  type StaffRole,
} from '@halte/contract';

import type { StaffMessageKey, StaffTranslate } from './i18n/catalogue';

export const STATUS_WORDS: Readonly<Record<CaseStatus, StaffMessageKey>> = {
  new: 'status.new',
  triaged: 'status.triaged',
  in_progress: 'status.in_progress',
  waiting: 'status.waiting',
  closed: 'status.closed',
  withdrawn: 'status.withdrawn',
};

export const BADGE_WORDS: Readonly<Record<CaseBadge, StaffMessageKey>> = {
  danger_not_triaged: 'badge.danger_not_triaged',
  first_answer_overdue: 'badge.first_answer_overdue',
  person_waiting: 'badge.person_waiting',
  deadline_near: 'badge.deadline_near',
};

export const SITUATION_WORDS: Readonly<Record<Situation, StaffMessageKey>> = {
  immediate_danger: 'situation.immediate_danger',
  sextortion: 'situation.sextortion',
  ncii_diffusion: 'situation.ncii_diffusion',
  cyberharassment: 'situation.cyberharassment',
  grooming: 'situation.grooming',
  romance_scam: 'situation.romance_scam',
  bank_fraud: 'situation.bank_fraud',
  illegal_content: 'situation.illegal_content',
  unwanted_calls: 'situation.unwanted_calls',
  domestic_violence: 'situation.domestic_violence',
  deaf_or_cannot_speak: 'situation.deaf_or_cannot_speak',
  child_sexual_abuse: 'situation.child_sexual_abuse',
  child_protection: 'situation.child_protection',
  sexual_violence: 'situation.sexual_violence',
  suicidal_crisis: 'situation.suicidal_crisis',
  phishing: 'situation.phishing',
};

export const COUNTRY_WORDS: Readonly<Record<Country, StaffMessageKey>> = { FR: 'country.FR', BE: 'country.BE', other: 'country.other' };
export const AGE_WORDS: Readonly<Record<AgeGroup, StaffMessageKey>> = { minor: 'ageGroup.minor', adult: 'ageGroup.adult' };
export const LANGUAGE_WORDS: Readonly<Record<Language, StaffMessageKey>> = { fr: 'language.fr', en: 'language.en' };
export const ROLE_WORDS: Readonly<Record<StaffRole, StaffMessageKey>> = { analyst: 'role.analyst', supervisor: 'role.supervisor', admin: 'role.admin' };
export const REVIEW_WORDS: Readonly<Record<ItemReview, StaffMessageKey>> = {
  self_submitted: 'review.self_submitted',
  analyst_verified: 'review.analyst_verified',
  rejected: 'review.rejected',
};
export const TEMPLATE_WORDS: Readonly<Record<AnswerTemplate, StaffMessageKey>> = {
  first_answer: 'template.first_answer',
  update: 'template.update',
  closing: 'template.closing',
};
export const ACCOUNT_STATE_WORDS: Readonly<Record<'pending' | 'active' | 'disabled', StaffMessageKey>> = {
  pending: 'accountState.pending',
  active: 'accountState.active',
  disabled: 'accountState.disabled',
};

/** The timeline kinds the server writes today (CaseDetail.timeline[].kind is an open string in the contract). */
export const TIMELINE_WORDS: Readonly<Record<string, StaffMessageKey>> = {
  report_received: 'timeline.kind.report_received',
  items_added: 'timeline.kind.items_added',
  message_from_person: 'timeline.kind.message_from_person',
  message_from_team: 'timeline.kind.message_from_team',
  withdrawn: 'timeline.kind.withdrawn',
  claimed: 'timeline.kind.claimed',
  assigned: 'timeline.kind.assigned',
  status_changed: 'timeline.kind.status_changed',
  qualified: 'timeline.kind.qualified',
  note_added: 'timeline.kind.note_added',
  item_reviewed: 'timeline.kind.item_reviewed',
  deadline_set: 'timeline.kind.deadline_set',
};

const isSituation = (value: string): value is Situation => (SITUATIONS as readonly string[]).includes(value);
const isCountry = (value: string): value is Country => value === 'FR' || value === 'BE' || value === 'other';

/** A situation in words; an unknown code is shown as it is. */
export function situationText(tr: StaffTranslate, situation: string): string {
  return isSituation(situation) ? tr(SITUATION_WORDS[situation]) : situation;
}

export function countryText(tr: StaffTranslate, country: string): string {
  return isCountry(country) ? tr(COUNTRY_WORDS[country]) : country;
}

export function timelineText(tr: StaffTranslate, kind: string): string {
  const key = Object.hasOwn(TIMELINE_WORDS, kind) ? TIMELINE_WORDS[kind] : undefined;
  return key === undefined ? kind : tr(key);
}
