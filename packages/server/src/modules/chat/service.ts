// Live chat, the server's side (decision 0020): a person starts a chat with no account (a random token,
// only its hash kept, no IP address), waits in one national queue ordered by risk with ageing, and a
// counsellor on duty takes the next one within their cap. Messages are sealed and numbered 1, 2, 3 …
// per chat: a browser that reconnects asks for what came after its last number, and a message it sends
// again (same client id) is stored once. Every stored message is announced on the bus after commit.
import { createHash, randomBytes } from 'node:crypto';

import {
  decideControl,
  DEFAULT_MUTE_MINUTES,
  estimateWaitMinutes,
  followUpTeamFor,
  orderQueue,
  riskReasons,
  areaOf,
  type ChatControl,
  type ChatServerFrame,
  type ChatStartRequest,
  type FollowUpTeam,
  type RiskReason,
  type Situation,
} from '@halte/contract';
import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';

import type { Sealer } from '../../crypto/sealed.js';
import { ApiRefusal } from '../../http/errors.js';
import type { Database } from '../../db/schema/index.js';
import type { ChatBus } from './bus.js';

export interface ChatDeps {
  readonly db: Kysely<Database>;
  readonly sealer: Sealer;
  readonly bus: ChatBus;
  readonly now: () => Date;
  /** the follow-up teams and their areas (a setting; none: no team is named) */
  readonly teams?: readonly FollowUpTeam[];
}

/** A refusal with the contract's code (CHAT_NOT_FOUND, CHAT_ENDED, COUNSELLOR_OFF_DUTY, COUNSELLOR_AT_CAPACITY, QUEUE_EMPTY). */
export class ChatError extends ApiRefusal {
  override readonly name = 'ChatError';
}

/** How long, on average, a counsellor takes a chat (for the person's estimate) until there is history. */
export const DEFAULT_HANDLE_MINUTES = 20;

export const hashToken = (token: string): Uint8Array => new Uint8Array(createHash('sha256').update(token).digest());

export interface StartedChat {
  readonly id: number;
  /** 32 random bytes, base64url: the only key to the chat, kept in the tab's memory */
  readonly token: string;
  readonly reasons: RiskReason[];
}

export async function startChat(deps: ChatDeps, start: z.output<typeof ChatStartRequest>): Promise<StartedChat> {
  const token = randomBytes(32).toString('base64url');
  const reasons = riskReasons({ inDanger: start.inDanger, ageGroup: start.ageGroup, situation: start.situation });
  const team = followUpTeamFor(deps.teams ?? [], start.country, start.postalCode);
  const row = await deps.db
    .insertInto('chat')
    .values({
      token_hash: hashToken(token),
      situation: start.situation,
      age_group: start.ageGroup,
      in_danger: start.inDanger,
      country: start.country,
      area: areaOf(start.country, start.postalCode),
      team_id: team?.id ?? null,
      language: start.language,
      reasons,
      waiting_since: deps.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), token, reasons };
}

export interface ChatRef {
  readonly id: number;
  readonly state: 'waiting' | 'active' | 'ended' | 'left_message';
  readonly lastSeq: number;
}

