// Partner platforms and their API keys. A key is shown once, when it is made (`halte partner add` or
// `rotate`); only its SHA-256 is stored, found by a short prefix that is printed with it. A rotated key
// stops working at once; a revoked partner's every request is refused.
import { createHash, randomBytes } from 'node:crypto';

import { MAX_MATCH_DISTANCE, type PartnerScope } from '@halte/contract';
import type { Kysely } from 'kysely';

import { Sealer } from '../../crypto/sealed.js';
import type { Database } from '../../db/schema/index.js';
import { appendAudit, type AuditActor } from '../audit/log.js';

/** hk_<prefix>_<secret>: the prefix (10 base32 characters) finds the row, the secret is 256 random bits. */
const KEY = /^hk_([a-z2-7]{10})_([A-Za-z0-9_-]{43})$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
export const PARTNER_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

export interface Partner {
  readonly id: number;
  readonly name: string;
  readonly scopes: readonly PartnerScope[];
  readonly rateLimitPerMinute: number;
  readonly maxDistance: number;
  readonly showName: boolean;
}

export interface PartnerListing extends Partner {
  readonly keyPrefix: string;
  readonly webhookUrl: string | null;
  readonly createdAt: Date;
  readonly keyRotatedAt: Date | null;
  readonly revokedAt: Date | null;
}

