// Frozen: never edit a migration that has shipped; add a new one.
// The hash bank and its partners (issue 6, decision 0018): what platforms fetch, match against and
// report on. A bank row is one signal of a reported item (or of an imported file), kept in step with
// the item, its case and the sharing setting by the triggers below, so that no write path can forget
// to share, withdraw or hold a fingerprint.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('partner')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull().check(sql`scopes <@ array['fetch', 'match', 'feedback']::text[]`))
    // the key's first characters, printed with it: finds the row without scanning (the key itself is not stored)
    .addColumn('key_prefix', 'text', (c) => c.notNull().unique())
    // SHA-256 of the whole key: 256 random bits need no slow hash
    .addColumn('key_hash', 'bytea', (c) => c.notNull())
    .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull().defaultTo(6000).check(sql`rate_limit_per_minute between 1 and 1000000`))
    .addColumn('max_distance', 'integer', (c) => c.notNull().defaultTo(31).check(sql`max_distance between 0 and 31`))
    // the partner agrees to be named to the person ("a re-upload was blocked on <partner>")
    .addColumn('show_name', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('webhook_url', 'text')
    // secretbox of the webhook's HMAC secret
    .addColumn('webhook_secret_enc', 'bytea')
    // the feed position the webhook has delivered up to (a signed cursor)
    .addColumn('webhook_cursor', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('key_rotated_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('bank_hash')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // the reported item it comes from; null for an imported hash (and if a case is ever deleted)
    .addColumn('item_id', 'bigint', (c) => c.references('case_item.id').onDelete('set null'))
    .addColumn('signal_type', 'text', (c) => c.notNull().check(sql`signal_type in ('pdq', 'vpdq', 'md5', 'sha256')`))
    // lower-case hex (pdq, md5, sha256); null for vpdq, whose frames are in `frames`
    .addColumn('value', 'text')
    .addColumn('frames', 'jsonb')
    .addColumn('quality', 'integer')
    // the video a vpdq, md5 or sha256 row belongs to, so a partner can group them
    .addColumn('video_id', 'bigint')
    .addColumn('provenance', 'text', (c) => c.notNull().check(sql`provenance in ('analyst_verified', 'self_submitted')`))
    // active: shared; withdrawn: not shared (withdrawn, rejected, no consent, waiting for review)
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('active', 'withdrawn')`))
    // was ever active: only such rows are in the feed (a tombstone only for what partners could have)
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(false))
    // suspended from the feed and from matching until an analyst reviews it
    .addColumn('quarantined_at', 'timestamptz')
    .addColumn('quarantine_reason', 'text', (c) => c.check(sql`quarantine_reason in ('false_positive', 'abnormal_matches', 'abnormal_feedback')`))
    // the writing transaction: the feed's order (see bank/feed.ts)
    .addColumn('change_xid', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('bank_hash_value', sql`(signal_type = 'vpdq') = (value is null) and (signal_type = 'vpdq') = (frames is not null)`)
    .execute();
  await sql`create unique index bank_hash_item_signal on bank_hash (item_id, signal_type) where item_id is not null`.execute(db);
  // the feed and every instance's index refresh: changes in commit-safe order
  await sql`create index bank_hash_feed on bank_hash (change_xid, id) where published`.execute(db);
  // feedback by value (StopNCII face), imports without duplicates
  await sql`create index bank_hash_value on bank_hash (value) where value is not null`.execute(db);
  await sql`create index bank_hash_quarantine on bank_hash (quarantined_at) where quarantined_at is not null`.execute(db);
  // the StopNCII face starts from a timestamp
  await sql`create index bank_hash_updated on bank_hash (updated_at) where published`.execute(db);

  // What an item's signals should be, written where they differ: change_xid moves only on a real change.
  await sql`create function halte_bank_sync(p_items bigint[]) returns void language plpgsql as $$
    declare
      share_unreviewed boolean := coalesce((select value = 'true'::jsonb from setting where key = 'shareSelfSubmittedBeforeReview'), true);
    begin
      insert into bank_hash as b (item_id, signal_type, value, frames, quality, video_id, provenance, state, published)
      select i.id, s.signal_type, s.value, s.frames, s.quality,
        case when i.kind = 'video' then i.id end,
        case when i.review = 'analyst_verified' then 'analyst_verified' else 'self_submitted' end,
        w.state, w.state = 'active'
      from case_item i
      join "case" c on c.id = i.case_id
      cross join lateral (values
        ('pdq', lower(i.pdq), null::jsonb, i.quality),
        ('md5', lower(i.md5), null::jsonb, null::integer),
        ('sha256', lower(i.sha256), null::jsonb, null::integer),
        ('vpdq', null::text, i.vpdq, null::integer)
      ) as s(signal_type, value, frames, quality)
      cross join lateral (select case
        when i.withdrawn_at is null and c.status <> 'withdrawn' and c.consent_share_with_partners
          and i.review <> 'rejected' and (i.review = 'analyst_verified' or share_unreviewed)
        then 'active' else 'withdrawn' end as state) as w
      where i.id = any(p_items) and i.kind in ('image', 'video')
        and (s.value is not null or (s.signal_type = 'vpdq' and s.frames is not null))
      on conflict (item_id, signal_type) where item_id is not null do update
        set provenance = excluded.provenance, state = excluded.state,
            published = b.published or excluded.published,
            change_xid = pg_current_xact_id(), updated_at = now()
        where (b.provenance, b.state) is distinct from (excluded.provenance, excluded.state);
    end
  $$`.execute(db);

  await sql`create function halte_bank_items_added() returns trigger language plpgsql as $$
    begin
      perform halte_bank_sync(array(select id from added));
      return null;
    end
  $$`.execute(db);
  await sql`create trigger case_item_bank_insert after insert on case_item
    referencing new table as added for each statement execute function halte_bank_items_added()`.execute(db);

  await sql`create function halte_bank_item_changed() returns trigger language plpgsql as $$
    begin
      perform halte_bank_sync(array[new.id]);
      return null;
    end
  $$`.execute(db);
  await sql`create trigger case_item_bank_update after update of review, withdrawn_at on case_item
    for each row when (old.review is distinct from new.review or old.withdrawn_at is distinct from new.withdrawn_at)
    execute function halte_bank_item_changed()`.execute(db);

  await sql`create function halte_bank_case_changed() returns trigger language plpgsql as $$
    begin
      perform halte_bank_sync(array(select id from case_item where case_id = new.id));
      return null;
    end
  $$`.execute(db);
  await sql`create trigger case_bank_update after update of status, consent_share_with_partners on "case"
    for each row when ((old.status = 'withdrawn') is distinct from (new.status = 'withdrawn')
      or old.consent_share_with_partners is distinct from new.consent_share_with_partners)
    execute function halte_bank_case_changed()`.execute(db);

  await sql`create function halte_bank_setting_changed() returns trigger language plpgsql as $$
    begin
      perform halte_bank_sync(array(select id from case_item where review = 'self_submitted'));
      return null;
    end
  $$`.execute(db);
  await sql`create trigger setting_bank_update after insert or update on setting
    for each row when (new.key = 'shareSelfSubmittedBeforeReview')
    execute function halte_bank_setting_changed()`.execute(db);

  // what was reported before this migration
  await sql`select halte_bank_sync(array(select id from case_item))`.execute(db);

  await db.schema
    .createTable('bank_ack')
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partner.id').onDelete('cascade'))
    .addColumn('hash_id', 'bigint', (c) => c.notNull().references('bank_hash.id').onDelete('cascade'))
    .addColumn('acked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('bank_ack_pk', ['hash_id', 'partner_id'])
    .execute();

  await db.schema
    .createTable('bank_feedback')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partner.id').onDelete('cascade'))
    .addColumn('hash_id', 'bigint', (c) => c.notNull().references('bank_hash.id').onDelete('cascade'))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('blocked', 'removed', 'not_blocked', 'false_positive')`))
    .addColumn('count', 'integer', (c) => c.notNull())
    // secretbox of where the re-upload was: it can name the person
    .addColumn('url_enc', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('bank_feedback_hash').on('bank_feedback').columns(['hash_id', 'created_at']).execute();

  // hashes a platform sent through the StopNCII face's SubmitHashes: kept for analysts, never shared as such
  await db.schema
    .createTable('partner_submission')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partner.id').onDelete('cascade'))
    .addColumn('signal_type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('feedback', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('webhook_delivery')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partner.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    // the receiver's answer; null when it could not be reached
    .addColumn('http_status', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    // a short code (timeout, connection_refused, http_500 …): never the receiver's body
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('webhook_delivery_partner').on('webhook_delivery').columns(['partner_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['webhook_delivery', 'partner_submission', 'bank_feedback', 'bank_ack']) await db.schema.dropTable(table).execute();
  await sql`drop trigger setting_bank_update on setting`.execute(db);
  await sql`drop trigger case_bank_update on "case"`.execute(db);
  await sql`drop trigger case_item_bank_update on case_item`.execute(db);
  await sql`drop trigger case_item_bank_insert on case_item`.execute(db);
  for (const fn of ['halte_bank_setting_changed', 'halte_bank_case_changed', 'halte_bank_item_changed', 'halte_bank_items_added']) {
    await sql.raw(`drop function ${fn}()`).execute(db);
  }
  await sql`drop function halte_bank_sync(bigint[])`.execute(db);
  await db.schema.dropTable('bank_hash').execute();
  await db.schema.dropTable('partner').execute();
}