export async function chatByToken(db: Kysely<Database>, token: string): Promise<ChatRef | null> {
  const row = await db.selectFrom('chat').select(['id', 'state', 'last_seq']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
  return row ? { id: Number(row.id), state: row.state, lastSeq: row.last_seq } : null;
}

type Author = { readonly kind: 'person' } | { readonly kind: 'counsellor'; readonly staffId: number } | { readonly kind: 'system' };

/**
 * Stores a message with the chat's next number, once per client id; announces it after commit.
 * Returns its number (the first one's, for a message sent again).
 */
export async function postMessage(deps: ChatDeps, chatId: number, author: Author, body: string, clientId: string | null): Promise<{ seq: number; duplicate: boolean }> {
  const stored = await deps.db.transaction().execute(async (trx) => {
    if (clientId !== null) {
      const known = await trx.selectFrom('chat_message').select('seq').where('chat_id', '=', chatId).where('client_id', '=', clientId).executeTakeFirst();
      if (known) return { seq: known.seq, duplicate: true };
    }
    // the chat's row is the lock: numbers come one at a time, without gaps
    const chat = await trx
      .updateTable('chat')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .where('id', '=', chatId)
      .where('state', 'in', ['waiting', 'active'])
      .returning(['last_seq', 'reasons', 'situation', 'age_group', 'in_danger'])
      .executeTakeFirst();
    if (!chat) throw new ChatError('CHAT_ENDED', 409, 'this chat has ended');
    await trx
      .insertInto('chat_message')
      .values({
        chat_id: chatId,
        seq: chat.last_seq,
        author: author.kind,
        staff_id: author.kind === 'counsellor' ? author.staffId : null,
        body_enc: deps.sealer.seal(body),
        client_id: clientId,
        created_at: deps.now(),
      })
      .execute();
    // the person's words may raise the risk (self-harm): the queue's order follows
    if (author.kind === 'person') {
      const raised = riskReasons({ inDanger: chat.in_danger, ageGroup: chat.age_group, situation: chat.situation as Situation, texts: [body] });
      const merged = [...new Set([...chat.reasons, ...raised])];
      if (merged.length !== chat.reasons.length) await trx.updateTable('chat').set({ reasons: merged }).where('id', '=', chatId).execute();
    }
    return { seq: chat.last_seq, duplicate: false };
  });
  if (!stored.duplicate) await deps.bus.publish({ chatId, seq: stored.seq });
  return stored;
}

/** The messages after `afterSeq`, in order (what a reconnecting browser missed). */
export async function messagesAfter(deps: Pick<ChatDeps, 'db' | 'sealer'>, chatId: number, afterSeq: number, limit = 500): Promise<Extract<ChatServerFrame, { type: 'message' }>[]> {
  const rows = await deps.db
    .selectFrom('chat_message')
    .select(['seq', 'author', 'body_enc', 'client_id', 'created_at'])
    .where('chat_id', '=', chatId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    type: 'message' as const,
    seq: r.seq,
    author: r.author,
    body: deps.sealer.open<string>(new Uint8Array(r.body_enc)),
    at: r.created_at.toISOString(),
    clientId: r.client_id,
  }));
}

/**
 * Every waiting chat's place (1 = next) and estimate, in one read: what the queue ticker pushes to the
 * waiting sockets of an instance (one query per tick, not one per socket).
 */
export async function queuePlaces(deps: Pick<ChatDeps, 'db' | 'now'>): Promise<Map<number, { position: number; estimateMinutes: number | null }>> {
  const waiting = await deps.db.selectFrom('chat').select(['id', 'reasons', 'waiting_since']).where('state', '=', 'waiting').execute();
  const places = new Map<number, { position: number; estimateMinutes: number | null }>();
  if (waiting.length === 0) return places;
  const ordered = orderQueue(
    waiting.map((w) => ({ id: Number(w.id), reasons: w.reasons, waitingSince: w.waiting_since })),
    deps.now(),
  );
  const onDuty = await deps.db.selectFrom('counsellor_status').select(sql<number>`count(*)::int`.as('n')).where('on_duty', '=', true).executeTakeFirstOrThrow();
  ordered.forEach((c, index) => places.set(c.id, { position: index + 1, estimateMinutes: estimateWaitMinutes(index + 1, onDuty.n, DEFAULT_HANDLE_MINUTES) }));
  return places;
}

export async function setOnDuty(deps: Pick<ChatDeps, 'db' | 'now'>, staffId: number, onDuty: boolean, maxChats?: number): Promise<void> {
  const now = deps.now();
  const values = { on_duty: onDuty, on_duty_since: onDuty ? now : null, updated_at: now, ...(maxChats === undefined ? {} : { max_chats: maxChats }) };
  await deps.db
    .insertInto('counsellor_status')
    .values({ staff_id: staffId, ...values })
    .onConflict((c) => c.column('staff_id').doUpdateSet(values))
    .execute();
}

/**
 * "Take the next one": the most urgent waiting chat (contract compareQueued), if the counsellor is on
 * duty and under their cap. Waiting chats are locked with SKIP LOCKED, so two counsellors never take the
 * same one; the counsellor's status row serialises their own takes (the cap holds).
 */
