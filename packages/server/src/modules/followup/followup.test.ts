import { CaseWithdrawn, FollowupExport, FollowupOpened, FollowupView, ItemsAdded, MessageSent } from '@halte/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { BACKENDS } from '../../../test/database.js';
import { SESSION_COOKIE } from './routes.js';

const PDQ = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
const MD5 = '0d12d4462273b533b9197f78b9aeb0d7';
const SHA = '93aa0ba454d3805e02be04a883b839a85bee83d0cbac3d306331584c1ebec0c6';

describe.each(BACKENDS)('the follow-up on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(() => t.close());

  async function newCase(): Promise<{ reference: string; pin: string }> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: {
        situations: ['ncii_diffusion'],
        ageGroup: 'adult',
        madeWhenMinor: false,
        country: 'BE',
        postalCode: '1000',
        immediateDanger: false,
        items: [
          { kind: 'image', pdq: PDQ, quality: 100, md5: MD5, sha256: SHA },
          { kind: 'url', url: 'https://host.example/private-video' },
        ],
        summary: 'Mon ex a publié une vidéo',
        contact: { email: 'victime.cachee@example.org' },
        consents: { shareWithPartners: true, contactMe: true },
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  async function open(reference: string, pin: string, headers: Record<string, string> = {}) {
    return t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference, pin }, headers });
  }

  function cookieOf(res: { headers: Record<string, unknown> }): string {
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\/api\/followup/);
    return header.split(';')[0] as string;
  }

  it('opens with reference + PIN (typed loosely), shows status, timeline and items, never the PIN', async () => {
    const { reference, pin } = await newCase();
    const res = await open(reference.toLowerCase().replace(/-/g, ' '), ` ${pin} `);
    expect(res.statusCode).toBe(201);
    expect(Date.parse(FollowupOpened.parse(res.json()).expiresAt)).toBeGreaterThan(Date.now());
    const cookie = cookieOf(res);
    const view = await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie } });
    expect(view.statusCode).toBe(200);
    expect(view.headers['cache-control']).toBe('no-store');
    const body = view.json();
    expect(Object.keys(body).sort()).toEqual(Object.keys(FollowupView.shape).sort());
    expect(FollowupView.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ reference, status: 'new', situations: ['ncii_diffusion'] });
    expect(body.items.map((i: { kind: string }) => i.kind)).toEqual(['image', 'url']);
    expect(body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['report_received']);
    expect(view.body).not.toContain(pin);
  });

  it('answers a wrong PIN and an unknown reference the same way, then locks the case with a growing delay', async () => {
    const { reference, pin } = await newCase();
    const unknown = await open('HLT-0000-0000-0000', '12345678');
    expect(unknown.statusCode).toBe(401);
    const wrong = pin === '00000000' ? '00000001' : '00000000';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await open(reference, wrong)).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 429]);
    expect(unknown.json().error.code).toBe('FOLLOWUP_LOGIN_FAILED');
    const locked = await open(reference, pin); // even the right PIN waits
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('FOLLOWUP_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // once the delay has passed, the right PIN opens and resets the count
    await t.database.db.updateTable('case').set({ pin_locked_until: new Date(Date.now() - 1000) }).where('reference', '=', reference).execute();
    expect((await open(reference, pin)).statusCode).toBe(201);
    const row = await t.database.db.selectFrom('case').select('pin_failures').where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row.pin_failures).toBe(0);
  });

  it('refuses every follow-up route without a valid session', async () => {
    for (const [method, url] of [
      ['GET', '/api/followup'],
      ['GET', '/api/followup/export'],
      ['POST', '/api/followup/items'],
      ['POST', '/api/followup/messages'],
      ['POST', '/api/followup/withdraw'],
    ] as const) {
      for (const cookie of [undefined, `${SESSION_COOKIE}=forged`, `${SESSION_COOKIE}=${'A'.repeat(43)}`]) {
        const res = await t.app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}), headers: cookie ? { cookie } : {} });
        expect(res.statusCode, `${method} ${url} ${cookie}`).toBe(401);
        expect(res.json().error.code).toBe('SESSION_REQUIRED');
      }
    }
  });

  it('refuses state changes from another site (CSRF)', async () => {
    const { reference, pin } = await newCase();
    const cookie = cookieOf(await open(reference, pin));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/followup/withdraw',
      payload: {},
      headers: { cookie, origin: 'https://evil.example', host: 'halte.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const form = await t.app.inject({ method: 'POST', url: '/api/followup/messages', payload: 'body=hello', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
  });

  it('adds links and fingerprints, takes messages (sealed), and exports everything it holds', async () => {
    const { reference, pin } = await newCase();
    const cookie = cookieOf(await open(reference, pin));
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/followup/items',
      payload: { items: [{ kind: 'url', url: 'https://other.example/x' }, { kind: 'image', pdq: PDQ, quality: 20, md5: MD5, sha256: 'ab'.repeat(32) }] },
      headers: { cookie },
    });
    expect(added.statusCode).toBe(201);
    expect(ItemsAdded.parse(added.json()).warnings).toEqual([{ code: 'IMAGE_TOO_UNIFORM', item: 1 }]);
    const message = await t.app.inject({ method: 'POST', url: '/api/followup/messages', payload: { body: 'Il a recommencé hier soir' }, headers: { cookie } });
    expect(message.statusCode).toBe(201);
    expect(MessageSent.strict().parse(message.json())).toEqual({});
    const stored = await sql<{ row: string }>`select m::text as row from message m`.execute(t.database.db);
    expect(stored.rows.map((r) => r.row).join()).not.toContain('recommencé');

    const view = (await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie } })).json();
    expect(view.items).toHaveLength(4);
    expect(view.messages).toEqual([expect.objectContaining({ author: 'person', body: 'Il a recommencé hier soir' })]);
    expect(view.timeline.map((e: { kind: string }) => e.kind)).toEqual(['report_received', 'items_added', 'message_from_person']);

    const exported = await t.app.inject({ method: 'GET', url: '/api/followup/export', headers: { cookie } });
    expect(exported.headers['content-disposition']).toMatch(/attachment/);
    // the answer is the contract's, key for key (the OpenAPI document is generated from it)
    expect(Object.keys(exported.json()).sort()).toEqual(Object.keys(FollowupExport.shape).sort());
    expect(FollowupExport.safeParse(exported.json()).success).toBe(true);
    expect(exported.json()).toMatchObject({
      reference,
      summary: 'Mon ex a publié une vidéo',
      contact: { email: 'victime.cachee@example.org' },
      postalCode: '1000',
      fingerprints: [expect.objectContaining({ pdq: PDQ }), expect.objectContaining({ quality: 20 })],
    });

    for (const payload of [{ body: '' }, { body: 'x'.repeat(4001) }, { body: 42 }, { items: [] }, { items: 'x' }]) {
      const url = 'body' in payload ? '/api/followup/messages' : '/api/followup/items';
      const res = await t.app.inject({ method: 'POST', url, payload, headers: { cookie } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('withdraws: personal data erased at once, fingerprints kept as tombstones, sessions ended', async () => {
    const { reference, pin } = await newCase();
    const cookie = cookieOf(await open(reference, pin));
    const second = cookieOf(await open(reference, pin));
    await t.app.inject({ method: 'POST', url: '/api/followup/messages', payload: { body: 'un message privé' }, headers: { cookie } });
    const res = await t.app.inject({ method: 'POST', url: '/api/followup/withdraw', payload: {}, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(CaseWithdrawn.parse(res.json())).toEqual({ status: 'withdrawn' });
    expect(String(res.headers['set-cookie'])).toMatch(/Max-Age=0/);

    const row = await t.database.db.selectFrom('case').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'withdrawn', summary_enc: null, contact_enc: null, postal_code: null });
    expect(row.withdrawn_at).toBeInstanceOf(Date);
    const items = await t.database.db.selectFrom('case_item').selectAll().where('case_id', '=', row.id).execute();
    expect(items.every((i) => i.withdrawn_at !== null && i.url === null && i.host === null)).toBe(true);
    expect(items.find((i) => i.kind === 'image')?.pdq).toBe(PDQ); // the tombstone partners need
    expect(await t.database.db.selectFrom('message').selectAll().where('case_id', '=', row.id).execute()).toEqual([]);
    for (const c of [cookie, second]) {
      expect((await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie: c } })).statusCode).toBe(401);
    }
    // the person can still see that the withdrawal happened, and add nothing more
    const again = cookieOf(await open(reference, pin));
    const view = (await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie: again } })).json();
    expect(view.status).toBe('withdrawn');
    expect(view.timeline.at(-1).kind).toBe('withdrawn');
    const add = await t.app.inject({ method: 'POST', url: '/api/followup/messages', payload: { body: 'encore' }, headers: { cookie: again } });
    expect(add.statusCode).toBe(409);
    // withdrawing again changes nothing: one event, the tombstones keep their first date
    const firstDate = row.withdrawn_at;
    expect((await t.app.inject({ method: 'POST', url: '/api/followup/withdraw', payload: {}, headers: { cookie: again } })).statusCode).toBe(200);
    const after = await t.database.db.selectFrom('case').select('withdrawn_at').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.withdrawn_at?.getTime()).toBe(firstDate?.getTime());
    const withdrawnEvents = await t.database.db.selectFrom('event').select('id').where('case_id', '=', row.id).where('kind', '=', 'withdrawn').execute();
    expect(withdrawnEvents).toHaveLength(1);
  });

  it('erases the stored answer of the report (it holds the PIN) at withdrawal', async () => {
    const key = `withdraw-${Date.now()}`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: { 'idempotency-key': key },
      payload: { situations: ['sextortion'], ageGroup: 'adult', madeWhenMinor: false, country: 'FR', immediateDanger: false, items: [], consents: { shareWithPartners: false, contactMe: false } },
    });
    const { reference, pin } = created.json();
    expect(await t.database.db.selectFrom('idempotency_key').select('key').where('reference', '=', reference).execute()).toHaveLength(1);
    const cookie = cookieOf(await open(reference, pin));
    await t.app.inject({ method: 'POST', url: '/api/followup/withdraw', payload: {}, headers: { cookie } });
    expect(await t.database.db.selectFrom('idempotency_key').select('key').where('reference', '=', reference).execute()).toEqual([]);
  });

  it('adds nothing twice when a request is retried, and refuses non-JSON bodies', async () => {
    const { reference, pin } = await newCase();
    const cookie = cookieOf(await open(reference, pin));
    const payload = { items: [{ kind: 'url', url: 'https://host.example/private-video' }, { kind: 'url', url: 'https://new.example/a' }, { kind: 'url', url: 'https://new.example/a' }] };
    for (let i = 0; i < 2; i++) expect((await t.app.inject({ method: 'POST', url: '/api/followup/items', payload, headers: { cookie } })).statusCode).toBe(201);
    const view = (await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie } })).json();
    expect(view.items.map((i: { url: string | null }) => i.url)).toEqual([null, 'https://host.example/private-video', 'https://new.example/a']);
    expect(view.timeline.filter((e: { kind: string }) => e.kind === 'items_added')).toHaveLength(1);
    const plain = await t.app.inject({ method: 'POST', url: '/api/followup/withdraw', payload: 'yes', headers: { cookie, 'content-type': 'text/plain' } });
    expect(plain.statusCode).toBe(415);
  });

  it('refuses malformed logins with 400, never 500', async () => {
    for (const payload of [{}, { reference: 'x' }, { reference: 'x'.repeat(100), pin: '12345678' }, { reference: 'HLT-1', pin: '1234' }, { reference: 1, pin: 1 }, []]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload });
      expect(res.statusCode).toBe(400);
    }
  });
});
