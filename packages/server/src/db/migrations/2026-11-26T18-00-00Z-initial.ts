// Frozen: never edit a migration that has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('pin_hash', 'bytea', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new').check(sql`status in ('new', 'in_progress', 'closed', 'withdrawn')`))
    .addColumn('situations', sql`text[]`, (c) => c.notNull())
    .addColumn('age_group', 'text', (c) => c.notNull().check(sql`age_group in ('minor', 'adult')`))
    .addColumn('made_when_minor', 'boolean', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull().check(sql`country in ('FR', 'BE', 'other')`))
    .addColumn('postal_code', 'text')
    .addColumn('immediate_danger', 'boolean', (c) => c.notNull())
    .addColumn('summary_enc', 'bytea')
    .addColumn('contact_enc', 'bytea')
    .addColumn('consent_share_with_partners', 'boolean', (c) => c.notNull())
    .addColumn('consent_contact_me', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('withdrawn_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('case_item')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('image', 'video', 'url')`))
    .addColumn('pdq', 'text')
    .addColumn('quality', 'integer')
    .addColumn('low_quality', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('md5', 'text')
    .addColumn('sha256', 'text')
    .addColumn('vpdq', 'jsonb')
    .addColumn('url', 'text')
    .addColumn('host', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // the case view and the follow-up list a case's items
  await db.schema.createIndex('case_item_case_id').on('case_item').column('case_id').execute();

  await db.schema
    .createTable('event')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('visible_to_person', 'boolean', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // the timeline of a case, in order
  await db.schema.createIndex('event_case_id_id').on('event').columns(['case_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_key')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'bytea', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response_enc', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_key_pk', ['scope', 'key'])
    .execute();
  // expiry sweeps delete old keys by age
  await db.schema.createIndex('idempotency_key_created_at').on('idempotency_key').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_key', 'event', 'case_item', 'case']) await db.schema.dropTable(table).execute();
}
