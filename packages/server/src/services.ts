// What the server runs on, built once at start from the configuration: the database, the key that
// seals personal data, and the orientation rules.
import type { Config } from './config/config.js';
import { deriveKeys, loadSecretKey } from './crypto/keys.js';
import { Sealer } from './crypto/sealed.js';
import type { HalteDatabase } from './db/database.js';
import type { Logger } from './log/logger.js';
import { orient } from './modules/orientation/rules.js';
import type { AppServices } from './app.js';

export async function createServices(
  config: Config,
  database: HalteDatabase,
  logger: Logger,
): Promise<{ services: AppServices; generatedKeyFile: string | null }> {
  const { key, generatedAt } = loadSecretKey({ fromEnv: config.secretKey, dataDir: config.dataDir });
  const sealer = await Sealer.create(await deriveKeys(key));
  return { services: { database, sealer, orient, logger }, generatedKeyFile: generatedAt };
}
