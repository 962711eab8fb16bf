// /api/chat (start, no account), /api/chat/ws (the person's WebSocket), /api/staff/chat/* (counsellors).
// The person's socket: the first frame is `hello` with the chat's token and the last message number the
// tab has; the server answers `welcome`, then every message after that number, then — live — each new
// one read from the database when the bus says the chat changed. A message the person sends is stored
// once per client id and acknowledged with its number. No address is kept: the rate limit is in memory.
import {
  ChatClientFrame,
  ChatControlRequest,
  SLOW_DOWN_SECONDS,
  ChatMessagesQuery,
  ChatParams,
  ChatStartRequest,
  CounsellorMessageRequest,
  DutyRequest,
  type ChatServerFrame,
} from '@halte/contract';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';

import { crossSite } from '../../http/origin.js';
import { apiError, orRefusal, parseOr400 } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { staffOf } from '../staff/guard.js';
import { applyControl, chatByToken, chatControl, ChatError, endChat, messagesAfter, postMessage, queuePlaces, setOnDuty, startChat, takeNext, type ChatDeps } from './service.js';

/** The first frame must come this soon, and a waiting person hears their place this often. */
const HELLO_WITHIN_MS = 10_000;
const QUEUE_EVERY_MS = 5_000;
/** Frames larger than a message's bound (plus JSON) are refused by the socket itself. */
export const MAX_CHAT_FRAME_BYTES = 16 * 1024;

/**
 * Tells the waiting people of this instance their place, every few seconds, from one read of the queue
 * (a timer per socket would read the whole queue once per person). Runs only while someone waits here.
 */
