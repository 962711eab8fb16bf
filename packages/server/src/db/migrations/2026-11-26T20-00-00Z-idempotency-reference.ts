// Frozen: never edit a migration that has shipped; add a new one.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The stored answer holds the case's PIN: withdrawal must be able to delete it.
  await db.schema.alterTable('idempotency_key').addColumn('reference', 'text').execute();
  // withdrawal deletes the records of its case
  await db.schema.createIndex('idempotency_key_reference').on('idempotency_key').column('reference').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('idempotency_key').dropColumn('reference').execute();
}
