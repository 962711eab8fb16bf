// pg-boss runs its SQL through `db.executeSql(text, values)`. These adapters make it use the app's own
// database instead of a pool of its own:
// - on PGlite there is ONE connection: pg-boss's statements must take turns with Kysely's in the same
//   queue (the dialect's), or one of them would land inside another's transaction. Kysely's
//   `connection()` holds that queue while the statement runs, on the PGlite instance itself.
// - pg-boss sends its schema changes and maintenance as one string of several statements wrapped in
//   BEGIN … COMMIT, without parameters. PostgreSQL's extended protocol (PGlite's `query`) takes one
//   statement: those go through the simple protocol (PGlite's `exec`; node-postgres does the same when a
//   query has no parameters). If such a string fails half-way, the connection is left inside an aborted
//   transaction: it is rolled back here before the connection is given back.
// - a job sent inside the caller's transaction uses that transaction's connection, so the job commits
//   or rolls back with the caller's rows.
import { CompiledQuery, type Kysely } from 'kysely';

import type { HalteDatabase } from '../db/database.js';
import type { Database } from '../db/schema/index.js';

/** pg-boss's `db` option. */
export interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface DatabaseBossDb extends BossDb {
  /** Resolves once no statement issued through this adapter is running (or the deadline passes: false). */
  drain(deadline: number): Promise<boolean>;
}

const opensTransaction = (text: string) => /\bbegin\b/i.test(text);

/** The adapter over the app's database; it counts its statements in flight, so a stop can wait for them. */
export function databaseBossDb(database: HalteDatabase): DatabaseBossDb {
  const inFlight = new Set<Promise<unknown>>();
  const pglite = database.pglite;
  const run = async (text: string, values: unknown[] | undefined): Promise<{ rows: unknown[] }> => {
    const simple = values === undefined || values.length === 0;
    return database.db.connection().execute(async (connection) => {
      try {
        if (pglite) {
          if (simple) return { rows: (await pglite.exec(text)).at(-1)?.rows ?? [] };
          return { rows: (await pglite.query(text, values)).rows };
        }
        return { rows: (await connection.executeQuery(CompiledQuery.raw(text, values ?? []))).rows };
      } catch (error) {
        if (simple && opensTransaction(text)) {
          await (pglite ? pglite.exec('rollback') : connection.executeQuery(CompiledQuery.raw('rollback'))).catch(() => undefined);
        }
        throw error;
      }
    });
  };
  return {
    // Not async: the statement must be counted before pg-boss's caller moves on (it completes jobs
    // without awaiting them).
    executeSql(text, values) {
      const running = run(text, values);
      inFlight.add(running);
      const forget = () => inFlight.delete(running);
      running.then(forget, forget);
      return running;
    },
    async drain(deadline) {
      for (;;) {
        if (inFlight.size === 0) {
          // statements issued by what just settled (a completion after a handler) are issued within a tick
          await new Promise((resolve) => setImmediate(resolve));
          if (inFlight.size === 0) return true;
        }
        const left = deadline - Date.now();
        if (left <= 0) return false;
        await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, left).unref())]);
      }
    },
  };
}

/** The adapter over a caller's transaction (or any Kysely instance): single statements with parameters. */
export function transactionBossDb(trx: Kysely<Database>): BossDb {
  return {
    async executeSql(text, values) {
      return { rows: (await trx.executeQuery(CompiledQuery.raw(text, values ?? []))).rows };
    },
  };
}
