// Staff case work (issue 5): the case workflow as an explicit state machine, the queue's priority
// formula and response targets, and the schemas of /api/staff/cases/*. Pure: the server stores what
// these decide, the staff web app shows it, both import it from here.
import { z } from 'zod';

import { CASE_STATUSES, CaseStatus, Country, Language, Situation } from './domain.js';
import { TIMELINE_KINDS } from './followup.js';

// --- the workflow -------------------------------------------------------------------------------

/** The statuses of a case someone still has to work on: the default queue. */
export const OPEN_STATUSES = ['new', 'triaged', 'in_progress', 'waiting'] as const satisfies readonly CaseStatus[];

/**
 * Who moves a case: staff through the workflow; the person to `withdrawn`, and back from `closed` to
 * `in_progress` by writing to the team (a closed case's follow-up says they still can: their message
 * must reach the queue).
 */
export type TransitionActor = 'staff' | 'person';

/** Every move staff may make, and the permission it needs (reopening a closed case is a supervisor's). */
export const STAFF_TRANSITIONS: Readonly<Record<CaseStatus, Readonly<Partial<Record<CaseStatus, 'cases.work' | 'cases.reopen'>>>>> = {
  new: { triaged: 'cases.work', in_progress: 'cases.work', closed: 'cases.work' },
  triaged: { in_progress: 'cases.work', waiting: 'cases.work', closed: 'cases.work' },
  in_progress: { waiting: 'cases.work', closed: 'cases.work' },
  waiting: { in_progress: 'cases.work', closed: 'cases.work' },
  closed: { in_progress: 'cases.reopen' },
  withdrawn: {},
};

export type TransitionRefusal =
  /** the case is already there */
  | 'same_status'
  /** withdrawn is final */
  | 'terminal'
  /** not a move of the workflow (e.g. closed → new, or staff withdrawing) */
  | 'not_allowed';

export type TransitionDecision =
  | { readonly allowed: true; /** the permission the move needs (staff moves) */ readonly permission: 'cases.work' | 'cases.reopen' | null }
  | { readonly allowed: false; readonly reason: TransitionRefusal };

/** Whether `actor` may move a case from `from` to `to`. */
export function decideTransition(from: CaseStatus, to: CaseStatus, actor: TransitionActor): TransitionDecision {
  if (from === 'withdrawn') return { allowed: false, reason: 'terminal' };
  if (from === to) return { allowed: false, reason: 'same_status' };
  if (actor === 'person') return to === 'withdrawn' || (from === 'closed' && to === 'in_progress') ? { allowed: true, permission: null } : { allowed: false, reason: 'not_allowed' };
  const permission = STAFF_TRANSITIONS[from][to];
  return permission === undefined ? { allowed: false, reason: 'not_allowed' } : { allowed: true, permission };
}

/** The statuses staff may move a case to from `from` (the case view's buttons). */
export function staffMovesFrom(from: CaseStatus): CaseStatus[] {
  return CASE_STATUSES.filter((to) => decideTransition(from, to, 'staff').allowed);
}

// --- priority -----------------------------------------------------------------------------------

/**
 * The queue's order. A case's priority is how long the person has, in effect, been waiting for Halte:
 *
 *   waiting since =  created_at                       while nobody has answered yet
 *                    person_waiting_since             after an answer, when the person wrote since
 *                    last_answered_at + 7 days        after an answer, with nothing pending (revisit)
 *   urgency_at    =  min( waiting since − boosts,  deadline_at − 96 h )
 *   boosts        =  72 h if in immediate danger + 24 h if a minor is involved + 12 h if sextortion
 *   priority      =  now − urgency_at, in hours (higher first); the queue sorts by urgency_at ascending
 *
 * So a person in immediate danger who wrote a minute ago comes before an adult's harassment report of
 * yesterday; a minor's case ranks as if it had waited a day longer; a sextortion deadline 24 h away
 * ranks with an immediate danger, and one that has passed above it. Because every term is a fixed
 * instant, the order never needs recomputing as time passes: `urgency_at` is stored (computed by a
 * trigger from the case's columns, see the migration) and indexed. Closed and withdrawn cases keep a
 * value but are not in the default queue.
 */
