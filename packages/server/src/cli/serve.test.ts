import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

// Runs the built command as `npm start` does (`npm test` builds first), on a fresh data directory.
const BIN = join(fileURLToPath(new URL('../../../../', import.meta.url)), 'bin/halte.js');
const dataDir = mkdtempSync(join(tmpdir(), 'halte-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, HALTE_DATA_DIR: dataDir, HALTE_LOG_LEVEL: 'silent' };
  delete base['HALTE_DATABASE_URL'];
  return { ...base, ...extra };
}

describe('halte serve and halte migrate on the embedded database', () => {
  it('migrates a new data directory, then finds it up to date', () => {
    const first = spawnSync(process.execPath, [BIN, 'migrate'], { env: env({}), encoding: 'utf8' });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Applied: 2026-11-26T18-00-00Z-initial, 2026-11-26T19-00-00Z-followup/);
    expect(first.stdout).toContain('Job queues created.');
    const again = spawnSync(process.execPath, [BIN, 'migrate'], { env: env({}), encoding: 'utf8' });
    expect(again.stdout).toMatch(/up to date/);
  });

  it('serves /api/health, keeps other commands off its database, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], { env: env({ HALTE_PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not listening: ${out} ${err}`)), 60_000);
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
    });
    const res = await fetch(`${address}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { kind: 'pglite', pendingMigrations: 0 } });

    const blocked = spawnSync(process.execPath, [BIN, 'migrate'], { env: env({}), encoding: 'utf8' });
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toMatch(/in use by "halte serve" \(process \d+/);

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('stopping (SIGTERM)');
    // the lock went with the server
    expect(spawnSync(process.execPath, [BIN, 'migrate'], { env: env({}), encoding: 'utf8' }).status).toBe(0);
  });

  it('refuses a bad configuration with exit code 78 and says what is wrong', () => {
    const run = spawnSync(process.execPath, [BIN, 'serve'], { env: env({ HALTE_PORT: 'eighty' }), encoding: 'utf8' });
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/HALTE_PORT: must be a port number/);
    const mail = spawnSync(process.execPath, [BIN, 'serve'], { env: env({ HALTE_SMTP_URL: 'smtp://user:hunter22@mail.example.org' }), encoding: 'utf8' });
    expect(mail.status).toBe(78);
    expect(mail.stderr).toMatch(/HALTE_MAIL_FROM: required when HALTE_SMTP_URL is set/);
    expect(mail.stderr).not.toContain('hunter22');
  });

  it('with --no-migrate, will not serve a database whose job queues are not installed', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'halte-serve-'));
    try {
      const run = spawnSync(process.execPath, [BIN, 'serve', '--no-migrate'], { env: env({ HALTE_DATA_DIR: fresh, HALTE_PORT: '0' }), encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/job tables are missing.*run "halte migrate"/);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
