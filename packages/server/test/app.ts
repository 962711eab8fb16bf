// A real app on a fresh test database, with a throwaway secret key: what HTTP tests go through.
import { randomBytes } from 'node:crypto';

import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { deriveKeys } from '../src/crypto/keys.js';
import { Sealer } from '../src/crypto/sealed.js';
import type { HalteDatabase } from '../src/db/database.js';
import { createRootLogger, type Logger } from '../src/log/logger.js';
import { orient } from '../src/modules/orientation/rules.js';
import { createTestDatabase, type Backend } from './database.js';

export interface TestApp {
  readonly app: ReturnType<typeof buildApp>;
  readonly database: HalteDatabase;
  readonly sealer: Sealer;
  close(): Promise<void>;
}

/** `logger`: where the app logs (default: nowhere). */
export async function createTestApp(backend: Backend, logger: Logger = createRootLogger({ level: 'silent' })): Promise<TestApp> {
  const database = await createTestDatabase(backend);
  const sealer = await Sealer.create(await deriveKeys(new Uint8Array(randomBytes(32))));
  const app = buildApp(loadConfig({ HALTE_LOG_LEVEL: 'silent', HALTE_RATE_LIMIT_PER_MINUTE: '1000000' }), { database, sealer, orient, logger });
  return {
    app,
    database,
    sealer,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