export const PRIORITY = {
  immediateDangerHours: 72,
  minorHours: 24,
  sextortionHours: 12,
  /** a sextortion deadline ranks the case as if it had been waiting since this long before it */
  deadlineLeadHours: 96,
  /** an answered case with nothing pending comes back to the queue this long after the last answer */
  revisitDays: 7,
} as const;

export interface PriorityFacts {
  readonly createdAt: Date;
  readonly immediateDanger: boolean;
  readonly involvesMinor: boolean;
  readonly sextortion: boolean;
  readonly deadlineAt: Date | null;
  /** the last team answer's time, null while none */
  readonly lastAnsweredAt: Date | null;
  /** the oldest message from the person not answered yet */
  readonly personWaitingSince: Date | null;
}

const HOUR = 3_600_000;

/** The instant the queue sorts by (ascending): the formula above. */
export function urgencyAt(f: PriorityFacts): Date {
  const boost = ((f.immediateDanger ? PRIORITY.immediateDangerHours : 0) + (f.involvesMinor ? PRIORITY.minorHours : 0) + (f.sextortion ? PRIORITY.sextortionHours : 0)) * HOUR;
  const since =
    f.lastAnsweredAt === null
      ? f.createdAt.getTime()
      : f.personWaitingSince !== null
        ? f.personWaitingSince.getTime()
        : f.lastAnsweredAt.getTime() + PRIORITY.revisitDays * 24 * HOUR;
  let at = since - boost;
  if (f.deadlineAt !== null) at = Math.min(at, f.deadlineAt.getTime() - PRIORITY.deadlineLeadHours * HOUR);
  return new Date(at);
}

/** The priority shown: hours of effective waiting, one decimal (negative: not due yet). */
export function priorityHours(urgency: Date, now: Date): number {
  return Math.round(((now.getTime() - urgency.getTime()) / HOUR) * 10) / 10;
}

// --- response targets ---------------------------------------------------------------------------

/** What the team promises; a case past one shows a badge in the queue. */
export const RESPONSE_TARGETS = {
  /** a first answer to every report */
  firstAnswerHours: 24,
  /** a report in immediate danger looked at (moved out of `new`) */
  dangerTriageHours: 1,
  /** a message from the person answered */
  personWaitingHours: 48,
  /** a sextortion deadline this close (or passed) */
  deadlineWarningHours: 24,
} as const;

export const CASE_BADGES = ['danger_not_triaged', 'first_answer_overdue', 'person_waiting', 'deadline_near'] as const;
export const CaseBadge = z.enum(CASE_BADGES);
export type CaseBadge = z.infer<typeof CaseBadge>;

export interface BadgeFacts {
  readonly status: CaseStatus;
  readonly createdAt: Date;
  readonly immediateDanger: boolean;
  readonly firstAnsweredAt: Date | null;
  readonly personWaitingSince: Date | null;
  readonly deadlineAt: Date | null;
}

/** The response targets a case has missed (or, for a deadline, is about to), most serious first. */
export function caseBadges(f: BadgeFacts, now: Date): CaseBadge[] {
  if (f.status === 'closed' || f.status === 'withdrawn') return [];
  const t = now.getTime();
  const badges: CaseBadge[] = [];
  if (f.immediateDanger && f.status === 'new' && t - f.createdAt.getTime() > RESPONSE_TARGETS.dangerTriageHours * HOUR) badges.push('danger_not_triaged');
  if (f.firstAnsweredAt === null && t - f.createdAt.getTime() > RESPONSE_TARGETS.firstAnswerHours * HOUR) badges.push('first_answer_overdue');
  if (f.personWaitingSince !== null && t - f.personWaitingSince.getTime() > RESPONSE_TARGETS.personWaitingHours * HOUR) badges.push('person_waiting');
  if (f.deadlineAt !== null && f.deadlineAt.getTime() - t < RESPONSE_TARGETS.deadlineWarningHours * HOUR) badges.push('deadline_near');
  return badges;
}

