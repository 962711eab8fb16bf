// A notice worker in its own process, for the crash test (notices/crash.test.ts): the server's real
// notice handler, from the build, with test timings (job expiry and lease of 2 s, maintenance every
// second) so that a killed worker's job comes back in seconds rather than minutes. It works until the
// watched notice is settled, prints "SETTLED <state>", and exits.
import { Buffer } from 'node:buffer';
import { setTimeout } from 'node:timers';

import { deriveKeys } from '../dist/crypto/keys.js';
import { Sealer } from '../dist/crypto/sealed.js';
import { openDatabase } from '../dist/db/database.js';
import { Jobs } from '../dist/jobs/jobs.js';
import { createRootLogger, subsystemLogger } from '../dist/log/logger.js';
import { createMailer } from '../dist/mail/mailer.js';
import { NOTICE_SEND, noticeSendHandler } from '../dist/modules/notices/outbox.js';

const env = process.env;
const target = JSON.parse(env.CRASH_DATABASE);
const noticeId = Number(env.CRASH_NOTICE_ID);
const database = await openDatabase(target);
const sealer = await Sealer.create(await deriveKeys(new Uint8Array(Buffer.from(env.CRASH_SECRET_KEY, 'base64'))));
const root = createRootLogger({ level: 'silent' });
const mailer = createMailer({
  smtp: { host: '127.0.0.1', port: Number(env.CRASH_SMTP_PORT), secure: false, requireTLS: false, auth: null },
  from: { name: 'Halte', address: 'signalements@halte.example.org' },
});
const QUEUE = { ...NOTICE_SEND, expireInSeconds: 2, retry: { limit: 5, delaySeconds: 0, backoff: false } };
const jobs = new Jobs(database, { logger: subsystemLogger(root, 'jobs'), pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, schedule: false, stopTimeoutMs: 2000 });
await jobs.start([QUEUE]);
await jobs.work(QUEUE, noticeSendHandler({ db: database.db, sealer, mailer, log: subsystemLogger(root, 'notices'), leaseSeconds: 2 }));
process.stdout.write('WORKING\n');
for (;;) {
  const row = await database.db.selectFrom('notice').select('state').where('id', '=', noticeId).executeTakeFirstOrThrow();
  if (row.state !== 'queued' && row.state !== 'sending') {
    await jobs.stop();
    mailer.close();
    await database.close();
    process.stdout.write(`SETTLED ${row.state}\n`);
    process.exit(0);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
