// SKELETON — to be written (issue 6): the in-memory match index of this server instance.
import type { MatchItem, MatchResponse } from '@halte/contract';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import type { Logger } from '../../log/logger.js';

export class IndexNotReadyError extends Error {
  override readonly name = 'IndexNotReadyError';
}

export interface BankMatcherOptions {
  readonly log: Logger;
  /** how often the bank's change feed is polled, ms (default 500) */
  readonly pollMs?: number;
  /** called when a hash matches abnormally often (the caller suspends it) */
  readonly onAbnormal?: (hashId: number) => Promise<unknown>;
}

export class BankMatcher {
  constructor(
    readonly db: Kysely<Database>,
    readonly options: BankMatcherOptions,
  ) {}

  get ready(): boolean {
    return false;
  }

  /** Hashes (signals) in the index now. */
  get size(): number {
    return 0;
  }

  /** Starts loading the bank (returns at once) and keeps the index fresh until stop(). */
  start(): void {}

  async stop(): Promise<void> {}

  /** Matches for each item; throws IndexNotReadyError until the bank is loaded. */
  match(_items: readonly MatchItem[], _maxDistance: number): MatchResponse['results'] {
    throw new IndexNotReadyError('the match index is loading');
  }
}
