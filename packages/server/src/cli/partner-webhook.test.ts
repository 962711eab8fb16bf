import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runHalte, withEmbeddedDb } from '../../test/cli.js';
import { deriveKeys, loadSecretKey } from '../crypto/keys.js';
import { Sealer } from '../crypto/sealed.js';
import type { HalteDatabase } from '../db/database.js';
import { FEED_START, readCursor } from '../modules/bank/cursor.js';
import { WEBHOOK_CURSOR } from '../modules/bank/webhooks.js';

// The commands run in-process on an embedded database in a fresh directory (one PGlite for the file).
const dataDir = mkdtempSync(join(tmpdir(), 'halte-webhook-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const halte = (...args: string[]) => runHalte(dataDir, args);
const SECRET_LINE = /\n(whsec_[A-Za-z0-9_-]{43})\n$/;

const withDb = <T>(work: (db: HalteDatabase['db']) => Promise<T>) => withEmbeddedDb(dataDir, work);

const partnerRow = (name: string) =>
  withDb((db) => db.selectFrom('partner').select(['id', 'webhook_url', 'webhook_secret_enc', 'webhook_cursor']).where('name', '=', name).executeTakeFirstOrThrow());

async function serverSealer(): Promise<Sealer> {
  return Sealer.create(await deriveKeys(loadSecretKey({ fromEnv: undefined, dataDir }).key));
}

describe('halte partner webhook', () => {
  beforeAll(async () => {
    expect((await halte('migrate')).code).toBe(0);
    for (const [name, scopes] of [
      ['Example Social', 'fetch,match'],
      ['Matcher', 'match'],
      ['Gone', 'fetch'],
    ] as const) {
      expect((await halte('partner', 'add', name, '--scopes', scopes)).code).toBe(0);
    }
    expect((await halte('partner', 'revoke', 'Gone')).code).toBe(0);
  });

  it('sets the URL and prints a new secret once; only its sealed form is stored, under the server’s key', async () => {
    const run = await halte('partner', 'webhook', 'Example Social', '--url', 'https://hooks.example.social/halte?v=1');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Partner Example Social: webhook https:\/\/hooks\.example\.social\/halte\?v=1\nIt first receives the whole bank, then every change\./);
    const secret = SECRET_LINE.exec(run.stdout)?.[1] as string;
    expect(secret).toBeDefined();
    // the first command to need the key makes it, as halte serve would, and says to back it up
    expect(run.stderr).toMatch(/a new secret key was written to .*secret\.key\. Back it up now/);

    const row = await partnerRow('Example Social');
    expect(row.webhook_url).toBe('https://hooks.example.social/halte?v=1');
    expect(Buffer.from(row.webhook_secret_enc as Uint8Array).toString('latin1')).not.toContain(secret);
    const sealer = await serverSealer();
    expect(sealer.open<string>(new Uint8Array(row.webhook_secret_enc as Uint8Array))).toBe(secret);
    expect(readCursor(sealer, WEBHOOK_CURSOR, row.webhook_cursor as string).position).toEqual(FEED_START);

    expect((await halte('partner', 'list')).stdout).toContain('https://hooks.example.social/halte?v=1');
    const audit = await withDb((db) => db.selectFrom('audit_entry').select(['action', 'actor_kind', 'target_id', 'data']).where('action', 'like', 'partner.webhook%').orderBy('seq').execute());
    expect(audit).toEqual([{ action: 'partner.webhook_set', actor_kind: 'operator', target_id: String(row.id), data: { start: 'beginning', replaced: false } }]);
    expect(JSON.stringify(audit)).not.toContain('hooks.example.social');
  });

  it('setting it again gives a new secret and keeps the position; --from-now starts at the head', async () => {
    const before = await partnerRow('Example Social');
    const again = await halte('partner', 'webhook', 'Example Social', '--url', 'https://hooks2.example.social/halte');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('It continues from where the previous webhook was; the previous secret no longer works.');
    expect(again.stderr).toBe('');
    const after = await partnerRow('Example Social');
    expect(after.webhook_cursor).toBe(before.webhook_cursor);
    const sealer = await serverSealer();
    expect(sealer.open<string>(new Uint8Array(after.webhook_secret_enc as Uint8Array))).toBe(SECRET_LINE.exec(again.stdout)?.[1]);

    const now = await halte('partner', 'webhook', 'Example Social', '--url', 'https://hooks2.example.social/halte', '--from-now');
    expect(now.stdout).toContain('It receives the changes from now on');
  });

  it('prints the delivery log: the last 20 attempts, newest first', async () => {
    const empty = await halte('partner', 'webhook', 'Example Social', '--log');
    expect(empty).toEqual({ code: 0, stdout: 'Partner Example Social: webhook https://hooks2.example.social/halte\nNo deliveries yet.\n', stderr: '' });
    const { id } = await partnerRow('Example Social');
    await withDb(async (db) => {
      for (let i = 1; i <= 25; i++) {
        const failed = i % 5 === 0;
        await db
          .insertInto('webhook_delivery')
          .values({ partner_id: id, at: new Date(Date.UTC(2026, 10, 27, 9, 0, i)), attempt: failed ? 1 : 2, items: i, http_status: failed ? null : 200, duration_ms: 10 * i, error: failed ? 'timeout' : null })
          .execute();
      }
    });
    const log = await halte('partner', 'webhook', 'Example Social', '--log');
    expect(log.code).toBe(0);
    const lines = log.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Partner Example Social: webhook https://hooks2.example.social/halte');
    expect(lines[1]).toMatch(/^delivery\s+time \(UTC\)\s+attempt\s+items\s+status\s+ms\s+error$/);
    expect(lines).toHaveLength(22);
    expect(lines[2]).toMatch(/^25\s+2026-11-27 09:00:25\s+1\s+25\s+-\s+250\s+timeout$/);
    expect(lines[3]).toMatch(/^24\s+2026-11-27 09:00:24\s+2\s+24\s+200\s+240\s+-$/);
    expect(lines[21]).toMatch(/^6\s+2026-11-27 09:00:06\s/);
  });

  it('--off removes the URL, the secret and the position', async () => {
    const off = await halte('partner', 'webhook', 'Example Social', '--off');
    expect(off).toEqual({ code: 0, stdout: 'Partner Example Social: webhook removed; its secret no longer signs anything.\n', stderr: '' });
    expect(await partnerRow('Example Social')).toMatchObject({ webhook_url: null, webhook_secret_enc: null, webhook_cursor: null });
    const again = await halte('partner', 'webhook', 'Example Social', '--off');
    expect(again.stdout).toBe('Partner Example Social has no webhook.\n');
    expect((await halte('partner', 'webhook', 'Example Social', '--log')).stdout).toMatch(/^Partner Example Social: no webhook\n/);
    const actions = await withDb((db) => db.selectFrom('audit_entry').select('action').where('action', 'like', 'partner.webhook%').orderBy('seq').execute());
    expect(actions.map((a) => a.action)).toEqual(['partner.webhook_set', 'partner.webhook_set', 'partner.webhook_set', 'partner.webhook_removed']);
    // set again after --off: a new webhook, from the beginning
    const back = await halte('partner', 'webhook', 'Example Social', '--url', 'http://localhost:9000/hook');
    expect(back.stdout).toContain('It first receives the whole bank');
  });

  it.each([
    [['partner', 'webhook']],
    [['partner', 'webhook', 'Example Social']],
    [['partner', 'webhook', 'Example', 'Social', '--off']],
    [['partner', 'webhook', 'Example Social', '--url']],
    [['partner', 'webhook', 'Example Social', '--url', 'http://hooks.example.social/halte']],
    [['partner', 'webhook', 'Example Social', '--url', 'hooks.example.social']],
    [['partner', 'webhook', 'Example Social', '--url', `https://hooks.example.social/${'a'.repeat(2100)}`]],
    [['partner', 'webhook', 'Example Social', '--url', 'https://user:pw@hooks.example.social/']],
    [['partner', 'webhook', 'Example Social', '--url', 'https://hooks.example.social/', '--off']],
    [['partner', 'webhook', 'Example Social', '--off', '--log']],
    [['partner', 'webhook', 'Example Social', '--from-now']],
    [['partner', 'webhook', 'Example Social', '--off', '--from-now']],
    [['partner', 'webhook', 'Example Social', '--secret', 'x']],
  ])('refuses %j with exit code 2 and the usage', async (args) => {
    const run = await halte(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^halte partner: .+\n\nUsage: halte partner webhook NAME --url URL \[--from-now\]\n/);
  });

  it('says what is wrong with the partner: unknown, revoked, without the fetch scope (exit 1)', async () => {
    const unknown = await halte('partner', 'webhook', 'Nobody', '--log');
    expect([unknown.code, unknown.stderr]).toEqual([1, 'halte partner webhook: no partner is named "Nobody"\n']);
    const revoked = await halte('partner', 'webhook', 'Gone', '--url', 'https://hooks.example.org/');
    expect([revoked.code, revoked.stderr]).toEqual([1, 'halte partner webhook: this partner is revoked: add a new one\n']);
    const matcher = await halte('partner', 'webhook', 'Matcher', '--url', 'https://hooks.example.org/');
    expect(matcher.code).toBe(1);
    expect(matcher.stderr).toMatch(/^halte partner webhook: a webhook carries the feed: give this partner the fetch scope first/);
    expect(matcher.stdout).toBe('');
    expect((await partnerRow('Matcher')).webhook_url).toBeNull();
  });

  it('prints its help', async () => {
    const help = await halte('partner', 'webhook', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: halte partner webhook NAME --url URL \[--from-now\]/);
    expect((await halte('partner', '--help')).stdout).toContain('halte partner webhook NAME --off');
  });
});
