// Live chat (issue 8): what the person answers before chatting, how the national queue is ordered (risk
// first, with ageing so nobody waits forever), which local team follows up (by postal code: FR
// department, BE province), the graded controls on abuse that never cut off someone in distress, and the
// frames of the WebSocket protocol. Pure: the server and the web app decide the same way.
import { z } from 'zod';

import { AgeGroup, Country, Language, Situation, type AgeGroup as AgeGroupType, type Country as CountryType, type Situation as SituationType } from './domain.js';
import { PostalCode, postalCodeProblem } from './reports.js';

// --- before the chat: three questions -------------------------------------------------------------

/** POST /api/chat: what is happening, the age group, in danger now? — and, optionally, where (for the follow-up team). */
export const ChatStartRequest = z
  .strictObject({
    situation: Situation,
    ageGroup: AgeGroup,
    inDanger: z.boolean(),
    country: Country,
    postalCode: PostalCode.optional(),
    language: Language,
  })
  .superRefine((start, ctx) => {
    const problem = start.postalCode === undefined ? null : postalCodeProblem(start.country, start.postalCode);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: problem });
  });
export type ChatStartRequest = z.input<typeof ChatStartRequest>;

// --- risk and the order of the queue --------------------------------------------------------------

/**
 * Why a chat is urgent. Crisis services order their queues by risk (Crisis Text Line's "code orange":
 * flagged conversations were six times likelier to involve suicidal thoughts; shared/research).
 */
export const RISK_REASONS = ['in_danger', 'self_harm', 'minor', 'sextortion_deadline'] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

/**
 * Points per reason. Immediate danger is not a number: such chats come before every other, first come
 * first served among themselves. The others add up, then age.
 */
export const RISK_POINTS: Readonly<Record<Exclude<RiskReason, 'in_danger'>, number>> = { self_harm: 60, minor: 30, sextortion_deadline: 20 };

/** Points a waiting chat gains per minute: a chat with no risk reason waiting 60 minutes overtakes a new self-harm chat. */
export const AGEING_POINTS_PER_MINUTE = 1;

/**
 * Words that may say self-harm, FR and EN, accents and case ignored. A hint that moves a chat up the
 * queue, never a diagnosis: a false alarm costs minutes for others, a miss can cost a life.
 */
const SELF_HARM = [
  /\bsuicid/,
  /\b(en finir|me tuer|envie de mourir|plus envie de vivre|me faire du mal|scarif)/,
  /\b(kill myself|end it all|end my life|want to die|hurt myself|self[- ]?harm|cutting myself|suicidal)\b/,
];

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function mentionsSelfHarm(text: string): boolean {
  const folded = fold(text);
  return SELF_HARM.some((pattern) => pattern.test(folded));
}

export interface RiskFacts {
  readonly inDanger: boolean;
  readonly ageGroup: AgeGroupType;
  readonly situation: SituationType;
  /** the person said a blackmailer gave them a deadline (or the situation is suicidal_crisis) */
  readonly deadline?: boolean;
  /** what the person wrote so far (the first messages are read for self-harm words) */
  readonly texts?: readonly string[];
}

export function riskReasons(f: RiskFacts): RiskReason[] {
  const reasons: RiskReason[] = [];
  if (f.inDanger || f.situation === 'immediate_danger') reasons.push('in_danger');
  if (f.situation === 'suicidal_crisis' || (f.texts ?? []).some(mentionsSelfHarm)) reasons.push('self_harm');
  if (f.ageGroup === 'minor') reasons.push('minor');
  if (f.situation === 'sextortion' && f.deadline === true) reasons.push('sextortion_deadline');
  return reasons;
}

export interface QueuedChat {
  readonly id: number;
  readonly reasons: readonly RiskReason[];
  readonly waitingSince: Date;
}

/** The chat's place-deciding score at `now` (immediate danger aside: see compareQueued). */
export function queueScore(chat: QueuedChat, now: Date): number {
  const points = chat.reasons.reduce((sum, r) => sum + (r === 'in_danger' ? 0 : RISK_POINTS[r]), 0);
  const minutes = Math.max(0, (now.getTime() - chat.waitingSince.getTime()) / 60_000);
  return points + minutes * AGEING_POINTS_PER_MINUTE;
}

/** The queue's order: immediate danger first (oldest first), then by score, then oldest, then id. */
export function compareQueued(a: QueuedChat, b: QueuedChat, now: Date): number {
  const dangerA = a.reasons.includes('in_danger');
  const dangerB = b.reasons.includes('in_danger');
  if (dangerA !== dangerB) return dangerA ? -1 : 1;
  if (!dangerA) {
    const scores = queueScore(b, now) - queueScore(a, now);
    if (scores !== 0) return scores;
  }
  return a.waitingSince.getTime() - b.waitingSince.getTime() || a.id - b.id;
}