// --- schemas of /api/staff/cases ----------------------------------------------------------------

const Id = (what: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,14}$/, `must be ${what}`)
    .transform(Number);

export const CaseParams = z.strictObject({ id: Id('a case number') });
export const CaseItemParams = z.strictObject({ id: Id('a case number'), itemId: Id('an item number') });

export const MAX_QUEUE_PAGE = 100;
export const DEFAULT_QUEUE_PAGE = 50;

/** GET /api/staff/cases: the queue, most urgent first. */
export const QueueQuery = z.strictObject({
  /** comma-separated; default: the open statuses */
  status: z
    .string()
    .max(100)
    .transform((v) => v.split(',').filter((s) => s !== ''))
    .pipe(z.array(CaseStatus).min(1).max(CASE_STATUSES.length))
    .optional(),
  situation: Situation.optional(),
  country: Country.optional(),
  /** me, none (unassigned), or an account number */
  assignee: z.union([z.enum(['me', 'none']), Id('an account number')]).optional(),
  /** a case reference (HLT-…): the one case, whatever the other filters */
  reference: z.string().trim().min(1).max(40).optional(),
  limit: z
    .string()
    .regex(/^[1-9]\d{0,2}$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n <= MAX_QUEUE_PAGE, `at most ${MAX_QUEUE_PAGE}`)
    .optional(),
  /** the previous page's nextCursor */
  cursor: z.string().regex(/^\d{1,16}\.\d{1,16}$/, 'not a cursor').optional(),
});
export type QueueQuery = z.output<typeof QueueQuery>;

export const StaffRef = z.object({ id: z.number(), email: z.string() });

export const ItemCounts = z.object({ images: z.number(), videos: z.number(), urls: z.number() });

export const QueueCase = z.object({
  id: z.number(),
  reference: z.string(),
  status: CaseStatus,
  situations: z.array(Situation),
  ageGroup: z.enum(['minor', 'adult']),
  involvesMinor: z.boolean(),
  country: Country,
  immediateDanger: z.boolean(),
  createdAt: z.string(),
  assignee: StaffRef.nullable(),
  /** hours of effective waiting (see PRIORITY) */
  priority: z.number(),
  urgencyAt: z.string(),
  badges: z.array(CaseBadge),
  /** messages from the person since the last answer */
  unansweredMessages: z.number(),
  deadlineAt: z.string().nullable(),
  items: ItemCounts,
});
export type QueueCase = z.infer<typeof QueueCase>;

export const QueuePage = z.object({ cases: z.array(QueueCase), nextCursor: z.string().nullable() });
export type QueuePage = z.infer<typeof QueuePage>;

/** Hash review: a fingerprint is self-submitted until an analyst confirms it or rejects it (never shared). */
export const ITEM_REVIEWS = ['self_submitted', 'analyst_verified', 'rejected'] as const;
export const ItemReview = z.enum(ITEM_REVIEWS);
export type ItemReview = z.infer<typeof ItemReview>;

export const CaseItem = z.object({
  id: z.number(),
  kind: z.enum(['image', 'video', 'url']),
  pdq: z.string().nullable(),
  quality: z.number().nullable(),
  lowQuality: z.boolean(),
  md5: z.string().nullable(),
  sha256: z.string().nullable(),
  /** video: the number of frame hashes, and their lowest quality */
  frames: z.number().nullable(),
  minFrameQuality: z.number().nullable(),
  url: z.string().nullable(),
  host: z.string().nullable(),
  review: ItemReview,
  reviewedAt: z.string().nullable(),
  reviewedBy: StaffRef.nullable(),
  withdrawn: z.boolean(),
  addedAt: z.string(),
});
export type CaseItem = z.infer<typeof CaseItem>;

