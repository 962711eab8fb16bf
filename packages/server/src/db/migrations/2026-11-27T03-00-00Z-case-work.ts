// Frozen: never edit a migration that has shipped; add a new one.
// Staff case work (issue 5, decision 0017): the full workflow, assignment, the priority the queue sorts
// by, the person's language, qualification, hash review, internal notes, settings.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // new → triaged → in_progress → waiting → closed; withdrawn (contract: CASE_STATUSES)
  await sql`alter table "case" drop constraint case_status_check`.execute(db);
  await sql`alter table "case" add constraint case_status_check
    check (status in ('new', 'triaged', 'in_progress', 'waiting', 'closed', 'withdrawn'))`.execute(db);

  await db.schema
    .alterTable('case')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('fr').check(sql`language in ('fr', 'en')`))
    .addColumn('assignee_id', 'bigint', (c) => c.references('staff.id'))
    .addColumn('assigned_at', 'timestamptz')
    // a sextortion deadline the blackmailer gave (set by an analyst)
    .addColumn('deadline_at', 'timestamptz')
    .addColumn('first_answered_at', 'timestamptz')
    .addColumn('last_answered_at', 'timestamptz')
    // the oldest message from the person not answered yet, and how many there are
    .addColumn('person_waiting_since', 'timestamptz')
    .addColumn('unanswered_messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('offence_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('qualified_at', 'timestamptz')
    .addColumn('qualified_by', 'bigint', (c) => c.references('staff.id'))
    .addColumn('involves_minor', 'boolean', (c) => c.generatedAlwaysAs(sql`age_group = 'minor' or made_when_minor`).stored())
    // the instant the queue sorts by: set by the trigger below (contract: PRIORITY, urgencyAt)
    .addColumn('urgency_at', 'timestamptz')
    .execute();

  // The priority formula of @halte/contract `urgencyAt`, as the database computes it on every insert and
  // update, so that no write path can forget it (cases.test.ts checks both agree).
  await sql`create function halte_case_urgency() returns trigger language plpgsql as $$
    declare
      boost interval := make_interval(hours =>
        (case when new.immediate_danger then 72 else 0 end)
        + (case when new.age_group = 'minor' or new.made_when_minor then 24 else 0 end)
        + (case when 'sextortion' = any(new.situations) then 12 else 0 end));
      since timestamptz;
    begin
      since := case
        when new.last_answered_at is null then new.created_at
        when new.person_waiting_since is not null then new.person_waiting_since
        else new.last_answered_at + interval '7 days'
      end;
      new.urgency_at := least(since - boost, new.deadline_at - interval '96 hours');
      return new;
    end
  $$`.execute(db);
  await sql`create trigger case_urgency before insert or update on "case"
    for each row execute function halte_case_urgency()`.execute(db);
  await sql`update "case" set updated_at = updated_at`.execute(db);
  await sql`alter table "case" alter column urgency_at set not null`.execute(db);

  // The queue: open cases, most urgent first (GET /api/staff/cases, first page and the next ones).
  await sql`create index case_queue on "case" (urgency_at, id)
    where status in ('new', 'triaged', 'in_progress', 'waiting')`.execute(db);
  // "my cases" and the filter by an account, in queue order.
  await sql`create index case_assignee_queue on "case" (assignee_id, urgency_at, id)
    where status in ('new', 'triaged', 'in_progress', 'waiting')`.execute(db);
  // unassigned cases in queue order (a btree cannot give `is null` rows of the index above in
  // urgency order: the planner would walk case_queue and discard the assigned ones)
  await sql`create index case_unassigned_queue on "case" (urgency_at, id)
    where status in ('new', 'triaged', 'in_progress', 'waiting') and assignee_id is null`.execute(db);

  await db.schema
    .alterTable('case_item')
    .addColumn('review', 'text', (c) => c.notNull().defaultTo('self_submitted').check(sql`review in ('self_submitted', 'analyst_verified', 'rejected')`))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('reviewed_by', 'bigint', (c) => c.references('staff.id'))
    .execute();

  // who on the team wrote a message (null: the person)
  await db.schema.alterTable('message').addColumn('staff_id', 'bigint', (c) => c.references('staff.id')).execute();

  // Internal notes: staff only, never shown to the person; sealed like messages.
  await db.schema
    .createTable('case_note')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id').onDelete('cascade'))
    .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id'))
    .addColumn('body_enc', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // a case's notes, in order (the case view)
  await db.schema.createIndex('case_note_case_id_id').on('case_note').columns(['case_id', 'id']).execute();

  // Settings an admin changes at run time (key → JSON value).
  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'bigint', (c) => c.references('staff.id'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('setting').execute();
  await db.schema.dropTable('case_note').execute();
  await db.schema.alterTable('message').dropColumn('staff_id').execute();
  await db.schema.alterTable('case_item').dropColumn('review').dropColumn('reviewed_at').dropColumn('reviewed_by').execute();
  await sql`drop trigger case_urgency on "case"`.execute(db);
  await sql`drop function halte_case_urgency()`.execute(db);
  for (const column of [
    'urgency_at', 'involves_minor', 'qualified_by', 'qualified_at', 'offence_ids', 'unanswered_messages', 'person_waiting_since',
    'last_answered_at', 'first_answered_at', 'deadline_at', 'assigned_at', 'assignee_id', 'language',
  ]) {
    await db.schema.alterTable('case').dropColumn(column).execute();
  }
  await sql`alter table "case" drop constraint case_status_check`.execute(db);
  await sql`alter table "case" add constraint case_status_check check (status in ('new', 'in_progress', 'closed', 'withdrawn'))`.execute(db);
}