class QueueTicker {
  readonly #waiting = new Map<number, Set<(place: { position: number; estimateMinutes: number | null }) => void>>();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: ChatDeps,
    private readonly log: Logger,
  ) {}

  /** `tell` hears the chat's place now and at each tick while it waits; returns the unsubscribe function. */
  watch(chatId: number, tell: (place: { position: number; estimateMinutes: number | null }) => void): () => void {
    const listeners = this.#waiting.get(chatId) ?? new Set();
    listeners.add(tell);
    this.#waiting.set(chatId, listeners);
    if (this.#timer === null) {
      this.#timer = setInterval(() => void this.tick(), QUEUE_EVERY_MS);
      this.#timer.unref();
    }
    void this.tick([chatId]);
    return () => {
      listeners.delete(tell);
      if (listeners.size === 0) this.#waiting.delete(chatId);
      if (this.#waiting.size === 0 && this.#timer !== null) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  async tick(only?: readonly number[]): Promise<void> {
    try {
      const places = await queuePlaces(this.deps);
      for (const chatId of only ?? [...this.#waiting.keys()]) {
        const place = places.get(chatId);
        // no longer waiting (taken or ended): the state frame says so; stop telling a place
        if (place === undefined) this.#waiting.delete(chatId);
        else for (const tell of this.#waiting.get(chatId) ?? []) tell(place);
      }
    } catch (error) {
      this.log.warn({ err: { name: (error as Error).name, code: (error as { code?: string }).code } }, 'the queue could not be read');
    }
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#waiting.clear();
  }
}

function send(socket: WebSocket, frame: ChatServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/** One person's socket: a queue of pushes, so frames leave in order, and nothing after close. */
function servePerson(socket: WebSocket, deps: ChatDeps, ticker: QueueTicker, log: Logger): void {
  let chatId: number | null = null;
  let sentSeq = 0;
  let unsubscribe: (() => void) | null = null;
  let unwatch: (() => void) | null = null;
  let chain: Promise<void> = Promise.resolve();
  let lastMessageAt: number | null = null;
  const later = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((error: unknown) => {
      log.warn({ err: { name: (error as Error).name, code: (error as { code?: string }).code } }, 'a chat push failed');
      send(socket, { type: 'error', code: 'INTERNAL_ERROR', message: 'something went wrong on our side: reconnect' });
    });
  };
  const helloTimer = setTimeout(() => socket.close(4001, 'hello expected'), HELLO_WITHIN_MS);

  const pushMissed = async () => {
    if (chatId === null) return;
    const missed = await messagesAfter(deps, chatId, sentSeq);
    for (const message of missed) {
      send(socket, message);
      sentSeq = message.seq;
    }
  };
  const pushControl = async () => {
    if (chatId === null) return;
    const now = await chatControl(deps, chatId);
    send(socket, { type: 'control', control: now.control, until: now.until?.toISOString() ?? null });
  };

  socket.on('message', (raw, isBinary) => {
    let frame: ChatClientFrame;
    try {
      const parsed = ChatClientFrame.safeParse(isBinary ? null : JSON.parse(String(raw)));
      if (!parsed.success) return send(socket, { type: 'error', code: 'VALIDATION_FAILED', message: 'a frame this server does not take' });
      frame = parsed.data;
    } catch {
      return send(socket, { type: 'error', code: 'BAD_REQUEST', message: 'frames are JSON' });
    }
    if (frame.type === 'hello') {
      if (chatId !== null) return;
      const { token, lastSeq } = frame;
      later(async () => {
        const chat = await chatByToken(deps.db, token);
        clearTimeout(helloTimer);
        if (chat === null) {
          send(socket, { type: 'error', code: 'CHAT_NOT_FOUND', message: 'no such chat: start a new one' });
          socket.close(4004, 'no such chat');
          return;
        }
        chatId = chat.id;
        sentSeq = Math.min(lastSeq, chat.lastSeq);
        // subscribe before reading: nothing stored in between is missed (a repeat is skipped by number)
        unsubscribe = deps.bus.subscribe(chat.id, (event) => {
          later(async () => {
            if (event.state !== undefined) send(socket, { type: 'state', state: event.state });
            if (event.control === true) await pushControl();
            if (event.seq > sentSeq) await pushMissed();
          });
        });
        send(socket, { type: 'welcome', state: chat.state, lastSeq: chat.lastSeq });
        if ((await chatControl(deps, chat.id)).control !== 'none') await pushControl();
        await pushMissed();
        if (chat.state === 'waiting') {
          unwatch = ticker.watch(chat.id, (place) => send(socket, { type: 'queue', position: place.position, estimateMinutes: place.estimateMinutes }));
        }
      });
      return;
    }
    if (chatId === null) return send(socket, { type: 'error', code: 'SESSION_REQUIRED', message: 'say hello first' });
    const id = chatId;
    if (frame.type === 'message') {
      const { clientId, body } = frame;
      later(async () => {
        // a control is never silent: the person is told why the message was not taken, and keeps it
        const control = await chatControl(deps, id);
        if (control.control === 'blocked') return send(socket, { type: 'error', code: 'CHAT_BLOCKED', message: 'this chat no longer takes messages: the other ways to get help stay open' });
        if (control.control === 'muted') return send(socket, { type: 'error', code: 'CHAT_MUTED', message: `messages are paused until ${control.until?.toISOString() ?? 'later'}` });
        if (control.control === 'slow_down' && lastMessageAt !== null && Date.now() - lastMessageAt < SLOW_DOWN_SECONDS * 1000) {
          return send(socket, { type: 'error', code: 'CHAT_SLOW_DOWN', message: `one message every ${SLOW_DOWN_SECONDS} seconds: send it again in a moment` });
        }
        lastMessageAt = Date.now();
        try {
          const stored = await postMessage(deps, id, { kind: 'person' }, body, clientId);
          send(socket, { type: 'ack', clientId, seq: stored.seq });
        } catch (error) {
          if ((error as { code?: string }).code === 'CHAT_ENDED') return send(socket, { type: 'error', code: 'CHAT_ENDED', message: 'this chat has ended' });
          throw error;
        }
      });
    } else if (frame.type === 'leave') {
      later(() => endChat(deps, id));
    }
  });

  socket.on('close', () => {
    clearTimeout(helloTimer);
    unwatch?.();
    unsubscribe?.();
  });
}

/** After the staff routes: uses their requireStaff. Needs @fastify/websocket registered. */
export function registerChatRoutes(app: FastifyInstance, deps: ChatDeps, log: Logger): void {
  const { requireStaff } = app;
  const ticker = new QueueTicker(deps, log);
  app.addHook('onClose', async () => ticker.stop());

  app.post('/api/chat', async (request, reply) => {
    if (crossSite(request)) return reply.code(403).send(apiError('FORBIDDEN', 'a request from another site'));
    const body = parseOr400(ChatStartRequest, request.body, reply);
    if (body === undefined) return reply;
    const started = await startChat(deps, body);
    log.info({ reqId: request.id, risk: started.reasons.length }, 'chat started');
    return reply.code(201).header('cache-control', 'no-store').send({ token: started.token, state: 'waiting' });
  });

  app.get('/api/chat/ws', { websocket: true }, (socket, request) => {
    // a page of another site may not open a chat on the person's behalf
    if (crossSite(request)) {
      socket.close(4003, 'another site');
      return;
    }
    servePerson(socket, deps, ticker, log);
  });

  app.put('/api/staff/chat/duty', { preHandler: requireStaff('chat.counsel') }, async (request, reply) => {
    const body = parseOr400(DutyRequest, request.body, reply);
    if (body === undefined) return reply;
    await setOnDuty(deps, staffOf(request).id, body.onDuty, body.maxChats);
    return reply.code(204).send();
  });

  app.post('/api/staff/chat/next', { preHandler: requireStaff('chat.counsel') }, async (request, reply) => orRefusal(reply, () => takeNext(deps, staffOf(request).id)));

  app.get('/api/staff/chat/:chatId/messages', { preHandler: requireStaff('chat.counsel') }, async (request, reply) => {
    const params = parseOr400(ChatParams, request.params, reply);
    const query = params === undefined ? undefined : parseOr400(ChatMessagesQuery, request.query, reply);
    if (params === undefined || query === undefined) return reply;
    return orRefusal(reply, async () => {
      await counsellorChat(deps, staffOf(request).id, params.chatId);
      return { messages: await messagesAfter(deps, params.chatId, query.after) };
    });
  });

  app.post('/api/staff/chat/:chatId/messages', { preHandler: requireStaff('chat.counsel') }, async (request, reply) => {
    const params = parseOr400(ChatParams, request.params, reply);
    const body = params === undefined ? undefined : parseOr400(CounsellorMessageRequest, request.body, reply);
    if (params === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      await counsellorChat(deps, staffOf(request).id, params.chatId);
      const stored = await postMessage(deps, params.chatId, { kind: 'counsellor', staffId: staffOf(request).id }, body.body, null);
      return reply.code(201).send({ seq: stored.seq });
    });
  });

  app.post('/api/staff/chat/:chatId/control', { preHandler: requireStaff('chat.counsel') }, async (request, reply) => {
    const params = parseOr400(ChatParams, request.params, reply);
    const body = params === undefined ? undefined : parseOr400(ChatControlRequest, request.body, reply);
    if (params === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      const applied = await applyControl(deps, staffOf(request).id, params.chatId, body.control, body.minutes);
      log.info({ reqId: request.id, chatId: params.chatId, control: applied.control }, 'chat control applied');
      return { control: applied.control, until: applied.until?.toISOString() ?? null };
    });
  });

  app.post('/api/staff/chat/:chatId/end', { preHandler: requireStaff('chat.counsel') }, async (request, reply) => {
    const params = parseOr400(ChatParams, request.params, reply);
    if (params === undefined) return reply;
    return orRefusal(reply, async () => {
      await counsellorChat(deps, staffOf(request).id, params.chatId);
      await endChat(deps, params.chatId);
      return reply.code(204).send();
    });
  });
}

/** The chat, if it is this counsellor's (another's chat is not found: supervisors come later). */
async function counsellorChat(deps: ChatDeps, staffId: number, chatId: number): Promise<void> {
  const row = await deps.db.selectFrom('chat').select('counsellor_id').where('id', '=', chatId).executeTakeFirst();
  if (!row || row.counsellor_id === null || Number(row.counsellor_id) !== staffId) throw new ChatError('CHAT_NOT_FOUND', 404, 'no such chat among yours');
}