/** One offence of the legal data (shared/legal/offences.json), for the qualification. */
export const Offence = z.object({
  id: z.string(),
  country: z.enum(['FR', 'BE']),
  code: z.string(),
  article: z.string(),
  titleFr: z.string(),
  titleEn: z.string(),
  descriptionFr: z.string(),
  descriptionEn: z.string(),
  situations: z.array(z.string()),
  victimAge: z.string(),
  maxPenaltyFr: z.string().nullable(),
  maxPenaltyEn: z.string().nullable(),
  /** false: an important element (article number, penalty) is not verified: say so wherever it shows */
  confirmed: z.boolean(),
  source: z.string(),
  /** its situations and victim age fit the case */
  suggested: z.boolean(),
});
export type Offence = z.infer<typeof Offence>;

/**
 * What a case's timeline records: the person's kinds (followup.ts, visible to them) and the staff's
 * (never visible to the person). A new kind is added here, and worded by the staff area.
 */
export const CASE_EVENT_KINDS = [
  ...TIMELINE_KINDS,
  'claimed',
  'assigned',
  'status_changed',
  'qualified',
  'note_added',
  'item_reviewed',
  'deadline_set',
  // the hash bank (issue 6): what partners reported that the person does not see, and the quarantine
  'partner_feedback',
  'hash_quarantined',
  'hash_restored',
  // takedown notices (issue 7)
  'notice_created',
  'notice_sent',
  'notice_outcome',
  'takedown_moved',
  'takedown_escalated',
  'host_reply_added',
  'link_checked',
] as const;
export const CaseEventKind = z.enum(CASE_EVENT_KINDS);
export type CaseEventKind = z.infer<typeof CaseEventKind>;

export const TimelineEntry = z.object({
  id: z.number(),
  kind: CaseEventKind,
  at: z.string(),
  actor: z.object({ kind: z.enum(['person', 'system', 'staff']), id: z.number().nullable() }),
  visibleToPerson: z.boolean(),
  data: z.record(z.string(), z.unknown()),
});

export const CaseNote = z.object({ id: z.number(), author: StaffRef.nullable(), body: z.string(), at: z.string() });

export const CaseMessage = z.object({ id: z.number(), author: z.enum(['person', 'staff']), staff: StaffRef.nullable(), body: z.string(), at: z.string() });