export function orderQueue<T extends QueuedChat>(chats: readonly T[], now: Date): T[] {
  return [...chats].sort((a, b) => compareQueued(a, b, now));
}

/**
 * An estimate of the wait for the person at `position` (1 = next), from the recent mean time to take a
 * chat per free seat; null when nobody is on duty (then the person can leave a message).
 */
export function estimateWaitMinutes(position: number, counsellorsOnDuty: number, meanHandleMinutes: number): number | null {
  if (counsellorsOnDuty <= 0) return null;
  return Math.max(1, Math.ceil((position * meanHandleMinutes) / counsellorsOnDuty));
}

// --- the follow-up team: by area ----------------------------------------------------------------------

/**
 * The area of a postal code: a French department ("75", "2A", "971") or a Belgian province ("BE-BRU",
 * "BE-VAN"…, ISO 3166-2:BE codes), or null. The chat itself goes to the national pool; the area picks
 * the local team that calls back or takes the complaint, as Pnav does.
 */
export function areaOf(country: CountryType, postalCode: string | null | undefined): string | null {
  if (postalCode === null || postalCode === undefined) return null;
  const code = postalCode.trim().toUpperCase();
  if (country === 'FR') {
    if (/^2[AB]\d{3}$/.test(code)) return code.slice(0, 2);
    if (!/^\d{5}$/.test(code)) return null;
    // overseas departments: three digits (971 Guadeloupe … 976 Mayotte)
    if (code.startsWith('97')) return code.slice(0, 3);
    // Corsica's postal codes start with 20: 200xx–201xx mostly Corse-du-Sud, 202xx–206xx Haute-Corse
    // (a few communes straddle: the team can still be chosen by hand)
    if (code.startsWith('20')) return Number(code.slice(2, 3)) <= 1 ? '2A' : '2B';
    return code.slice(0, 2);
  }
  if (country === 'BE') {
    if (!/^\d{4}$/.test(code)) return null;
    return BELGIAN_PROVINCES.find(([from, to]) => Number(code) >= from && Number(code) <= to)?.[2] ?? null;
  }
  return null;
}

/** bpost's postal code ranges by province (ISO 3166-2:BE). */
const BELGIAN_PROVINCES: readonly (readonly [number, number, string])[] = [
  [1000, 1299, 'BE-BRU'],
  [1300, 1499, 'BE-WBR'],
  [1500, 1999, 'BE-VBR'],
  [2000, 2999, 'BE-VAN'],
  [3000, 3499, 'BE-VBR'],
  [3500, 3999, 'BE-VLI'],
  [4000, 4999, 'BE-WLG'],
  [5000, 5999, 'BE-WNA'],
  [6000, 6599, 'BE-WHT'],
  [6600, 6999, 'BE-WLX'],
  [7000, 7999, 'BE-WHT'],
  [8000, 8999, 'BE-VWV'],
  [9000, 9999, 'BE-VOV'],
];

export const FollowUpTeam = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  name: z.string().trim().min(1).max(120),
  /** the areas it covers (areaOf's codes); "*" for the national fallback */
  areas: z.array(z.string().regex(/^(\*|\d{2,3}|2[AB]|BE-[A-Z]{3})$/)).min(1).max(200),
});
export type FollowUpTeam = z.infer<typeof FollowUpTeam>;

/** The team covering the area, else the national fallback ("*"), else null. */
export function followUpTeamFor(teams: readonly FollowUpTeam[], country: CountryType, postalCode: string | null | undefined): FollowUpTeam | null {
  const area = areaOf(country, postalCode);
  return (area === null ? undefined : teams.find((t) => t.areas.includes(area))) ?? teams.find((t) => t.areas.includes('*')) ?? null;
}

// --- abuse: graded, and never silent -----------------------------------------------------------------

/**
 * What a counsellor or the server may do to a token that floods or abuses: slow it down (one message
 * every few seconds), mute it for a while, block it. Each is said to the person in words, with the other
 * ways to get help; a chat whose person may be in danger is never muted or blocked — at most slowed.
 */
export const CHAT_CONTROLS = ['none', 'slow_down', 'muted', 'blocked'] as const;
export const ChatControl = z.enum(CHAT_CONTROLS);
export type ChatControl = z.infer<typeof ChatControl>;

