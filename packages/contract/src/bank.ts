// The hash bank's partner API (issue 6, decision 0018): what platforms send and receive on /api/v1.
// Values are lower-case hex; upper case is accepted and normalised. Nothing here is about the person:
// a hash, its provenance and its status only.
import { z } from 'zod';

import { HttpUrl, Md5Hex, PdqHex, Quality, Sha256Hex } from './reports.js';

export const SIGNAL_TYPES = ['pdq', 'vpdq', 'md5', 'sha256'] as const;
export const SignalType = z.enum(SIGNAL_TYPES);
export type SignalType = z.infer<typeof SignalType>;

/** What a partner key may do: read the feed (and acknowledge), match, report back. */
export const PARTNER_SCOPES = ['fetch', 'match', 'feedback'] as const;
export const PartnerScope = z.enum(PARTNER_SCOPES);
export type PartnerScope = z.infer<typeof PartnerScope>;

/** analyst_verified: an analyst looked at the case and confirmed it; self_submitted: as the person sent it. */
export const PROVENANCES = ['analyst_verified', 'self_submitted'] as const;
export const Provenance = z.enum(PROVENANCES);
export type Provenance = z.infer<typeof Provenance>;

/** withdrawn: delete it (the person withdrew, an analyst rejected it, or it is suspended for review). */
export const HashStatus = z.enum(['active', 'withdrawn']);
export type HashStatus = z.infer<typeof HashStatus>;

/** PDQ's customary threshold and the most a partner may be configured to: 31 of 256 bits. */
export const MAX_MATCH_DISTANCE = 31;
export const MAX_MATCH_ITEMS = 1000;
export const MAX_ACK_ITEMS = 1000;
export const FEED_PAGE_DEFAULT = 1000;
export const FEED_PAGE_MAX = 10_000;
/** Frames of one video in a match request (a frame a second is 2¾ hours). */
export const MAX_MATCH_VPDQ_FRAMES = 10_000;

/** A frame of a video's vPDQ: its PDQ hash, quality, and (optional) time in seconds. */
export const BankFrame = z.strictObject({
  /** the frame's number, as vPDQ gives it (optional, ignored by matching) */
  frame: z.number().int().min(0).max(100_000_000).optional(),
  pdq: PdqHex,
  quality: Quality,
  timestamp: z.number().min(0).max(1_000_000).optional(),
});
export type BankFrame = z.infer<typeof BankFrame>;

export const MatchItem = z.discriminatedUnion('signalType', [
  z.strictObject({ signalType: z.literal('pdq'), value: PdqHex, quality: Quality.optional() }),
  z.strictObject({ signalType: z.literal('md5'), value: Md5Hex, quality: Quality.optional() }),
  z.strictObject({ signalType: z.literal('sha256'), value: Sha256Hex, quality: Quality.optional() }),
  z.strictObject({ signalType: z.literal('vpdq'), value: z.array(BankFrame).min(1).max(MAX_MATCH_VPDQ_FRAMES), quality: Quality.optional() }),
]);
export type MatchItem = z.output<typeof MatchItem>;

/** POST /api/v1/match */
export const MatchRequest = z.strictObject({
  items: z.array(MatchItem).min(1).max(MAX_MATCH_ITEMS, `at most ${MAX_MATCH_ITEMS} items per request: split the batch`),
});
export type MatchRequest = z.output<typeof MatchRequest>;

export const HashMatch = z.object({
  hashId: z.number(),
  signalType: SignalType,
  provenance: Provenance,
  /** pdq: Hamming distance (0..31); md5, sha256: 0 */
  distance: z.number().optional(),
  /** vpdq: share of the query's frames found in the banked video, and of the banked video's frames found in the query (percent) */
  queryPercent: z.number().optional(),
  targetPercent: z.number().optional(),
});
export type HashMatch = z.infer<typeof HashMatch>;

export const MatchResponse = z.object({
  results: z.array(z.object({ index: z.number(), matches: z.array(HashMatch) })),
});
export type MatchResponse = z.infer<typeof MatchResponse>;

/** One entry of GET /api/v1/hashes: a hash as it is now (a withdrawn one is a tombstone). */
export const FeedItem = z.object({
  id: z.number(),
  signalType: SignalType,
  /** hex; for vpdq the video's frames */
  value: z.union([z.string(), z.array(BankFrame)]),
  quality: z.number().nullable(),
  videoId: z.number().nullable(),
  provenance: Provenance,
  status: HashStatus,
  updatedAt: z.string(),
});
export type FeedItem = z.infer<typeof FeedItem>;

export const FeedQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(FEED_PAGE_MAX).default(FEED_PAGE_DEFAULT),
});

/** GET /api/v1/hashes: pass nextCursor back to continue; an empty page means up to date (poll again later). */
export const FeedPage = z.object({ items: z.array(FeedItem), nextCursor: z.string() });
export type FeedPage = z.infer<typeof FeedPage>;

const HashId = z.number().int().min(1).max(999_999_999_999_999);

/** POST /api/v1/acks: the tombstones this partner has applied (deleted on its side). */
export const AckRequest = z.strictObject({ hashIds: z.array(HashId).min(1).max(MAX_ACK_ITEMS) });
/** acknowledged: tombstones recorded; ignored: ids unknown, or of hashes that are active (nothing to apply). */
export const AckResponse = z.object({ acknowledged: z.number(), ignored: z.number() });

export const FEEDBACK_OUTCOMES = ['blocked', 'removed', 'not_blocked', 'false_positive'] as const;
export const FeedbackOutcome = z.enum(FEEDBACK_OUTCOMES);
export type FeedbackOutcome = z.infer<typeof FeedbackOutcome>;

/** POST /api/v1/feedback: what the partner did with a match. */
export const FeedbackRequest = z.strictObject({
  hashId: HashId,
  outcome: FeedbackOutcome,
  /** how many uploads this covers */
  count: z.number().int().min(1).max(1_000_000).default(1),
  /** where the re-upload was (kept encrypted, for the analysts) */
  url: HttpUrl.optional(),
});
export type FeedbackRequest = z.output<typeof FeedbackRequest>;
/** quarantined: the hash is now suspended from the feed and from matching until an analyst reviews it. */
export const FeedbackResponse = z.object({ recorded: z.literal(true), quarantined: z.boolean() });

// --- staff: the quarantine -------------------------------------------------------------------------

export const QUARANTINE_REASONS = ['false_positive', 'abnormal_matches', 'abnormal_feedback'] as const;
export const QuarantineReason = z.enum(QUARANTINE_REASONS);

/** GET /api/staff/bank/quarantine */
export const QuarantineList = z.object({
  items: z.array(
    z.object({
      hashId: z.number(),
      caseId: z.number().nullable(),
      signalType: SignalType,
      provenance: Provenance,
      reason: QuarantineReason,
      quarantinedAt: z.string(),
      /** what partners reported about it, by outcome */
      feedback: z.record(z.string(), z.number()),
    }),
  ),
});
export type QuarantineList = z.infer<typeof QuarantineList>;

/** POST /api/staff/bank/hashes/:id/review — restore: back in the feed and matching; reject: withdrawn for good. */
export const QuarantineDecision = z.strictObject({ decision: z.enum(['restore', 'reject']) });
export type QuarantineDecision = z.infer<typeof QuarantineDecision>;
