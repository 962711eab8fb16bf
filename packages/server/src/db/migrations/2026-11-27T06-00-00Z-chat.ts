// Frozen: never edit a migration that has shipped; add a new one.
// Live chat (issue 8, decision 0020): a chat per person (a random token, only its hash kept; no IP
// address, no account), its messages (sealed, numbered without gaps per chat so that a reconnecting
// browser resumes from its last number), and the counsellors' availability and caps.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // SHA-256 of the person's token (32 random bytes): the token itself is only in their browser tab
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('waiting').check(sql`state in ('waiting', 'active', 'ended', 'left_message')`))
    // the three questions
    .addColumn('situation', 'text', (c) => c.notNull())
    .addColumn('age_group', 'text', (c) => c.notNull().check(sql`age_group in ('minor', 'adult')`))
    .addColumn('in_danger', 'boolean', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull().check(sql`country in ('FR', 'BE', 'other')`))
    // the department or province only (never the postal code): it picks the follow-up team
    .addColumn('area', 'text')
    .addColumn('team_id', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    // the contract's RiskReason list, updated when the person's words raise it
    .addColumn('reasons', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('waiting_since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('counsellor_id', 'bigint', (c) => c.references('staff.id'))
    .addColumn('taken_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    // the last message's number (messages are 1, 2, 3 … in this chat)
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    // graded controls on abuse (contract CHAT_CONTROLS)
    .addColumn('control', 'text', (c) => c.notNull().defaultTo('none').check(sql`control in ('none', 'slow_down', 'muted', 'blocked')`))
    .addColumn('control_until', 'timestamptz')
    // a chat started from a case's follow-up; the transcript joins the case only with the person's consent
    .addColumn('case_id', 'bigint', (c) => c.references('case.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // the queue: waiting chats (ordered in memory by the contract's compareQueued, risk and ageing)
  await sql`create index chat_waiting on chat (waiting_since) where state = 'waiting'`.execute(db);
  // a counsellor's live chats (the cap)
  await sql`create index chat_counsellor_active on chat (counsellor_id) where state = 'active'`.execute(db);

  await db.schema
    .createTable('chat_message')
    .addColumn('chat_id', 'bigint', (c) => c.notNull().references('chat.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull().check(sql`author in ('person', 'counsellor', 'system')`))
    .addColumn('staff_id', 'bigint', (c) => c.references('staff.id'))
    // secretbox of the text
    .addColumn('body_enc', 'bytea', (c) => c.notNull())
    // the browser's id of a message: sent again after a reconnection, it is stored once
    .addColumn('client_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('chat_message_pk', ['chat_id', 'seq'])
    .execute();
  await sql`create unique index chat_message_client on chat_message (chat_id, client_id) where client_id is not null`.execute(db);

  await db.schema
    .createTable('counsellor_status')
    .addColumn('staff_id', 'bigint', (c) => c.primaryKey().references('staff.id').onDelete('cascade'))
    .addColumn('on_duty', 'boolean', (c) => c.notNull().defaultTo(false))
    // simultaneous chats at most (crisis services cap a counsellor's load)
    .addColumn('max_chats', 'integer', (c) => c.notNull().defaultTo(2).check(sql`max_chats between 1 and 10`))
    .addColumn('on_duty_since', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('counsellor_status').execute();
  await db.schema.dropTable('chat_message').execute();
  await db.schema.dropTable('chat').execute();
}
