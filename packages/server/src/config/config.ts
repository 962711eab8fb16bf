// Configuration: read once from the environment at boot, validated, then passed down. Nothing else in
// the server reads process.env.
import { resolve } from 'node:path';

import { z } from 'zod';

import type { DatabaseTarget } from '../db/database.js';
import { MailFromSetting, SmtpUrl, type MailConfig } from '../mail/settings.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const EnvSchema = z.object({
  HALTE_PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number (0 picks a free port)')
    .transform(Number)
    .refine((n) => n <= 65535, 'must be at most 65535')
    .default(8080),
  HALTE_HOST: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or an IP address')
    .default('127.0.0.1'),
  HALTE_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  HALTE_DATA_DIR: z.string().min(1).max(4096).default('./data'),
  HALTE_DATABASE_URL: z
    .string()
    .max(4096)
    .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  HALTE_SECRET_KEY: z.string().max(200).optional(),
  HALTE_RATE_LIMIT_PER_MINUTE: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number of requests')
    .transform(Number)
    .refine((n) => n >= 1, 'must be at least 1')
    .default(300),
  HALTE_PUBLIC_URL: z
    .string()
    .max(2048)
    .refine(isPublicUrl, 'must be the http(s):// address people use to reach Halte, without query, fragment or credentials')
    .transform((v) => v.replace(/\/+$/, ''))
    .default('http://localhost:8080'),
  /** smtp:// or smtps://, may hold a password: never logged, never echoed in an error */
  HALTE_SMTP_URL: SmtpUrl.optional(),
  HALTE_MAIL_FROM: MailFromSetting.optional(),
  /**
   * Host names or IP addresses the link checker may reach even on loopback or private addresses
   * (comma-separated). Empty in production: it exists so tests reach their local server (SSRF, decision 0019).
   */
  HALTE_LINK_CHECK_ALLOW_HOSTS: z
    .string()
    .max(2000)
    .transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== ''))
    .pipe(z.array(z.string().regex(/^[a-z0-9.:\-[\]]{1,253}$/, 'host names or IP addresses, comma-separated')).max(20))
    .default([]),
});

function isPublicUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '' && url.search === '' && url.hash === '' && !/\s/.test(value);
}

export interface Config {
  /** TCP port to listen on; 0 = any free port. */
  readonly port: number;
  /** Interface to listen on; 127.0.0.1 unless deployed behind a proxy that needs 0.0.0.0. */
  readonly host: string;
  readonly logLevel: LogLevel;
  /** Where the embedded database (and, later, the key file) live. Absolute. */
  readonly dataDir: string;
  /** The database: embedded PGlite in dataDir, or a PostgreSQL server. Never logged (it may hold a password). */
  readonly database: DatabaseTarget;
  /** base64 of the 32-byte master key, or undefined: a key file in dataDir is used (made on first run). Never logged. */
  readonly secretKey: string | undefined;
  /** Requests one client may make per minute (kept in memory, per process). */
  readonly rateLimitPerMinute: number;
  /**
   * The address people use to reach Halte (no trailing slash), for links Halte hands out (staff
   * enrolment). When it is https, staff cookies are Secure even behind a TLS-terminating proxy.
   */
  readonly publicUrl: string;
  /** E-mail (SMTP server and sender), or null: HALTE_SMTP_URL not set, e-mail disabled. Never logged. */
  readonly mail: MailConfig | null;
  /** Hosts the link checker may reach on private addresses (tests only; empty in production). */
  readonly linkCheckAllowHosts: readonly string[];
}

/** Invalid settings, each named with what it must be; the server does not start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>, cwd = '.'): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('HALTE_') && v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const smtp = parsed.data.HALTE_SMTP_URL;
  if (smtp !== undefined) {
    const missing = [
      ...(parsed.data.HALTE_MAIL_FROM === undefined ? ['HALTE_MAIL_FROM: required when HALTE_SMTP_URL is set (the sender of e-mails, e.g. Halte <no-reply@example.org>)'] : []),
      ...(present['HALTE_PUBLIC_URL'] === undefined ? ['HALTE_PUBLIC_URL: required when HALTE_SMTP_URL is set (e-mails link to the follow-up page under it)'] : []),
    ];
    if (missing.length > 0) throw new ConfigError(missing);
  }
  const dataDir = resolve(cwd, parsed.data.HALTE_DATA_DIR);
  const url = parsed.data.HALTE_DATABASE_URL;
  return {
    port: parsed.data.HALTE_PORT,
    host: parsed.data.HALTE_HOST,
    logLevel: parsed.data.HALTE_LOG_LEVEL,
    dataDir,
    database: url === undefined ? { kind: 'pglite', dataDir } : { kind: 'postgres', url },
    secretKey: parsed.data.HALTE_SECRET_KEY,
    rateLimitPerMinute: parsed.data.HALTE_RATE_LIMIT_PER_MINUTE,
    publicUrl: parsed.data.HALTE_PUBLIC_URL,
    mail: smtp === undefined || parsed.data.HALTE_MAIL_FROM === undefined ? null : { smtp, from: parsed.data.HALTE_MAIL_FROM },
    linkCheckAllowHosts: parsed.data.HALTE_LINK_CHECK_ALLOW_HOSTS,
  };
}
