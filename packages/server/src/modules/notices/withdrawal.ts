// What a withdrawal does to takedowns: notices not sent yet are cancelled (a job that finds one
// cancelled sends nothing), the texts of every notice and the hosts' replies are erased (they name the
// links), and the links are no longer checked. What already reached a host cannot be called back; the
// states stay, without anything that names the person or the links.
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';

export async function forgetTakedowns(trx: Kysely<Database>, caseId: number, now: Date): Promise<void> {
  await trx
    .updateTable('notice')
    .set({ state: 'cancelled', updated_at: now })
    .where('case_id', '=', caseId)
    .where('state', 'in', ['queued', 'to_submit', 'failed'])
    .execute();
  // a notice being sent right now keeps its state: its job finds no content and the case withdrawn
  await trx.updateTable('notice').set({ content_enc: null }).where('case_id', '=', caseId).execute();
  await trx.deleteFrom('host_reply').where('case_id', '=', caseId).execute();
  await trx.updateTable('takedown').set({ next_check_at: null, removal_proposed_at: null }).where('case_id', '=', caseId).execute();
}