/** GET /api/staff/cases/:id — each read decrypts the summary, contact and messages, and is audited. */
export const CaseDetail = z.object({
  id: z.number(),
  reference: z.string(),
  status: CaseStatus,
  situations: z.array(Situation),
  ageGroup: z.enum(['minor', 'adult']),
  madeWhenMinor: z.boolean(),
  involvesMinor: z.boolean(),
  country: Country,
  postalCode: z.string().nullable(),
  immediateDanger: z.boolean(),
  language: Language,
  summary: z.string().nullable(),
  contact: z.object({ email: z.string().optional(), phone: z.string().optional() }).nullable(),
  consents: z.object({ shareWithPartners: z.boolean(), contactMe: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  deadlineAt: z.string().nullable(),
  firstAnsweredAt: z.string().nullable(),
  assignee: StaffRef.nullable(),
  priority: z.number(),
  badges: z.array(CaseBadge),
  items: z.array(CaseItem),
  timeline: z.array(TimelineEntry),
  messages: z.array(CaseMessage),
  notes: z.array(CaseNote),
  /** the offences an analyst retained (ids of `offences`) */
  qualification: z.object({ offenceIds: z.array(z.string()), at: z.string().nullable(), by: StaffRef.nullable() }),
  /** the offences of the case's country (none for `other`), suggested ones first */
  offences: z.array(Offence),
  /** the statuses this account may move the case to now */
  moves: z.array(CaseStatus),
  /** what this account may do to the case now */
  may: z.object({ claim: z.boolean(), work: z.boolean(), reassign: z.boolean() }),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

/** POST /api/staff/cases/:id/assign (supervisors): to an account, or back to the queue (null). */
export const AssignRequest = z.strictObject({ staffId: z.number().int().positive().nullable() });

/** POST /api/staff/cases/:id/status */
export const StatusRequest = z.strictObject({ to: CaseStatus });

export const MAX_OFFENCES_PER_CASE = 20;
/** PUT /api/staff/cases/:id/qualification: the whole list (empty clears it). */
export const QualificationRequest = z.strictObject({
  offenceIds: z
    .array(z.string().regex(/^[a-z]{2}-[a-z0-9-]{1,80}$/, 'not an offence id'))
    .max(MAX_OFFENCES_PER_CASE)
    .refine((ids) => new Set(ids).size === ids.length, 'each offence at most once'),
});

export const MAX_NOTE_CHARS = 4000;
/** POST /api/staff/cases/:id/notes: internal, never shown to the person. */
export const NoteRequest = z.strictObject({ body: z.string().trim().min(1).max(MAX_NOTE_CHARS) });
/** 201 to POST …/notes */
export const NoteAdded = z.object({ id: z.number() });

/** POST /api/staff/cases/:id/items/:itemId/review */
export const ReviewRequest = z.strictObject({ review: z.enum(['analyst_verified', 'rejected']) });

/** PUT /api/staff/cases/:id/deadline: the deadline a blackmailer gave (ISO 8601 with offset), or null. */
export const DeadlineRequest = z.strictObject({ deadlineAt: z.iso.datetime({ offset: true }).nullable() });

/** The answer templates; each has a French and an English text. */
export const ANSWER_TEMPLATES = ['first_answer', 'update', 'closing'] as const;
export const AnswerTemplate = z.enum(ANSWER_TEMPLATES);
export type AnswerTemplate = z.infer<typeof AnswerTemplate>;

/** GET /api/staff/cases/:id/answer-draft?template=&language= */
export const DraftQuery = z.strictObject({ template: AnswerTemplate, language: Language.optional() });
export const AnswerDraft = z.object({ template: AnswerTemplate, language: Language, body: z.string() });
export type AnswerDraft = z.infer<typeof AnswerDraft>;

export const MAX_ANSWER_CHARS = 8000;
/** POST /api/staff/cases/:id/answer: what the analyst wrote (edited from a draft), sent to the person. */
export const AnswerRequest = z.strictObject({ body: z.string().trim().min(1).max(MAX_ANSWER_CHARS) });
export const AnswerSent = z.object({ messageId: z.number(), emailQueued: z.boolean() });
export type AnswerSent = z.infer<typeof AnswerSent>;

/** GET /api/staff/assignees (supervisors): active accounts a case can be given to. */
export const AssigneeList = z.object({ accounts: z.array(z.object({ id: z.number(), email: z.string(), role: z.enum(['analyst', 'supervisor', 'admin']), childSafety: z.boolean() })) });
export type AssigneeList = z.infer<typeof AssigneeList>;

/** GET/PUT /api/staff/settings (admins). */
export const Settings = z.strictObject({
  /**
   * Whether fingerprints not yet reviewed by an analyst are shared with partners (marked
   * self_submitted, as StopNCII does; the partner decides). Rejected ones never are.
   */
  shareSelfSubmittedBeforeReview: z.boolean(),
  /** takedown notices (issue 7): a reminder to the host this long after the notice left, without an answer */
  noticeReminderHours: z.number().int().min(1).max(24 * 30),
  /** … and the link is escalated (state no_answer) this long after it left without a decision */
  noticeEscalationHours: z.number().int().min(1).max(24 * 60),
  /** the same two, where the content involves a minor */
  noticeMinorReminderHours: z.number().int().min(1).max(24 * 30),
  noticeMinorEscalationHours: z.number().int().min(1).max(24 * 60),
  /** who signs notices (art. 16(2)(c)): the organisation running Halte, and the address hosts answer to */
  noticeNotifierName: z.string().trim().min(1).max(120),
  noticeNotifierEmail: z.string().trim().max(254).pipe(z.email()).nullable(),
});
export type Settings = z.infer<typeof Settings>;

/** GET /api/staff/statistics (supervisors). Counts only. */
export const Statistics = z.object({
  byStatus: z.record(z.string(), z.number()),
  openInvolvingMinor: z.number(),
  unassignedOpen: z.number(),
  overdue: z.record(CaseBadge, z.number()),
  /** over the last 30 days */
  firstAnswerHoursMedian: z.number().nullable(),
});
export type Statistics = z.infer<typeof Statistics>;
