// The person's follow-up: reference + PIN open a short session (cookie), then status, timeline, items,
// messages, export and withdrawal.
import { z } from 'zod';

import { CaseStatus } from './domain.js';
import { TakedownState } from './notices.js';
import { ItemWarning, ReportItem } from './reports.js';

export const FollowupLogin = z.strictObject({
  reference: z.string().min(1).max(40),
  pin: z.string().regex(/^\s*\d{8}\s*$/, 'the PIN has 8 digits'),
});
export type FollowupLogin = z.infer<typeof FollowupLogin>;

export const MAX_MESSAGE_CHARS = 4000;
export const MAX_ADDED_ITEMS = 50;

export const AddItemsRequest = z.strictObject({ items: z.array(ReportItem).min(1).max(MAX_ADDED_ITEMS) });
export const MessageRequest = z.strictObject({ body: z.string().trim().min(1).max(MAX_MESSAGE_CHARS) });

/** What the person's timeline can show; the web app words each kind in their language. */
export const TIMELINE_KINDS = [
  'report_received',
  'items_added',
  'message_from_person',
  'message_from_team',
  'withdrawn',
  'reupload_blocked',
  /** notices (issue 7): what happened to some of the person's links (data: TakedownProgress) */
  'takedown_progress',
] as const;
/** data of a reupload_blocked event: what a partner platform did, named only when it agrees to be */
export const ReuploadBlocked = z.object({ outcome: z.enum(['blocked', 'removed']), partner: z.string().nullable(), count: z.number() });
export const TimelineKind = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const FollowupItem = z.object({
  id: z.number(),
  kind: z.enum(['image', 'video', 'url']),
  quality: z.number().nullable(),
  lowQuality: z.boolean(),
  url: z.string().nullable(),
  withdrawn: z.boolean(),
  addedAt: z.string(),
  /** a link: where its removal stands, in the person's words on the web app (null for files, and for a link nobody has acted on yet) */
  // (a server from before issue 7 sends none: read as null)
  takedown: z.object({ state: TakedownState, host: z.string().nullable(), since: z.string() }).nullable().default(null),
});

export const FollowupView = z.object({
  reference: z.string(),
  status: CaseStatus,
  createdAt: z.string(),
  situations: z.array(z.string()),
  items: z.array(FollowupItem),
  /** what happened, for the person: kinds the web app words in their language */
  timeline: z.array(z.object({ kind: TimelineKind, at: z.string(), data: z.unknown() })),
  messages: z.array(z.object({ id: z.number(), author: z.enum(['person', 'staff']), body: z.string(), at: z.string() })),
  /**
   * After a withdrawal, when fingerprints had been shared: how many partner platforms have confirmed
   * deleting them (appliedBy) out of those that receive the bank (partners). Null otherwise.
   */
  withdrawal: z.object({ appliedBy: z.number(), partners: z.number() }).nullable(),
});
export type FollowupView = z.infer<typeof FollowupView>;

/** POST /api/followup/session: the session cookie is set; it ends at this time. */
export const FollowupOpened = z.object({ expiresAt: z.string() });
/** POST /api/followup/items */
export const ItemsAdded = z.object({ warnings: z.array(ItemWarning) });
/** POST /api/followup/messages */
export const MessageSent = z.object({});
/** POST /api/followup/withdraw */
export const CaseWithdrawn = z.object({ status: z.literal('withdrawn') });

/** GET /api/followup/export: everything Halte holds about the case (GDPR art. 15 and 20). */
export const FollowupExport = FollowupView.extend({
  exportedAt: z.string(),
  ageGroup: z.string(),
  madeWhenMinor: z.boolean(),
  country: z.string(),
  postalCode: z.string().nullable(),
  immediateDanger: z.boolean(),
  summary: z.string().nullable(),
  contact: z.record(z.string(), z.string()).nullable(),
  consents: z.object({ shareWithPartners: z.boolean(), contactMe: z.boolean() }),
  fingerprints: z.array(
    z.object({
      kind: z.enum(['image', 'video']),
      pdq: z.string().nullable(),
      quality: z.number().nullable(),
      md5: z.string().nullable(),
      sha256: z.string().nullable(),
      vpdq: z.unknown(),
    }),
  ),
});
export type FollowupExport = z.infer<typeof FollowupExport>;
