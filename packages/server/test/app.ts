// A real app on a fresh test database, with a throwaway secret key: what HTTP tests go through.
import { randomBytes } from 'node:crypto';

import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { deriveKeys } from '../src/crypto/keys.js';
import { Sealer } from '../src/crypto/sealed.js';
import type { HalteDatabase } from '../src/db/database.js';
import type { Jobs } from '../src/jobs/jobs.js';
import { createRootLogger, type Logger } from '../src/log/logger.js';
import { orient } from '../src/modules/orientation/rules.js';
import type { PasswordHashing } from '../src/modules/staff/passwords.js';
import { createTestDatabase, type Backend } from './database.js';

export interface TestApp {
  readonly app: ReturnType<typeof buildApp>;
  readonly database: HalteDatabase;
  readonly sealer: Sealer;
  close(): Promise<void>;
}

/** Fast argon2id for tests (production's are OWASP_ARGON2ID, checked in passwords.test.ts). */
export const TEST_PASSWORD_HASHING: PasswordHashing = { memoryCost: 256, timeCost: 1, parallelism: 1 };

export interface TestAppOptions {
  /** more HALTE_* settings (e.g. HALTE_PUBLIC_URL) */
  readonly env?: Readonly<Record<string, string>>;
  /** the staff module's clock (default: the real one) */
  readonly now?: () => Date;
  /** durable jobs for the routes that send some (an answer's e-mail), started on the test database; stopped at close */
  readonly jobs?: (database: HalteDatabase, sealer: Sealer) => Promise<Jobs>;
  /** how often the match index polls the bank (default: the server's 500 ms) */
  readonly bankPollMs?: number;
  /** an existing database to serve (two instances on one database); not closed by close() */
  readonly database?: HalteDatabase;
  /** the key that seals personal data (two instances on one database share it) */
  readonly sealer?: Sealer;
}

/** `logger`: where the app logs (default: nowhere). */
export async function createTestApp(backend: Backend, logger: Logger = createRootLogger({ level: 'silent' }), options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(backend));
  const sealer = options.sealer ?? (await Sealer.create(await deriveKeys(new Uint8Array(randomBytes(32)))));
  const staff = { passwordHashing: TEST_PASSWORD_HASHING, ...(options.now ? { now: options.now } : {}) };
  const jobs = options.jobs ? await options.jobs(database, sealer) : undefined;
  const app = buildApp(loadConfig({ HALTE_LOG_LEVEL: 'silent', HALTE_RATE_LIMIT_PER_MINUTE: '1000000', ...options.env }), {
    database,
    sealer,
    orient,
    logger,
    staff,
    ...(jobs ? { jobs } : {}),
    ...(options.bankPollMs !== undefined ? { bank: { pollMs: options.bankPollMs } } : {}),
  });
  return {
    app,
    database,
    sealer,
    close: async () => {
      await app.close();
      await jobs?.stop();
      if (!options.database) await database.close();
    },
  };
}
