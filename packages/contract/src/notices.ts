// Takedown notices (issue 7): the host directory, the notices Halte sends about reported links, and the
// state of each link until it is removed. Every link is tracked on its own, even when one notice names
// several links of the same host.
import { z } from 'zod';

import { Language } from './domain.js';

// --- the state of one reported link -----------------------------------------------------------------

export const TAKEDOWN_STATES = [
  /** reported by the person; no notice has left yet */
  'reported',
  /** a notice reached the host (e-mail accepted by the SMTP server, or submitted through its form) */
  'notice_sent',
  /** the host acknowledged the notice */
  'acknowledged',
  /** the content is gone (an analyst confirmed it) */
  'removed',
  /** the host refused to remove it */
  'refused',
  /** the escalation deadline passed without a decision from the host */
  'no_answer',
  /** handed to an authority or a trusted flagger */
  'escalated',
] as const;
export const TakedownState = z.enum(TAKEDOWN_STATES);
export type TakedownState = z.infer<typeof TakedownState>;

/**
 * The moves an analyst makes by hand (sending a notice moves `reported` → `notice_sent`; the deadline
 * moves `notice_sent`/`acknowledged` → `no_answer`; escalating moves to `escalated`). `removed` can be
 * undone only to `reported`: the content came back.
 */
export const TAKEDOWN_MOVES: Readonly<Record<TakedownState, readonly TakedownState[]>> = {
  reported: ['removed'],
  notice_sent: ['acknowledged', 'removed', 'refused'],
  acknowledged: ['removed', 'refused'],
  refused: ['removed'],
  no_answer: ['acknowledged', 'removed', 'refused'],
  escalated: ['acknowledged', 'removed', 'refused'],
  removed: ['reported'],
};

/** The states after which an escalation makes sense. */
export const ESCALABLE_STATES = ['notice_sent', 'acknowledged', 'refused', 'no_answer', 'escalated'] as const satisfies readonly TakedownState[];

export function mayMoveTakedown(from: TakedownState, to: TakedownState): boolean {
  return TAKEDOWN_MOVES[from].includes(to);
}

// --- the host directory -------------------------------------------------------------------------

export const HOST_CHANNEL_KINDS = [
  /** the host's DSA notice form (art. 16(1)): the analyst pastes the text and submits it */
  'dsa_form',
  /** an abuse or legal e-mail address: Halte sends the notice */
  'email',
  /** a channel reserved to trusted flaggers (art. 22): through a flagger Halte works with */
  'trusted_flagger',
] as const;
export const HostChannelKind = z.enum(HOST_CHANNEL_KINDS);
export type HostChannelKind = z.infer<typeof HostChannelKind>;

export const HostChannel = z.strictObject({
  kind: HostChannelKind,
  /** an https URL (forms) or an e-mail address */
  target: z.string().trim().min(3).max(500),
  note: z.string().trim().max(300).optional(),
});
export type HostChannel = z.infer<typeof HostChannel>;

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'a host name such as example.com');

export const HostId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');

/** An entry of the directory, as admins edit it (PUT /api/staff/hosts/:id). */
export const HostEntryInput = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    domains: z.array(Domain).min(1).max(50),
    channels: z.array(HostChannel).min(1).max(6),
    /** ISO 3166 alpha-2 of the EU establishment or legal representative; null when not known */
    country: z.string().regex(/^[A-Z]{2}$/).nullable(),
    /** the Digital Services Coordinator competent for it */
    regulator: z.string().trim().max(120).nullable(),
    adult: z.boolean(),
    /** where the contact came from */
    source: z.string().trim().min(1).max(500),
    checkedAt: z.iso.date(),
    confidence: z.enum(['confirmed', 'unconfirmed']),
    /** false: kept for past notices, not offered any more */
    active: z.boolean().default(true),
  })
  .superRefine((entry, ctx) => {
    entry.channels.forEach((c, i) => {
      const ok = c.kind === 'email' ? z.email().safeParse(c.target).success : /^https:\/\/[^\s]+$/.test(c.target);
      if (!ok) ctx.addIssue({ code: 'custom', path: ['channels', i, 'target'], message: c.kind === 'email' ? 'an e-mail address' : 'an https:// address' });
    });
  });
export type HostEntryInput = z.input<typeof HostEntryInput>;

export const HostEntryView = z.object({
  id: z.string(),
  name: z.string(),
  domains: z.array(z.string()),
  channels: z.array(HostChannel),
  country: z.string().nullable(),
  regulator: z.string().nullable(),
  adult: z.boolean(),
  source: z.string(),
  checkedAt: z.string(),
  confidence: z.enum(['confirmed', 'unconfirmed']),
  active: z.boolean(),
  updatedAt: z.string(),
});
export type HostEntryView = z.infer<typeof HostEntryView>;