/** slow_down: at most one message in this many seconds; muted: for this long unless said otherwise. */
export const SLOW_DOWN_SECONDS = 5;
export const DEFAULT_MUTE_MINUTES = 15;

export type ControlDecision = { readonly allowed: true; readonly control: ChatControl } | { readonly allowed: false; readonly reason: 'person_at_risk' | 'not_a_step' };

export function decideControl(current: ChatControl, requested: ChatControl, reasons: readonly RiskReason[]): ControlDecision {
  const atRisk = reasons.includes('in_danger') || reasons.includes('self_harm');
  if (atRisk && (requested === 'muted' || requested === 'blocked')) return { allowed: false, reason: 'person_at_risk' };
  // one step at a time upwards (a warning before a mute, a mute before a block); back down freely
  const from = CHAT_CONTROLS.indexOf(current);
  const to = CHAT_CONTROLS.indexOf(requested);
  if (to > from + 1) return { allowed: false, reason: 'not_a_step' };
  return { allowed: true, control: requested };
}

// --- the WebSocket protocol ---------------------------------------------------------------------------

export const MAX_CHAT_MESSAGE_CHARS = 2000;

/**
 * Frames the browser sends. `hello` opens (or resumes) with the chat token and the last sequence number
 * it has; a `message` carries a client id so that a message sent twice across a reconnection is stored
 * once and acknowledged with its sequence number.
 */
export const ChatClientFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), token: z.string().regex(/^[A-Za-z0-9_-]{43}$/), lastSeq: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('message'), clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), body: z.string().trim().min(1).max(MAX_CHAT_MESSAGE_CHARS) }),
  z.strictObject({ type: z.literal('typing') }),
  z.strictObject({ type: z.literal('leave') }),
]);
export type ChatClientFrame = z.infer<typeof ChatClientFrame>;

export const CHAT_STATES = ['waiting', 'active', 'ended', 'left_message'] as const;
export const ChatState = z.enum(CHAT_STATES);
export type ChatState = z.infer<typeof ChatState>;

/**
 * Frames the server sends; every stored message has a sequence number, per chat, without gaps. An
 * `error` frame's code is the API's (VALIDATION_FAILED, CHAT_NOT_FOUND, CHAT_ENDED…) or one of the
 * controls' — CHAT_SLOW_DOWN, CHAT_MUTED, CHAT_BLOCKED — after which the browser keeps the message
 * and says why, with the other ways to get help: a control is never silent.
 */
export const ChatServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), state: ChatState, lastSeq: z.number() }),
  z.object({ type: z.literal('queue'), position: z.number(), estimateMinutes: z.number().nullable() }),
  z.object({ type: z.literal('message'), seq: z.number(), author: z.enum(['person', 'counsellor', 'system']), body: z.string(), at: z.string(), clientId: z.string().nullable() }),
  z.object({ type: z.literal('ack'), clientId: z.string(), seq: z.number() }),
  z.object({ type: z.literal('state'), state: ChatState }),
  z.object({ type: z.literal('control'), control: z.enum(CHAT_CONTROLS), until: z.string().nullable() }),
  z.object({ type: z.literal('typing') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ChatServerFrame = z.infer<typeof ChatServerFrame>;

// --- HTTP ---------------------------------------------------------------------------------------

/** POST /api/chat: the chat's token (kept in the tab's memory only) and where it stands. */
export const ChatStarted = z.object({ token: z.string(), state: ChatState });
export type ChatStarted = z.infer<typeof ChatStarted>;

/** PUT /api/staff/chat/duty */
export const DutyRequest = z.strictObject({ onDuty: z.boolean(), maxChats: z.number().int().min(1).max(10).optional() });
/** POST /api/staff/chat/next */
export const ChatTaken = z.object({ chatId: z.number() });
export const ChatParams = z.strictObject({ chatId: z.string().regex(/^[1-9]\d{0,14}$/, 'must be a chat number').transform(Number) });
export const ChatMessagesQuery = z.strictObject({ after: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(0) });
export const CounsellorMessageRequest = z.strictObject({ body: z.string().trim().min(1).max(MAX_CHAT_MESSAGE_CHARS) });
export const ChatMessages = z.object({ messages: z.array(ChatServerFrame.options[2]) });

/** POST /api/staff/chat/:chatId/control — the person is told at once, in words, with other ways to get help. */
export const ChatControlRequest = z.strictObject({ control: ChatControl, minutes: z.number().int().min(1).max(24 * 60).optional() });
export const ChatControlApplied = z.object({ control: ChatControl, until: z.string().nullable() });
