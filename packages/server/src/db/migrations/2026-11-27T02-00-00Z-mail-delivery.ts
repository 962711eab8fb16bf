// Frozen: never edit a migration that has shipped; add a new one.
// E-mail sent from durable jobs: one row per delivery (its idempotency key), so that a job retried
// after "the SMTP server accepted it" does not send the e-mail twice (decision 0016). And the indexes
// the retention sweeps need.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mail_delivery')
    // the delivery's idempotency key (e.g. "followup-message:42"): ids only, never an address
    .addColumn('key', 'text', (c) => c.primaryKey().check(sql`length(key) between 1 and 200`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('sending', 'sent', 'failed', 'skipped')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  // the retention sweep deletes deliveries by age
  await db.schema.createIndex('mail_delivery_created_at').on('mail_delivery').column('created_at').execute();

  // the retention sweep deletes expired follow-up sessions (login also deletes them, without an index until now)
  await db.schema.createIndex('followup_session_expires_at').on('followup_session').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('followup_session_expires_at').execute();
  await db.schema.dropTable('mail_delivery').execute();
}
