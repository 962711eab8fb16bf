import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runHalte, withEmbeddedDb } from '../../test/cli.js';
import type { HalteDatabase } from '../db/database.js';
import { authenticate } from '../modules/bank/partners.js';

const dataDir = mkdtempSync(join(tmpdir(), 'halte-partner-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const halte = (...args: string[]) => runHalte(dataDir, args);
const KEY_LINE = /\n(hk_[a-z2-7]{10}_[A-Za-z0-9_-]{43})\n$/;

const withDb = <T>(work: (db: HalteDatabase['db']) => Promise<T>) => withEmbeddedDb(dataDir, work);

describe('halte partner', () => {
  beforeAll(async () => {
    expect((await halte('migrate')).code).toBe(0);
  });

  it('adds a partner and prints its key once; only a hash of it is stored', async () => {
    const run = await halte('partner', 'add', 'Example Social', '--scopes', 'fetch,match', '--max-distance', '24', '--rate-limit', '1200');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Partner Example Social \(id 1\): scopes fetch,match, 1200\/min, max distance 24, name hidden\.\n/);
    const key = KEY_LINE.exec(run.stdout)?.[1] as string;
    expect(key).toBeDefined();
    const partner = await withDb((db) => authenticate(db, key));
    expect(partner).toMatchObject({ name: 'Example Social', scopes: ['fetch', 'match'], maxDistance: 24, rateLimitPerMinute: 1200, showName: false });
    const stored = await withDb((db) => db.selectFrom('partner').select(['key_prefix', 'key_hash']).executeTakeFirstOrThrow());
    expect(key.startsWith(`hk_${stored.key_prefix}_`)).toBe(true);
    expect(Buffer.from(stored.key_hash).toString()).not.toContain(key.slice(14));

    const list = await halte('partner', 'list');
    expect(list.stdout).toMatch(/^id\s+name\s+key\s+scopes/);
    expect(list.stdout).toContain(`hk_${stored.key_prefix}_…`);
    expect(list.stdout).not.toContain(key);
  });

  it('changes, rotates and revokes', async () => {
    const add = await halte('partner', 'add', 'Rotated', '--scopes', 'fetch');
    const first = KEY_LINE.exec(add.stdout)?.[1] as string;
    const set = await halte('partner', 'set', 'Rotated', '--scopes', 'fetch,feedback', '--show-name');
    expect(set.stdout).toContain('scopes fetch,feedback');
    expect(set.stdout).toContain('name shown');
    const rotate = await halte('partner', 'rotate', 'Rotated');
    expect(rotate.code).toBe(0);
    const second = KEY_LINE.exec(rotate.stdout)?.[1] as string;
    expect(second).not.toBe(first);
    expect(await withDb((db) => authenticate(db, first))).toBeNull();
    expect(await withDb((db) => authenticate(db, second))).toMatchObject({ name: 'Rotated', showName: true });
    expect((await halte('partner', 'revoke', 'Rotated')).code).toBe(0);
    expect(await withDb((db) => authenticate(db, second))).toBeNull();
    const again = await halte('partner', 'rotate', 'Rotated');
    expect([again.code, again.stderr]).toEqual([1, 'halte partner rotate: this partner is revoked: add a new one\n']);
    expect((await halte('partner', 'list')).stdout).toMatch(/Rotated .* revoked \d{4}-\d{2}-\d{2}/);
  });

  it('refuses bad arguments with exit 2 before opening the database, and unknown partners with exit 1', async () => {
    for (const args of [
      ['partner'],
      ['partner', 'add', 'X'],
      ['partner', 'add', 'X', '--scopes', 'fetch,delete'],
      ['partner', 'add', 'X', '--scopes', ''],
      ['partner', 'add', 'X', '--scopes', 'fetch', '--max-distance', '32'],
      ['partner', 'add', 'X', '--scopes', 'fetch', '--rate-limit', '0'],
      ['partner', 'add', 'X', 'Y', '--scopes', 'fetch'],
      ['partner', 'add', '--scopes', 'fetch'],
      ['partner', 'set', 'X', '--show-name', '--hide-name'],
      ['partner', 'frobnicate'],
      ['partner', 'list', '--bogus'],
    ]) {
      const run = await halte(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^halte partner: /);
    }
    const dup = await halte('partner', 'add', 'Example Social', '--scopes', 'fetch');
    expect([dup.code, dup.stderr]).toEqual([1, 'halte partner add: a partner named "Example Social" exists already\n']);
    const badName = await halte('partner', 'add', '<script>', '--scopes', 'fetch');
    expect(badName.code).toBe(1);
    const unknown = await halte('partner', 'revoke', 'Nobody');
    expect([unknown.code, unknown.stderr]).toEqual([1, 'halte partner revoke: no partner is named "Nobody"\n']);
    expect((await halte('partner', '--help')).code).toBe(0);
  });
});