export const HostDirectory = z.object({ hosts: z.array(HostEntryView) });
export type HostDirectory = z.infer<typeof HostDirectory>;
export const HostParams = z.strictObject({ hostId: HostId });

// --- notices --------------------------------------------------------------------------------------

export const NOTICE_KINDS = ['notice', 'reminder', 'escalation'] as const;
export const NoticeKind = z.enum(NOTICE_KINDS);
export type NoticeKind = z.infer<typeof NoticeKind>;

/** Where a notice goes out: an e-mail Halte sends, or a text the analyst submits through a form. */
export const NOTICE_STATES = [
  /** an e-mail waiting for its job */
  'queued',
  /** the job is handing it to the SMTP server */
  'sending',
  /** the SMTP server accepted it */
  'sent',
  /**
   * the worker stopped (crash) after handing it over and before recording the outcome: it may have
   * left. Never sent again by itself: an analyst checks the notices mailbox (by Message-ID) and says.
   */
  'uncertain',
  /** the SMTP server refused it for good, or no retry is left */
  'failed',
  /** a form channel: ready to paste, waiting for the analyst */
  'to_submit',
  /** the analyst submitted it through the form */
  'submitted',
  /** not sent: the case was withdrawn, or an analyst cancelled it */
  'cancelled',
] as const;
export const NoticeState = z.enum(NOTICE_STATES);
export type NoticeState = z.infer<typeof NoticeState>;

/** Authorities and trusted flaggers a link is escalated to (data: modules/notices/escalation.ts). */
export const ESCALATION_TARGETS = ['pharos', 'e_enfance_3018', 'point_de_contact', 'arcom', 'child_focus', 'ibpt'] as const;
export const EscalationTarget = z.enum(ESCALATION_TARGETS);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const NoticeView = z.object({
  id: z.number(),
  kind: NoticeKind,
  /** null: an escalation (it goes to `escalationTarget`) */
  hostId: z.string().nullable(),
  hostName: z.string().nullable(),
  escalationTarget: EscalationTarget.nullable(),
  channel: HostChannelKind.nullable(),
  /** the address or form it goes to */
  target: z.string(),
  itemIds: z.array(z.number()),
  language: Language,
  state: NoticeState,
  involvesMinor: z.boolean(),
  messageId: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  createdBy: z.number().nullable(),
  /** the rendered text (subject + body), exactly what was or will be sent; null once the case is withdrawn */
  subject: z.string().nullable(),
  text: z.string().nullable(),
});
export type NoticeView = z.infer<typeof NoticeView>;

export const LinkCheck = z.object({
  at: z.string(),
  outcome: z.enum(['serving', 'gone', 'refused', 'unknown']),
  /** HTTP status or a code (TIMEOUT, ADDRESS_REFUSED…) */
  detail: z.string(),
});
export type LinkCheck = z.infer<typeof LinkCheck>;

export const TakedownView = z.object({
  itemId: z.number(),
  url: z.string().nullable(),
  hostname: z.string().nullable(),
  host: z.object({ id: z.string(), name: z.string(), confidence: z.enum(['confirmed', 'unconfirmed']) }).nullable(),
  state: TakedownState,
  stateAt: z.string(),
  noticeSentAt: z.string().nullable(),
  reminderDueAt: z.string().nullable(),
  escalationDueAt: z.string().nullable(),
  remindersSent: z.number(),
  escalatedTo: z.array(EscalationTarget),
  lastCheck: LinkCheck.nullable(),
  /** a check found the link gone: the analyst confirms (moves to removed) or dismisses */
  removalProposedAt: z.string().nullable(),
  moves: z.array(TakedownState),
});
export type TakedownView = z.infer<typeof TakedownView>;

export const HostReplyView = z.object({
  id: z.number(),
  itemIds: z.array(z.number()),
  body: z.string(),
  receivedAt: z.string(),
  addedBy: z.number().nullable(),
  addedAt: z.string(),
});

/** GET /api/staff/cases/:id/takedowns */
export const CaseTakedowns = z.object({
  links: z.array(TakedownView),
  notices: z.array(NoticeView),
  replies: z.array(HostReplyView),
});
export type CaseTakedowns = z.infer<typeof CaseTakedowns>;

const ItemIds = z.array(z.number().int().positive()).min(1).max(200);