export async function takeNext(deps: ChatDeps, staffId: number): Promise<{ chatId: number }> {
  const taken = await deps.db.transaction().execute(async (trx) => {
    const status = await trx.selectFrom('counsellor_status').select(['on_duty', 'max_chats']).where('staff_id', '=', staffId).forUpdate().executeTakeFirst();
    if (!status?.on_duty) throw new ChatError('COUNSELLOR_OFF_DUTY', 409, 'you are not on duty');
    const live = await trx.selectFrom('chat').select(sql<number>`count(*)::int`.as('n')).where('counsellor_id', '=', staffId).where('state', '=', 'active').executeTakeFirstOrThrow();
    if (live.n >= status.max_chats) throw new ChatError('COUNSELLOR_AT_CAPACITY', 409, `you already have ${live.n} live chats (your cap is ${status.max_chats})`);
    const waiting = await trx.selectFrom('chat').select(['id', 'reasons', 'waiting_since']).where('state', '=', 'waiting').forUpdate().skipLocked().execute();
    const [next] = orderQueue(
      waiting.map((w) => ({ id: Number(w.id), reasons: w.reasons, waitingSince: w.waiting_since })),
      deps.now(),
    );
    if (next === undefined) throw new ChatError('QUEUE_EMPTY', 404, 'nobody is waiting');
    await trx.updateTable('chat').set({ state: 'active', counsellor_id: staffId, taken_at: deps.now() }).where('id', '=', next.id).execute();
    return next.id;
  });
  await deps.bus.publish({ chatId: taken, seq: 0, state: 'active' });
  return { chatId: taken };
}

/** Ends a chat (the person leaves, or the counsellor closes it). Idempotent. */
export async function endChat(deps: ChatDeps, chatId: number): Promise<void> {
  const ended = await deps.db
    .updateTable('chat')
    .set({ state: 'ended', ended_at: deps.now() })
    .where('id', '=', chatId)
    .where('state', 'in', ['waiting', 'active'])
    .returning('id')
    .executeTakeFirst();
  if (ended) await deps.bus.publish({ chatId, seq: 0, state: 'ended' });
}

/** What a chat's control is now (a mute past its end is lifted). */
export async function chatControl(deps: Pick<ChatDeps, 'db' | 'now'>, chatId: number): Promise<{ control: ChatControl; until: Date | null }> {
  const row = await deps.db.selectFrom('chat').select(['control', 'control_until']).where('id', '=', chatId).executeTakeFirst();
  if (!row) return { control: 'none', until: null };
  if (row.control === 'muted' && row.control_until !== null && row.control_until <= deps.now()) return { control: 'none', until: null };
  return { control: row.control, until: row.control_until };
}

/**
 * A counsellor's control on their chat (contract decideControl: one step at a time upwards; never a
 * mute or a block on someone who may be at risk). The person's socket is told at once.
 */
export async function applyControl(deps: ChatDeps, staffId: number, chatId: number, requested: ChatControl, minutes: number | undefined): Promise<{ control: ChatControl; until: Date | null }> {
  const applied = await deps.db.transaction().execute(async (trx) => {
    const chat = await trx.selectFrom('chat').select(['counsellor_id', 'reasons', 'state']).where('id', '=', chatId).forUpdate().executeTakeFirst();
    if (!chat || chat.counsellor_id === null || Number(chat.counsellor_id) !== staffId) throw new ChatError('CHAT_NOT_FOUND', 404, 'no such chat among yours');
    const current = await chatControl({ db: trx, now: deps.now }, chatId);
    const decision = decideControl(current.control, requested, chat.reasons);
    if (!decision.allowed) {
      throw new ChatError('CHAT_CONTROL_REFUSED', 409, decision.reason === 'person_at_risk' ? 'this person may be at risk: slow the chat down at most, and ask a supervisor' : 'one step at a time: slow down, then mute, then block');
    }
    const until = requested === 'muted' ? new Date(deps.now().getTime() + (minutes ?? DEFAULT_MUTE_MINUTES) * 60_000) : null;
    await trx.updateTable('chat').set({ control: requested, control_until: until }).where('id', '=', chatId).execute();
    return { control: requested, until };
  });
  await deps.bus.publish({ chatId, seq: 0, control: true });
  return applied;
}
