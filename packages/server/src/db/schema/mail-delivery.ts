import type { ColumnType } from 'kysely';

/**
 * One e-mail Halte sent or tried to send from a job, by its idempotency key. No address, no content:
 * the recipient is looked up (and unsealed) by the job at sending time.
 */
export interface MailDeliveryTable {
  /** the delivery's idempotency key, e.g. "followup-message:42" (ids only) */
  key: string;
  /**
   * sending: an attempt started and its outcome is unknown (the process stopped during it);
   * sent: the SMTP server accepted it (never sent again); failed: the last attempt was refused or
   * could not connect (it will be tried again); skipped: nothing to send (no address, no consent, withdrawn)
   */
  state: 'sending' | 'sent' | 'failed' | 'skipped';
  attempts: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  sent_at: Date | null;
}
