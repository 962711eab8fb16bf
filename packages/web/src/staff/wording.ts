// How the staff area words the contract's codes: statuses, badges, situations, countries, roles,
// reviews, templates, timeline kinds and their data, actors, the hash bank's signal types, provenances,
// partner feedback and quarantine reasons. Records over the contract's enums, so a new value is a
// compile error until worded; values that arrive as open strings (an event's kind and data, situations
// of a row) fall back to the code itself rather than to nothing.
import {
  SITUATIONS,
  type AgeGroup,
  type AnswerTemplate,
  type CaseBadge,
  type CaseEventKind,
  type CaseStatus,
  type Country,
  type FeedbackOutcome,
  type ItemReview,
  type Language,
  type Provenance,
  type QUARANTINE_REASONS,
  type QuarantineDecision,
  type SignalType,
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

/** Every kind of the case's timeline (the person's and the staff's: contract CASE_EVENT_KINDS). */
export const TIMELINE_WORDS: Readonly<Record<CaseEventKind, StaffMessageKey>> = {
  report_received: 'timeline.kind.report_received',
  items_added: 'timeline.kind.items_added',
  message_from_person: 'timeline.kind.message_from_person',
  message_from_team: 'timeline.kind.message_from_team',
  withdrawn: 'timeline.kind.withdrawn',
  reupload_blocked: 'timeline.kind.reupload_blocked',
  claimed: 'timeline.kind.claimed',
  assigned: 'timeline.kind.assigned',
  status_changed: 'timeline.kind.status_changed',
  qualified: 'timeline.kind.qualified',
  note_added: 'timeline.kind.note_added',
  item_reviewed: 'timeline.kind.item_reviewed',
  deadline_set: 'timeline.kind.deadline_set',
  partner_feedback: 'timeline.kind.partner_feedback',
  hash_quarantined: 'timeline.kind.hash_quarantined',
  hash_restored: 'timeline.kind.hash_restored',
  takedown_progress: 'timeline.kind.takedown_progress',
  notice_created: 'timeline.kind.notice_created',
  notice_sent: 'timeline.kind.notice_sent',
  notice_outcome: 'timeline.kind.notice_outcome',
  takedown_moved: 'timeline.kind.takedown_moved',
  takedown_escalated: 'timeline.kind.takedown_escalated',
  host_reply_added: 'timeline.kind.host_reply_added',
  link_checked: 'timeline.kind.link_checked',
};

export const SIGNAL_TYPE_WORDS: Readonly<Record<SignalType, StaffMessageKey>> = { pdq: 'signal.pdq', vpdq: 'signal.vpdq', md5: 'signal.md5', sha256: 'signal.sha256' };
export const PROVENANCE_WORDS: Readonly<Record<Provenance, StaffMessageKey>> = {
  analyst_verified: 'provenance.analyst_verified',
  self_submitted: 'provenance.self_submitted',
};
export const FEEDBACK_WORDS: Readonly<Record<FeedbackOutcome, StaffMessageKey>> = {
  blocked: 'feedback.blocked',
  removed: 'feedback.removed',
  not_blocked: 'feedback.not_blocked',
  false_positive: 'feedback.false_positive',
};
export const QUARANTINE_REASON_WORDS: Readonly<Record<(typeof QUARANTINE_REASONS)[number], StaffMessageKey>> = {
  false_positive: 'quarantine.reason.false_positive',
  abnormal_matches: 'quarantine.reason.abnormal_matches',
  abnormal_feedback: 'quarantine.reason.abnormal_feedback',
};
export const DECISION_WORDS: Readonly<Record<QuarantineDecision['decision'], StaffMessageKey>> = {
  restore: 'quarantine.decision.restore',
  reject: 'quarantine.decision.reject',
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

/** A code in words from `words`, or the code itself when it is not one of them (an own key only: "toString" is not a code). */
function wordOf(tr: StaffTranslate, words: Readonly<Record<string, StaffMessageKey>>, code: string): string {
  return Object.hasOwn(words, code) ? tr(words[code] as StaffMessageKey) : code;
}

export function timelineText(tr: StaffTranslate, kind: string): string {
  return wordOf(tr, TIMELINE_WORDS, kind);
}

export const signalTypeText = (tr: StaffTranslate, type: string): string => wordOf(tr, SIGNAL_TYPE_WORDS, type);
export const provenanceText = (tr: StaffTranslate, provenance: string): string => wordOf(tr, PROVENANCE_WORDS, provenance);
export const feedbackText = (tr: StaffTranslate, outcome: string): string => wordOf(tr, FEEDBACK_WORDS, outcome);
export const reasonText = (tr: StaffTranslate, reason: string): string => wordOf(tr, QUARANTINE_REASON_WORDS, reason);
export const decisionText = (tr: StaffTranslate, decision: string): string => wordOf(tr, DECISION_WORDS, decision);

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * An event's data in words, for the kinds of the hash bank (what a partner did, why a fingerprint was
 * suspended, what an analyst decided), as parts separated by " · "; null for any other kind, or for
 * data that is not what the kind carries (shown as key=value then: nothing recorded is hidden).
 */
export function eventDataWords(tr: StaffTranslate, kind: string, data: Readonly<Record<string, unknown>>): string | null {
  const hash = isId(data['hash']) ? tr('event.hash', { id: data['hash'] }) : null;
  const text = (value: unknown): value is string => typeof value === 'string' && value !== '';
  const parts = ((): string[] | null => {
    switch (kind) {
      case 'reupload_blocked':
      case 'partner_feedback': {
        if (!text(data['outcome']) || !isCount(data['count'])) return null;
        const partner = text(data['partner']) ? tr('event.partner', { partner: data['partner'] }) : tr('event.partner.unnamed');
        return [feedbackText(tr, data['outcome']), partner, tr('event.count', { count: data['count'] }), ...(hash === null ? [] : [hash])];
      }
      case 'hash_quarantined':
        return hash === null || !text(data['reason']) ? null : [hash, tr('event.reason', { reason: reasonText(tr, data['reason']) })];
      case 'hash_restored':
      case 'item_reviewed':
        // item_reviewed carries {hash, decision} when an analyst rejected a fingerprint from the quarantine
        return hash === null || !text(data['decision']) ? null : [hash, tr('event.decision', { decision: decisionText(tr, data['decision']) })];
      default:
        return null;
    }
  })();
  return parts === null ? null : parts.join(' · ');
}

