// The clock of takedowns: every five minutes, links whose escalation deadline passed without a decision
// become `no_answer` (the due list shows them), and links due for a check get a `link.check` job. The
// check itself asks the host, through the SSRF-safe fetcher, whether the link still serves content; a
// link found gone is only *proposed* as removed: an analyst confirms.
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../db/schema/index.js';
import type { Jobs } from '../../jobs/jobs.js';
import { sweep } from '../../jobs/housekeeping.js';
import { defineQueue, type JobHandler } from '../../jobs/queue.js';
import type { Logger } from '../../log/logger.js';
import { CHECK_EVERY_HOURS } from './outbox.js';
import { PROBE_LIMITS, probeUrl, type ProbeOptions } from './safe-fetch.js';

export const LinkCheckJob = z.strictObject({ itemId: z.number().int().positive() });
export type LinkCheckJob = z.infer<typeof LinkCheckJob>;

export const LINK_CHECK = defineQueue<LinkCheckJob>({
  name: 'link.check',
  payload: LinkCheckJob,
  retry: { limit: 2, delaySeconds: 300, backoff: true },
  // the probe ends within its own time limit (10 s)
  expireInSeconds: 120,
  retentionDays: 2,
});

export const NOTICE_SWEEP = sweep('notice.sweep', '*/5 * * * *');

/** Links checked per sweep at most: the rest wait for the next one. */
const CHECKS_PER_SWEEP = 200;

export interface SweepDeps {
  readonly db: Kysely<Database>;
  readonly jobs: Pick<Jobs, 'send'>;
  readonly log: Logger;
  readonly now?: () => Date;
}

export async function sweepTakedowns(deps: SweepDeps): Promise<{ noAnswer: number; checks: number }> {
  const now = (deps.now ?? (() => new Date()))();
  const noAnswer = await deps.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('takedown')
      .set({ state: 'no_answer', state_at: now })
      .where('state', 'in', ['notice_sent', 'acknowledged'])
      .where('escalation_due_at', '<=', now)
      .returning(['item_id', 'case_id'])
      .execute();
    for (const m of moved) {
      await trx
        .insertInto('event')
        .values({ case_id: m.case_id, kind: 'takedown_moved', visible_to_person: false, actor: 'system', data: JSON.stringify({ links: [Number(m.item_id)], to: 'no_answer', reason: 'deadline' }) })
        .execute();
    }
    return moved.length;
  });
  const due = await deps.db
    .selectFrom('takedown as t')
    .innerJoin('case_item as i', 'i.id', 't.item_id')
    .select(['t.item_id', 't.next_check_at'])
    .where('t.next_check_at', '<=', now)
    .where('t.next_check_at', 'is not', null)
    .where('t.state', '!=', 'removed')
    .where('i.url', 'is not', null)
    .orderBy('t.next_check_at')
    .limit(CHECKS_PER_SWEEP)
    .execute();
  for (const d of due) {
    // one job per link and due date: a sweep that runs twice adds nothing
    await deps.jobs.send(LINK_CHECK, { itemId: Number(d.item_id) }, { key: `link-check:${d.item_id}:${d.next_check_at?.getTime() ?? 0}` });
  }
  if (noAnswer > 0 || due.length > 0) deps.log.info({ noAnswer, checks: due.length }, 'takedown sweep');
  return { noAnswer, checks: due.length };
}

export interface LinkCheckDeps {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  /** HALTE_LINK_CHECK_ALLOW_HOSTS: hosts reachable even on private addresses (tests' local server); empty in production */
  readonly allowHosts: readonly string[];
  readonly now?: () => Date;
  /** tests: a DNS of their own */
  readonly lookup?: ProbeOptions['lookup'];
}

export function linkCheckHandler(deps: LinkCheckDeps): JobHandler<LinkCheckJob> {
  return async ({ itemId }) => {
    const link = await deps.db
      .selectFrom('takedown as t')
      .innerJoin('case_item as i', 'i.id', 't.item_id')
      .innerJoin('case as c', 'c.id', 't.case_id')
      .select(['t.case_id', 't.state', 't.removal_proposed_at', 'i.url', 'c.involves_minor'])
      .where('t.item_id', '=', itemId)
      .executeTakeFirst();
    if (!link || link.url === null || link.state === 'removed') return;
    // a minor's link: the status only — not one byte of what it serves is read (decision 0019)
    const limits = link.involves_minor ? { ...PROBE_LIMITS, maxBytes: 0 } : PROBE_LIMITS;
    const result = await probeUrl(link.url, { limits, allowHosts: deps.allowHosts, ...(deps.lookup ? { lookup: deps.lookup } : {}) });
    const detail = 'code' in result ? result.code : String(result.status);
    const now = (deps.now ?? (() => new Date()))();
    await deps.db.transaction().execute(async (trx) => {
      const proposes = result.outcome === 'gone' && link.removal_proposed_at === null;
      await trx
        .updateTable('takedown')
        .set({
          checked_at: now,
          check_outcome: result.outcome,
          check_detail: detail,
          next_check_at: new Date(now.getTime() + CHECK_EVERY_HOURS * 3_600_000),
          ...(proposes ? { removal_proposed_at: now } : {}),
          // served again after a proposal: the proposal is withdrawn
          ...(result.outcome === 'serving' ? { removal_proposed_at: null } : {}),
        })
        .where('item_id', '=', itemId)
        .where('state', '!=', 'removed')
        .execute();
      await trx
        .insertInto('event')
        .values({ case_id: link.case_id, kind: 'link_checked', visible_to_person: false, actor: 'system', data: JSON.stringify({ links: [itemId], outcome: result.outcome, detail, proposesRemoval: proposes }) })
        .execute();
    });
    deps.log.info({ item: itemId, outcome: result.outcome, detail }, 'link checked');
  };
}

/** Runs the sweep's worker (cron) and the link checker. */
export async function workTakedowns(jobs: Jobs, deps: Omit<LinkCheckDeps, 'log'> & { log: Logger }): Promise<void> {
  await jobs.work(NOTICE_SWEEP, async () => {
    await sweepTakedowns({ db: deps.db, jobs, log: deps.log, ...(deps.now ? { now: deps.now } : {}) });
  });
  await jobs.work(LINK_CHECK, linkCheckHandler(deps), { concurrency: 2 });
}
