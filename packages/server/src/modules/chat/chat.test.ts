// The live chat's server over real sockets, on PGlite and PostgreSQL: start with three questions (bad
// ones refused), the person's WebSocket (hello, welcome, place in the queue, messages acknowledged with
// their number), "take the next one" in risk order within the counsellor's cap, the counsellor's answer
// reaching the person, a dropped connection resumed without loss or duplicates (a message sent twice is
// stored once), and — on PostgreSQL — two server instances on one database.
import type { AddressInfo } from 'node:net';

import { ChatServerFrame, type StaffRole } from '@halte/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { BACKENDS } from '../../../test/database.js';
import { waitFor } from '../../../test/jobs.js';
import { harness, testClock, type Member } from '../../../test/staff.js';

type Frame = ChatServerFrame;

/** A person's socket that keeps every frame it received. */
async function personSocket(origin: string, token: string, lastSeq = 0): Promise<{ ws: WebSocket; frames: Frame[]; send: (frame: unknown) => void; close: () => Promise<void> }> {
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/chat/ws`);
  const frames: Frame[] = [];
  ws.on('message', (data) => frames.push(ChatServerFrame.parse(JSON.parse(String(data)))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const send = (frame: unknown) => ws.send(JSON.stringify(frame));
  send({ type: 'hello', token, lastSeq });
  await waitFor(() => frames.some((f) => f.type === 'welcome' || f.type === 'error'), 10_000, 'welcome');
  return {
    ws,
    frames,
    send,
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

const messages = (frames: Frame[]) => frames.filter((f): f is Extract<Frame, { type: 'message' }> => f.type === 'message');

describe.each(BACKENDS)('live chat on %s', (backend) => {
  let t: TestApp;
  let origin: string;
  const clock = testClock();
  const h = harness(() => t, clock);
  const team: Partial<Record<'a' | 'b', Member>> = {};
  const m = (k: 'a' | 'b'): Member => team[k] as Member;

  beforeAll(async () => {
    t = await createTestApp(backend, undefined, { now: clock.now });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    clock.advance(Date.now() - clock.now().getTime());
    const roles: ['a' | 'b', StaffRole][] = [
      ['a', 'analyst'],
      ['b', 'analyst'],
    ];
    for (const [key, role] of roles) team[key] = await h.member(role, true);
  });
  afterAll(async () => {
    await t?.close();
  });

  const start = async (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/chat', payload: body });
  const chatBody = (extra: Record<string, unknown> = {}) => ({ situation: 'sextortion', ageGroup: 'adult', inDanger: false, country: 'FR', language: 'fr', ...extra });
  const newChat = async (extra: Record<string, unknown> = {}) => {
    const res = await start(chatBody(extra));
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { token: string }).token;
  };
  const staffPost = (url: string, body: unknown, who: Member) => t.app.inject({ method: 'POST', url, headers: h.as(who), payload: body as Record<string, unknown> });
  const duty = (who: Member, onDuty: boolean, maxChats?: number) =>
    t.app.inject({ method: 'PUT', url: '/api/staff/chat/duty', headers: h.as(who), payload: { onDuty, ...(maxChats === undefined ? {} : { maxChats }) } });
  const code = (res: { statusCode: number; json: () => unknown }) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code];
  /** ends every waiting chat (tests share one database) */
  const emptyQueue = async () => {
    await t.database.db.updateTable('chat').set({ state: 'ended' }).where('state', 'in', ['waiting', 'active']).execute();
  };

  it('starts with three questions, refusing bad answers', async () => {
    expect(code(await start(chatBody({ situation: 'whatever' })))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await start(chatBody({ postalCode: '123' })))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await start({ ...chatBody(), ip: '1.2.3.4' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await t.app.inject({ method: 'POST', url: '/api/chat', payload: chatBody(), headers: { origin: 'https://evil.example' } }))).toEqual([403, 'FORBIDDEN']);
    const res = await start(chatBody({ postalCode: '75011' }));
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const row = await t.database.db.selectFrom('chat').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    // the department, never the postal code; no address of the person anywhere in the row
    expect(row.area).toBe('75');
    expect(JSON.stringify(row)).not.toContain('75011');
    expect(JSON.stringify(row)).not.toContain('127.0.0.1');
  });

  it('tells a waiting person their place; takes the most urgent first, within the counsellor’s cap', async () => {
    await emptyQueue();
    const plain = await newChat();
    const minor = await newChat({ ageGroup: 'minor' });
    const danger = await newChat({ inDanger: true });
    const p = await personSocket(origin, plain);
    expect(p.frames[0]).toMatchObject({ type: 'welcome', state: 'waiting', lastSeq: 0 });
    await waitFor(() => p.frames.some((f) => f.type === 'queue'), 10_000, 'the place in the queue');
    expect(p.frames.find((f) => f.type === 'queue')).toMatchObject({ position: 3, estimateMinutes: null }); // nobody on duty yet

    expect(code(await staffPost('/api/staff/chat/next', {}, m('a')))).toEqual([409, 'COUNSELLOR_OFF_DUTY']);
    expect((await duty(m('a'), true, 2)).statusCode).toBe(204);
    const first = (await staffPost('/api/staff/chat/next', {}, m('a'))).json() as { chatId: number };
    const second = (await staffPost('/api/staff/chat/next', {}, m('a'))).json() as { chatId: number };
    const ids = await t.database.db.selectFrom('chat').select(['id', 'in_danger', 'age_group']).where('id', 'in', [first.chatId, second.chatId]).orderBy('taken_at').execute();
    expect(ids.map((r) => [r.in_danger, r.age_group])).toEqual([
      [true, 'adult'],
      [false, 'minor'],
    ]);
    expect(code(await staffPost('/api/staff/chat/next', {}, m('a')))).toEqual([409, 'COUNSELLOR_AT_CAPACITY']);
    // the plain chat is next, for another counsellor; then nobody waits
    await duty(m('b'), true, 1);
    expect((await staffPost('/api/staff/chat/next', {}, m('b'))).statusCode).toBe(200);
    await waitFor(() => p.frames.some((f) => f.type === 'state' && f.state === 'active'), 10_000, 'the person told a counsellor is here');
    await duty(m('b'), true, 5);
    expect(code(await staffPost('/api/staff/chat/next', {}, m('b')))).toEqual([404, 'QUEUE_EMPTY']);
    void minor;
    void danger;
    await p.close();
  });

  it('carries messages both ways, acknowledged with their numbers; resumes after a drop without loss or duplicates', async () => {
    await emptyQueue();
    const token = await newChat();
    await duty(m('a'), true, 5);
    const { chatId } = (await staffPost('/api/staff/chat/next', {}, m('a'))).json() as { chatId: number };
    const p = await personSocket(origin, token);
    p.send({ type: 'message', clientId: 'c-00000001', body: 'Il me menace de tout publier ce soir.' });
    await waitFor(() => p.frames.some((f) => f.type === 'ack'), 10_000, 'ack');
    expect(p.frames.find((f) => f.type === 'ack')).toEqual({ type: 'ack', clientId: 'c-00000001', seq: 1 });

    const read = await t.app.inject({ method: 'GET', url: `/api/staff/chat/${chatId}/messages?after=0`, headers: { cookie: m('a').cookie } });
    expect((read.json() as { messages: { body: string; author: string }[] }).messages.map((x) => [x.author, x.body])).toEqual([['person', 'Il me menace de tout publier ce soir.']]);
    // another counsellor's chat does not exist for them
    expect(code(await t.app.inject({ method: 'GET', url: `/api/staff/chat/${chatId}/messages`, headers: { cookie: m('b').cookie } }))).toEqual([404, 'CHAT_NOT_FOUND']);

    const answer = await staffPost(`/api/staff/chat/${chatId}/messages`, { body: 'Je suis là. Ne payez pas.' }, m('a'));
    expect(answer.json()).toEqual({ seq: 2 });
    await waitFor(() => messages(p.frames).some((x) => x.seq === 2), 10_000, 'the answer pushed');
    expect(messages(p.frames).map((x) => [x.seq, x.author, x.body])).toEqual([
      [1, 'person', 'Il me menace de tout publier ce soir.'],
      [2, 'counsellor', 'Je suis là. Ne payez pas.'],
    ]);

    // the connection drops; two answers arrive meanwhile; the tab sends its message again on reconnect
    await p.close();
    await staffPost(`/api/staff/chat/${chatId}/messages`, { body: 'Vous êtes toujours là ?' }, m('a'));
    await staffPost(`/api/staff/chat/${chatId}/messages`, { body: 'Gardez les captures.' }, m('a'));
    const again = await personSocket(origin, token, 2);
    await waitFor(() => messages(again.frames).length === 2, 10_000, 'the missed answers');
    expect(messages(again.frames).map((x) => x.seq)).toEqual([3, 4]);
    again.send({ type: 'message', clientId: 'c-00000001', body: 'Il me menace de tout publier ce soir.' });
    await waitFor(() => again.frames.some((f) => f.type === 'ack'), 10_000, 'ack of the resend');
    expect(again.frames.find((f) => f.type === 'ack')).toEqual({ type: 'ack', clientId: 'c-00000001', seq: 1 });
    const stored = await t.database.db.selectFrom('chat_message').select('seq').where('chat_id', '=', chatId).execute();
    expect(stored.map((r) => r.seq).sort()).toEqual([1, 2, 3, 4]);
    // sealed at rest
    const raw = await t.database.db.selectFrom('chat_message').select('body_enc').where('chat_id', '=', chatId).execute();
    expect(Buffer.concat(raw.map((r) => Buffer.from(r.body_enc))).toString('latin1')).not.toContain('menace');

    // leaving ends it; the counsellor can write no more
    again.send({ type: 'leave' });
    await waitFor(async () => (await t.database.db.selectFrom('chat').select('state').where('id', '=', chatId).executeTakeFirstOrThrow()).state === 'ended', 10_000, 'ended');
    expect(code(await staffPost(`/api/staff/chat/${chatId}/messages`, { body: 'encore ?' }, m('a')))).toEqual([409, 'CHAT_ENDED']);
    await again.close();
  });

  it('refuses what the socket should not take, and closes a socket that never says hello', async () => {
    const token = await newChat();
    const p = await personSocket(origin, 'x'.repeat(43));
    expect(p.frames[0]).toMatchObject({ type: 'error', code: 'CHAT_NOT_FOUND' });
    await p.close();
    const q = await personSocket(origin, token);
    q.send({ type: 'message', clientId: 'c-1', body: 'x' });
    q.send({ type: 'message', clientId: 'c-00000002', body: 'x'.repeat(2001) });
    q.ws.send('not json');
    await waitFor(() => q.frames.filter((f) => f.type === 'error').length === 3, 10_000, 'three refusals');
    expect(q.frames.filter((f) => f.type === 'error').map((f) => (f as { code: string }).code)).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED', 'BAD_REQUEST']);
    expect(await t.database.db.selectFrom('chat_message').select('seq').where('client_id', 'in', ['c-1', 'c-00000002']).execute()).toEqual([]);
    await q.close();
  });

  it('controls abuse in steps, always telling the person — and never mutes or blocks someone who may be at risk', async () => {
    await emptyQueue();
    await duty(m('a'), true, 5);
    const control = (chatId: number, body: Record<string, unknown>) => staffPost(`/api/staff/chat/${chatId}/control`, body, m('a'));
    // a flooding chat, no risk reason: slow down, then mute (told, with the end), then lift
    const token = await newChat({ situation: 'cyberharassment' });
    const { chatId } = (await staffPost('/api/staff/chat/next', {}, m('a'))).json() as { chatId: number };
    const p = await personSocket(origin, token);
    expect(code(await control(chatId, { control: 'blocked' }))).toEqual([409, 'CHAT_CONTROL_REFUSED']);
    expect((await control(chatId, { control: 'slow_down' })).json()).toEqual({ control: 'slow_down', until: null });
    await waitFor(() => p.frames.some((f) => f.type === 'control' && f.control === 'slow_down'), 10_000, 'told to slow down');
    p.send({ type: 'message', clientId: 'flood-0001', body: 'un' });
    p.send({ type: 'message', clientId: 'flood-0002', body: 'deux' });
    await waitFor(() => p.frames.some((f) => f.type === 'error'), 10_000, 'the second refused, in words');
    expect(p.frames.filter((f) => f.type === 'ack').map((f) => (f as { clientId: string }).clientId)).toEqual(['flood-0001']);
    expect(p.frames.find((f) => f.type === 'error')).toMatchObject({ code: 'CHAT_SLOW_DOWN' });
    const muted = (await control(chatId, { control: 'muted', minutes: 10 })).json() as { until: string };
    expect(new Date(muted.until).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    await waitFor(() => p.frames.some((f) => f.type === 'control' && f.control === 'muted' && f.until !== null), 10_000, 'told of the mute and its end');
    p.send({ type: 'message', clientId: 'flood-0003', body: 'trois' });
    await waitFor(() => p.frames.some((f) => f.type === 'error' && (f as { code: string }).code === 'CHAT_MUTED'), 10_000, 'a muted message refused in words');
    expect((await control(chatId, { control: 'none' })).json()).toEqual({ control: 'none', until: null });
    p.send({ type: 'message', clientId: 'flood-0004', body: 'quatre' });
    await waitFor(() => p.frames.some((f) => f.type === 'ack' && (f as { clientId: string }).clientId === 'flood-0004'), 10_000, 'taken again');
    await p.close();

    // a person in distress: at most slowed down; their messages always get through in the end
    const distress = await newChat({ situation: 'sextortion' });
    const taken = (await staffPost('/api/staff/chat/next', {}, m('a'))).json() as { chatId: number };
    const d = await personSocket(origin, distress);
    d.send({ type: 'message', clientId: 'help-0001', body: 'je veux en finir, il va tout publier' });
    await waitFor(() => d.frames.some((f) => f.type === 'ack'), 10_000, 'ack');
    expect((await control(taken.chatId, { control: 'slow_down' })).statusCode).toBe(200);
    expect(code(await control(taken.chatId, { control: 'muted' }))).toEqual([409, 'CHAT_CONTROL_REFUSED']);
    const row = await t.database.db.selectFrom('chat').select(['control', 'reasons']).where('id', '=', taken.chatId).executeTakeFirstOrThrow();
    expect(row).toEqual({ control: 'slow_down', reasons: ['self_harm'] });
    // another counsellor cannot act on this chat
    expect(code(await staffPost(`/api/staff/chat/${taken.chatId}/control`, { control: 'none' }, m('b')))).toEqual([404, 'CHAT_NOT_FOUND']);
    expect(code(await control(taken.chatId, { control: 'muted', minutes: 0 }))).toEqual([400, 'VALIDATION_FAILED']);
    await d.close();
  });

  it.runIf(backend === 'postgres')('works across two server instances on one database (LISTEN/NOTIFY)', async () => {
    await emptyQueue();
    const other = await createTestApp(backend, undefined, { now: clock.now, database: t.database, sealer: t.sealer });
    try {
      await other.app.listen({ port: 0, host: '127.0.0.1' });
      const otherOrigin = `http://127.0.0.1:${(other.app.server.address() as AddressInfo).port}`;
      const token = await newChat();
      await duty(m('a'), true, 5);
      const { chatId } = (await staffPost('/api/staff/chat/next', {}, m('a'))).json() as { chatId: number };
      // the person is connected to the other instance; the counsellor writes through this one
      const p = await personSocket(otherOrigin, token);
      await staffPost(`/api/staff/chat/${chatId}/messages`, { body: 'Bonjour, je m’appelle Sam.' }, m('a'));
      await waitFor(() => messages(p.frames).some((x) => x.body === 'Bonjour, je m’appelle Sam.'), 10_000, 'the message across instances');
      await p.close();
    } finally {
      await other.app.close();
    }
  });
});