/** POST …/notices/preview and …/notices: a notice per host for the chosen links (or one per link). */
export const NoticeRequest = z.strictObject({
  itemIds: ItemIds,
  grouping: z.enum(['per_host', 'per_link']).default('per_host'),
  /** default: the host's country language — FR and BE in French, others in English */
  language: Language.optional(),
  kind: z.enum(['notice', 'reminder']).default('notice'),
  /** use this channel of the host (index in its directory entry); default: e-mail when it has one, else its first */
  channel: z.number().int().min(0).max(5).optional(),
});
export type NoticeRequest = z.input<typeof NoticeRequest>;

export const NoticePreview = z.object({
  hostId: z.string(),
  hostName: z.string(),
  itemIds: z.array(z.number()),
  channel: HostChannelKind,
  target: z.string(),
  language: Language,
  involvesMinor: z.boolean(),
  subject: z.string(),
  text: z.string(),
  /** the child-protection services the links must also go to (content involving a minor) */
  alsoReportTo: z.array(EscalationTarget),
});
export type NoticePreview = z.infer<typeof NoticePreview>;
export const NoticePreviews = z.object({ notices: z.array(NoticePreview) });
export type NoticePreviews = z.infer<typeof NoticePreviews>;
export const NoticeCreated = z.object({ id: z.number(), state: NoticeState });
export const NoticesCreated = z.object({ notices: z.array(NoticeCreated) });
export type NoticesCreated = z.infer<typeof NoticesCreated>;

export const NoticeParams = z.strictObject({ id: z.coerce.number().int().positive().max(2 ** 31 - 1), noticeId: z.coerce.number().int().positive().max(2 ** 31 - 1) });

/** POST …/notices/:noticeId/outcome — the analyst's word on a form submission or an uncertain e-mail. */
export const NoticeOutcomeRequest = z.strictObject({ outcome: z.enum(['submitted', 'sent', 'cancelled', 'resend']) });
export const NoticeOutcomeAnswer = z.object({ state: NoticeState });

/** POST …/takedowns/move */
export const TakedownMoveRequest = z.strictObject({ itemIds: ItemIds, to: TakedownState });

/** POST …/takedowns/escalate */
export const EscalateRequest = z.strictObject({ itemIds: ItemIds, target: EscalationTarget, language: Language.optional() });

/** POST …/takedowns/replies — a host's answer, pasted by the analyst, with what it means for the links. */
export const MAX_REPLY_CHARS = 20_000;
export const HostReplyRequest = z.strictObject({
  itemIds: ItemIds,
  body: z.string().trim().min(1).max(MAX_REPLY_CHARS),
  receivedAt: z.iso.datetime({ offset: true }),
  /** what the reply says; null: nothing changes */
  outcome: z.enum(['acknowledged', 'removed', 'refused']).nullable(),
});

export const HostReplyAdded = z.object({ id: z.number() });

/** POST …/takedowns/recheck and …/takedowns/dismiss-removal */
export const LinksRequest = z.strictObject({ itemIds: ItemIds });

// --- what is due ----------------------------------------------------------------------------------

export const DUE_REASONS = [
  /** a link's host is not in the directory: find its channel */
  'unknown_host',
  /** a form notice waits to be submitted */
  'to_submit',
  /** an e-mail's outcome is unknown: check the mailbox */
  'uncertain',
  /** an e-mail could not be sent */
  'failed',
  /** no answer yet: a reminder is due */
  'reminder',
  /** the escalation deadline passed */
  'escalation',
  /** a check found the link gone: confirm */
  'removal_proposed',
] as const;
export const DueReason = z.enum(DUE_REASONS);
export type DueReason = z.infer<typeof DueReason>;

export const DueItem = z.object({
  caseId: z.number(),
  itemId: z.number().nullable(),
  noticeId: z.number().nullable(),
  hostname: z.string().nullable(),
  hostName: z.string().nullable(),
  reason: DueReason,
  dueAt: z.string(),
  involvesMinor: z.boolean(),
});
export type DueItem = z.infer<typeof DueItem>;

/** GET /api/staff/takedowns/due — what must be done by the end of today (UTC), oldest first. */
export const DueList = z.object({ items: z.array(DueItem), truncated: z.boolean() });
export type DueList = z.infer<typeof DueList>;

// --- what the person reads --------------------------------------------------------------------------

/** data of a `takedown_progress` event: what happened to some of the person's links, in plain words. */
export const TakedownProgress = z.object({
  state: z.enum(['notice_sent', 'acknowledged', 'removed', 'refused', 'escalated']),
  host: z.string().nullable(),
  count: z.number(),
});
export type TakedownProgress = z.infer<typeof TakedownProgress>;
