// Frozen: never edit a migration that has shipped; add a new one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Back-off and lockout of the follow-up login, per case (per client lives in memory).
  await db.schema
    .alterTable('case')
    .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pin_locked_until', 'timestamptz')
    .execute();

  await db.schema
    .createTable('followup_session')
    .addColumn('token_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // withdrawal ends every session of a case
  await db.schema.createIndex('followup_session_case_id').on('followup_session').column('case_id').execute();

  await db.schema
    .createTable('message')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id').onDelete('cascade'))
    .addColumn('author', 'text', (c) => c.notNull().check(sql`author in ('person', 'staff')`))
    .addColumn('body_enc', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // a case's conversation, in order
  await db.schema.createIndex('message_case_id_id').on('message').columns(['case_id', 'id']).execute();

  // A withdrawn item keeps only its fingerprint, so partners learn to delete it (tombstone).
  await db.schema.alterTable('case_item').addColumn('withdrawn_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_item').dropColumn('withdrawn_at').execute();
  await db.schema.dropTable('message').execute();
  await db.schema.dropTable('followup_session').execute();
  await db.schema.alterTable('case').dropColumn('pin_locked_until').dropColumn('pin_failures').execute();
}