export class PartnerError extends Error {
  override readonly name = 'PartnerError';
  constructor(
    readonly code: 'name_taken' | 'not_found' | 'revoked' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (value: string) => new Uint8Array(createHash('sha256').update(value).digest());

/**
 * Keys recently accepted, per database handle, for a few seconds: a match request at 500/s should not
 * cost a database round trip each. Any change to partners made through this handle clears it at once;
 * a change made by another process (the `halte partner` command) applies within CACHE_MS.
 */
const CACHE_MS = 5000;
const accepted = new WeakMap<Kysely<Database>, Map<string, { partner: Partner; until: number }>>();

function forgetKeys(db: Kysely<Database>): void {
  accepted.delete(db);
}

function newKey(): { key: string; prefix: string } {
  const bytes = randomBytes(10);
  const prefix = Array.from(bytes, (b) => BASE32[b & 31]).join('');
  return { key: `hk_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

export interface PartnerOptions {
  readonly scopes: readonly PartnerScope[];
  readonly rateLimitPerMinute?: number | undefined;
  readonly maxDistance?: number | undefined;
  readonly showName?: boolean | undefined;
}

function checkOptions(options: Partial<PartnerOptions>): void {
  if (options.scopes !== undefined && options.scopes.length === 0) throw new PartnerError('invalid', 'give at least one scope: fetch, match, feedback');
  const rate = options.rateLimitPerMinute;
  if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 1_000_000)) throw new PartnerError('invalid', 'the rate limit is 1 to 1,000,000 requests a minute');
  const distance = options.maxDistance;
  if (distance !== undefined && (!Number.isInteger(distance) || distance < 0 || distance > MAX_MATCH_DISTANCE)) {
    throw new PartnerError('invalid', `the maximum match distance is 0 to ${MAX_MATCH_DISTANCE}`);
  }
}

export async function addPartner(db: Kysely<Database>, name: string, options: PartnerOptions, actor: AuditActor): Promise<{ partner: PartnerListing; key: string }> {
  if (!PARTNER_NAME.test(name)) throw new PartnerError('invalid', 'a partner name is 1 to 63 letters, digits, spaces, dots, dashes or underscores');
  checkOptions(options);
  const { key, prefix } = newKey();
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('partner').select('id').where('name', '=', name).executeTakeFirst();
    if (taken) throw new PartnerError('name_taken', `a partner named "${name}" exists already`);
    const row = await trx
      .insertInto('partner')
      .values({
        name,
        scopes: [...new Set(options.scopes)],
        key_prefix: prefix,
        key_hash: sha256(key),
        ...(options.rateLimitPerMinute !== undefined ? { rate_limit_per_minute: options.rateLimitPerMinute } : {}),
        ...(options.maxDistance !== undefined ? { max_distance: options.maxDistance } : {}),
        ...(options.showName !== undefined ? { show_name: options.showName } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { actor, action: 'partner.added', target: { kind: 'partner', id: String(row.id) }, data: { scopes: options.scopes.join(',') } });
    return { partner: await getPartner(trx, row.id), key };
  });
}

const LISTING = ['id', 'name', 'scopes', 'rate_limit_per_minute', 'max_distance', 'show_name', 'key_prefix', 'webhook_url', 'created_at', 'key_rotated_at', 'revoked_at'] as const;

type ListingRow = Pick<Database['partner'], 'name' | 'scopes' | 'key_prefix' | 'webhook_url' | 'key_rotated_at' | 'revoked_at'> & {
  id: number;
  rate_limit_per_minute: number;
  max_distance: number;
  show_name: boolean;
  created_at: Date;
};

type PartnerRow = Pick<ListingRow, 'id' | 'name' | 'scopes' | 'rate_limit_per_minute' | 'max_distance' | 'show_name'>;

function partnerOfRow(row: PartnerRow): Partner {
  return {
    id: Number(row.id),
    name: row.name,
    scopes: row.scopes,
    rateLimitPerMinute: row.rate_limit_per_minute,
    maxDistance: row.max_distance,
    showName: row.show_name,
  };
}

function present(row: ListingRow): PartnerListing {
  return {
    ...partnerOfRow(row),
    keyPrefix: row.key_prefix,
    webhookUrl: row.webhook_url,
    createdAt: row.created_at,
    keyRotatedAt: row.key_rotated_at,
    revokedAt: row.revoked_at,
  };
}

export async function getPartner(db: Kysely<Database>, id: number): Promise<PartnerListing> {
  const row = await db.selectFrom('partner').select(LISTING).where('id', '=', id).executeTakeFirst();
  if (!row) throw new PartnerError('not_found', `no partner ${id}`);
  return present(row);
}

export async function partnerIdByName(db: Kysely<Database>, name: string): Promise<number> {
  const row = await db.selectFrom('partner').select('id').where('name', '=', name).executeTakeFirst();
  if (!row) throw new PartnerError('not_found', `no partner is named "${name}"`);
  return Number(row.id);
}

export async function listPartners(db: Kysely<Database>): Promise<PartnerListing[]> {
  const rows = await db.selectFrom('partner').select(LISTING).orderBy('id').execute();
  return rows.map(present);
}

/** A new key for the partner; the old one stops working now. */
export async function rotateKey(db: Kysely<Database>, id: number, actor: AuditActor, now = new Date()): Promise<{ partner: PartnerListing; key: string }> {
  const { key, prefix } = newKey();
  forgetKeys(db);
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('partner').select('revoked_at').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new PartnerError('not_found', `no partner ${id}`);
    if (current.revoked_at) throw new PartnerError('revoked', 'this partner is revoked: add a new one');
    await trx.updateTable('partner').set({ key_prefix: prefix, key_hash: sha256(key), key_rotated_at: now }).where('id', '=', id).execute();
    await appendAudit(trx, { actor, action: 'partner.key_rotated', target: { kind: 'partner', id: String(id) }, data: {} }, now);
    return { partner: await getPartner(trx, id), key };
  });
}

/** Every request with the partner's key is refused from now on; its acknowledgements stay counted. */
export async function revokePartner(db: Kysely<Database>, id: number, actor: AuditActor, now = new Date()): Promise<PartnerListing> {
  forgetKeys(db);
  return db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('partner').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (updated.numUpdatedRows === 0n) await getPartner(trx, id); // not found → throws; already revoked → unchanged
    else await appendAudit(trx, { actor, action: 'partner.revoked', target: { kind: 'partner', id: String(id) }, data: {} }, now);
    return getPartner(trx, id);
  });
}

/** Changes scopes, limits or naming; only what is given. */
export async function updatePartner(db: Kysely<Database>, id: number, options: Partial<PartnerOptions>, actor: AuditActor): Promise<PartnerListing> {
  checkOptions(options);
  forgetKeys(db);
  return db.transaction().execute(async (trx) => {
    await getPartner(trx, id);
    const set = {
      ...(options.scopes !== undefined ? { scopes: [...new Set(options.scopes)] } : {}),
      ...(options.rateLimitPerMinute !== undefined ? { rate_limit_per_minute: options.rateLimitPerMinute } : {}),
      ...(options.maxDistance !== undefined ? { max_distance: options.maxDistance } : {}),
      ...(options.showName !== undefined ? { show_name: options.showName } : {}),
    };
    if (Object.keys(set).length > 0) await trx.updateTable('partner').set(set).where('id', '=', id).execute();
    await appendAudit(trx, {
      actor,
      action: 'partner.changed',
      target: { kind: 'partner', id: String(id) },
      data: { changed: Object.keys(set) },
    });
    return getPartner(trx, id);
  });
}

/** The partner a key belongs to, or null (malformed, unknown, rotated away or revoked). */
export async function authenticate(db: Kysely<Database>, key: string, now = Date.now()): Promise<Partner | null> {
  const m = KEY.exec(key);
  if (!m) return null;
  const hash = sha256(key);
  const cacheKey = Buffer.from(hash).toString('base64');
  const cached = accepted.get(db)?.get(cacheKey);
  if (cached && cached.until > now) return cached.partner;
  const row = await db
    .selectFrom('partner')
    .select(['id', 'name', 'scopes', 'key_hash', 'rate_limit_per_minute', 'max_distance', 'show_name', 'revoked_at'])
    .where('key_prefix', '=', m[1] as string)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || !Sealer.equal(new Uint8Array(row.key_hash), hash)) return null;
  const partner = partnerOfRow(row);
  let cache = accepted.get(db);
  if (cache === undefined) accepted.set(db, (cache = new Map()));
  if (cache.size > 1000) cache.clear(); // keys are few; this bounds a flood of distinct valid ones
  cache.set(cacheKey, { partner, until: now + CACHE_MS });
  return partner;
}
