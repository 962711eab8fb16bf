// Frozen: never edit a migration that has shipped; add a new one.
// Takedown notices (issue 7, decision 0019): the host directory admins edit, one `takedown` per reported
// link (its state until removal), the notices sent about them (the notice row is also the e-mail's
// outbox entry), and the hosts' replies. Notice texts and replies name links: sealed, like every text
// of a case.
import { sql, type Kysely } from 'kysely';

const TAKEDOWN_STATES = sql`('reported', 'notice_sent', 'acknowledged', 'removed', 'refused', 'no_answer', 'escalated')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('host_directory')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // registrable domains, or full host names that take precedence over them (drive.google.com)
    .addColumn('domains', sql`text[]`, (c) => c.notNull())
    // [{kind, target, note?}] in order of preference
    .addColumn('channels', 'jsonb', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('regulator', 'text')
    .addColumn('adult', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'date', (c) => c.notNull())
    .addColumn('confidence', 'text', (c) => c.notNull().check(sql`confidence in ('confirmed', 'unconfirmed')`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // null: written by the seed (modules/notices/hosts.json), not by an admin
    .addColumn('updated_by', 'bigint', (c) => c.references('staff.id'))
    .execute();

  await db.schema
    .createTable('takedown')
    .addColumn('item_id', 'bigint', (c) => c.primaryKey().references('case_item.id').onDelete('cascade'))
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('reported').check(sql`state in ${TAKEDOWN_STATES}`))
    .addColumn('state_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // when the first notice about it left; the deadlines count from there
    .addColumn('notice_sent_at', 'timestamptz')
    .addColumn('reminder_due_at', 'timestamptz')
    .addColumn('escalation_due_at', 'timestamptz')
    .addColumn('reminders_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalated_to', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // the link checker: its last finding, and when it looks again
    .addColumn('checked_at', 'timestamptz')
    .addColumn('check_outcome', 'text', (c) => c.check(sql`check_outcome in ('serving', 'gone', 'refused', 'unknown')`))
    .addColumn('check_detail', 'text')
    .addColumn('next_check_at', 'timestamptz')
    // a check found it gone: an analyst confirms or dismisses
    .addColumn('removal_proposed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // the case's links (case view)
  await sql`create index takedown_case on takedown (case_id)`.execute(db);
  // the deadline sweep: links waiting for an answer whose escalation deadline passed
  await sql`create index takedown_escalation_due on takedown (escalation_due_at) where state in ('notice_sent', 'acknowledged')`.execute(db);
  // the due list: reminders not sent yet
  await sql`create index takedown_reminder_due on takedown (reminder_due_at) where state = 'notice_sent' and reminders_sent = 0`.execute(db);
  // the link checker's next round
  await sql`create index takedown_next_check on takedown (next_check_at) where next_check_at is not null`.execute(db);
  // the due list: links nobody has notified yet (unknown hosts among them), and proposals to confirm
  await sql`create index takedown_reported on takedown (created_at) where state = 'reported'`.execute(db);
  await sql`create index takedown_removal_proposed on takedown (removal_proposed_at) where removal_proposed_at is not null`.execute(db);

  // every reported link gets its takedown row, whichever path inserted it (report, follow-up, import)
  await sql`create function halte_takedown_for_link() returns trigger language plpgsql as $$
    begin
      if new.kind = 'url' then
        insert into takedown (item_id, case_id) values (new.id, new.case_id) on conflict do nothing;
      end if;
      return null;
    end
  $$`.execute(db);
  await sql`create trigger case_item_takedown after insert on case_item for each row execute function halte_takedown_for_link()`.execute(db);
  await sql`insert into takedown (item_id, case_id, created_at) select id, case_id, created_at from case_item where kind = 'url' on conflict do nothing`.execute(db);

  await db.schema
    .createTable('notice')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('notice', 'reminder', 'escalation')`))
    // a host of the directory, or (escalations) an authority or trusted flagger
    .addColumn('host_id', 'text', (c) => c.references('host_directory.id'))
    .addColumn('escalation_target', 'text')
    // an escalation made beside a notice because the content involves a minor (PHAROS, Child Focus…):
    // it does not move the links' state, as a deliberate escalation does
    .addColumn('routing', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('channel', 'text', (c) => c.check(sql`channel in ('dsa_form', 'email', 'trusted_flagger')`))
    // where it goes: an e-mail address or a form's URL (the host's, not the person's)
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('item_ids', sql`bigint[]`, (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('involves_minor', 'boolean', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('queued', 'sending', 'sent', 'uncertain', 'failed', 'to_submit', 'submitted', 'cancelled')`),
    )
    // secretbox of {subject, text}: it names the links; null once the case is withdrawn
    .addColumn('content_enc', 'bytea')
    // the e-mail's Message-ID, fixed when the notice is made: every attempt and the analyst's check use it
    .addColumn('message_id', 'text', (c) => c.unique())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    // state 'sending' until then: another worker waits; after it, the outcome is unknown (uncertain)
    .addColumn('lease_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_by', 'bigint', (c) => c.references('staff.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('notice_addressee', sql`(host_id is null) <> (escalation_target is null)`)
    .execute();
  await sql`create index notice_case on notice (case_id)`.execute(db);
  // the due list: notices waiting for an analyst (a form to submit, an outcome to check, a failure)
  await sql`create index notice_waiting on notice (updated_at) where state in ('to_submit', 'uncertain', 'failed')`.execute(db);

  await db.schema
    .createTable('host_reply')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id').onDelete('cascade'))
    .addColumn('item_ids', sql`bigint[]`, (c) => c.notNull())
    // secretbox of the reply's text, pasted by the analyst
    .addColumn('body_enc', 'bytea', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('added_by', 'bigint', (c) => c.references('staff.id'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index host_reply_case on host_reply (case_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('host_reply').execute();
  await db.schema.dropTable('notice').execute();
  await sql`drop trigger case_item_takedown on case_item`.execute(db);
  await sql`drop function halte_takedown_for_link()`.execute(db);
  await db.schema.dropTable('takedown').execute();
  await db.schema.dropTable('host_directory').execute();
}
