// Frozen: never edit a migration that has shipped; add a new one.
// Staff accounts, their one-time enrolment links and sessions, and the hash-chained audit log
// (decisions 0014 and 0015).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // unique: logins look an account up by its address (the constraint's index serves them)
    .addColumn('email', 'text', (c) => c.notNull().unique().check(sql`email = lower(email) and length(email) between 3 and 254`))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('analyst', 'supervisor', 'admin')`))
    .addColumn('child_safety', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret_enc', 'bytea')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('enrolled_at', 'timestamptz')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // an active account has both factors
    .addCheckConstraint('staff_enrolled_has_factors', sql`enrolled_at is null or (password_hash is not null and totp_secret_enc is not null)`)
    .execute();

  await db.schema
    .createTable('staff_enrolment')
    .addColumn('token_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('password_set_at', 'timestamptz')
    .addColumn('failed_codes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'timestamptz')
    .execute();
  // a reset or a disable deletes the account's pending links
  await db.schema.createIndex('staff_enrolment_staff_id').on('staff_enrolment').column('staff_id').execute();

  await db.schema
    .createTable('staff_session')
    .addColumn('token_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('csrf_hash', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // logout everywhere, disable and reset end every session of an account; logins sweep its stale ones
  await db.schema.createIndex('staff_session_staff_id').on('staff_session').column('staff_id').execute();

  await db.schema
    .createTable('audit_entry')
    // assigned by the appender (previous + 1, under a lock): an identity column could leave gaps
    .addColumn('seq', 'bigint', (c) => c.primaryKey().check(sql`seq >= 1`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('staff', 'operator', 'anonymous', 'system')`))
    // no foreign key: the log outlives what it names, and no cascade may ever touch it
    .addColumn('actor_id', 'bigint')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text')
    .addColumn('target_id', 'text')
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('prev_hash', 'bytea', (c) => c.notNull().check(sql`length(prev_hash) = 32`))
    .addColumn('hash', 'bytea', (c) => c.notNull().check(sql`length(hash) = 32`))
    .execute();
  // (paging newest first and finding the chain's head use the primary key)

  // Append-only for everyone but someone who deliberately disables the trigger (the table's owner): the
  // hash chain is what detects that (`halte audit verify`).
  await sql`create function halte_audit_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit log is append-only' using errcode = 'insufficient_privilege';
    end
  $$`.execute(db);
  await sql`create trigger audit_entry_no_update before update or delete on audit_entry
    for each row execute function halte_audit_append_only()`.execute(db);
  await sql`create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function halte_audit_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_entry').execute();
  await sql`drop function halte_audit_append_only()`.execute(db);
  for (const table of ['staff_session', 'staff_enrolment', 'staff']) await db.schema.dropTable(table).execute();
}
