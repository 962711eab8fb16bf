// How every server instance hears that a chat changed (a message stored, taken, ended), so that the
// instance holding the person's or the counsellor's WebSocket pushes it. On PostgreSQL: NOTIFY on one
// channel, LISTEN on a connection of the instance's own — several instances on one database; on the
// embedded database: in the process (one process may open it). An event only says "look"; what is sent
// is always read from the database, after the commit, from the socket's last number: a lost or
// repeated notification loses or repeats nothing.
import { EventEmitter } from 'node:events';

import type pg from 'pg';

import type { HalteDatabase } from '../../db/database.js';
import type { Logger } from '../../log/logger.js';

export interface ChatEvent {
  readonly chatId: number;
  /** the new message's number; 0 for a change of state */
  readonly seq: number;
  readonly state?: 'active' | 'ended';
  /** a control changed (slow down, mute, block, lifted): the socket reads it and tells the person */
  readonly control?: true;
}

export interface ChatBus {
  /** starts listening (PostgreSQL); nothing to do in one process */
  start(): Promise<void>;
  publish(event: ChatEvent): Promise<void>;
  /** every event of this chat, from any instance; returns the unsubscribe function */
  subscribe(chatId: number, listener: (event: ChatEvent) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'halte_chat';

class Listeners {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  emit(event: ChatEvent): void {
    this.#emitter.emit(String(event.chatId), event);
  }

  on(chatId: number, listener: (event: ChatEvent) => void): () => void {
    this.#emitter.on(String(chatId), listener);
    return () => this.#emitter.off(String(chatId), listener);
  }
}

/** One process: events stay in it. */
export function localChatBus(): ChatBus {
  const listeners = new Listeners();
  return {
    start: async () => undefined,
    publish: async (event) => listeners.emit(event),
    subscribe: (chatId, listener) => listeners.on(chatId, listener),
    close: async () => undefined,
  };
}

function parseEvent(payload: string | undefined): ChatEvent | null {
  try {
    const value = JSON.parse(payload ?? '') as Partial<ChatEvent>;
    if (!Number.isSafeInteger(value.chatId) || !Number.isSafeInteger(value.seq)) return null;
    return {
      chatId: value.chatId as number,
      seq: value.seq as number,
      ...(value.state === 'active' || value.state === 'ended' ? { state: value.state } : {}),
      ...(value.control === true ? { control: true as const } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * PostgreSQL: a pooled connection kept for LISTEN (opened by start(), re-opened if it drops); NOTIFY
 * through the pool. Events published before start() are not heard here (sockets read from the database
 * when they open anyway).
 */
export function postgresChatBus(pool: pg.Pool, log: Logger): ChatBus {
  const listeners = new Listeners();
  let client: pg.PoolClient | null = null;
  let closed = false;
  const listen = async (): Promise<void> => {
    const c = await pool.connect();
    c.on('notification', (message) => {
      const event = parseEvent(message.payload);
      if (event !== null) listeners.emit(event);
    });
    c.on('error', (error: Error & { code?: string }) => {
      log.warn({ err: { name: error.name, code: error.code } }, 'the chat listener connection failed: reconnecting');
      c.release(error);
      if (client === c) client = null;
      if (!closed) setTimeout(() => void listen().catch(() => undefined), 1000).unref();
    });
    await c.query(`LISTEN ${CHANNEL}`);
    if (closed) {
      c.release();
      return;
    }
    client = c;
  };
  return {
    start: listen,
    publish: async (event) => {
      await pool.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
    },
    subscribe: (chatId, listener) => listeners.on(chatId, listener),
    close: async () => {
      closed = true;
      const c = client;
      client = null;
      if (c !== null) {
        await c.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        c.release();
      }
    },
  };
}

/** The bus for the database the server runs on. */
export function chatBusFor(database: HalteDatabase, log: Logger): ChatBus {
  return database.kind === 'postgres' && database.pool !== undefined ? postgresChatBus(database.pool, log) : localChatBus();
}
