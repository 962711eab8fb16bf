// Halte's logs: one pino root per process and a named child per subsystem ({"name":"db"}, …), so an
// operator can filter by part of the system. The people who use Halte must not be traceable through
// the logs: call sites log ids of nothing personal and counts; the redaction below is the second line
// should a request, a case or a contact ever reach a log line by mistake.
import { pino, type DestinationStream, type Logger } from 'pino';

import type { LogLevel } from '../config/config.js';

export type { Logger } from 'pino';

/** The subsystems that log. Each log line carries its subsystem as `name`. */
export const SUBSYSTEMS = ['http', 'db', 'serve', 'reports', 'followup', 'staff', 'cases', 'jobs', 'mail', 'bank', 'notices', 'chat'] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];

/** Keys whose values never leave in clear, at any depth the redaction reaches. */
const PERSONAL_KEYS = ['contact', 'summary', 'pin', 'body', 'email', 'phone', 'postalCode', 'ip', 'ips', 'remoteAddress', 'headers', 'cookie', 'url', 'reference'];
/** Staff credentials: never in a log line either. */
const SECRET_KEYS = ['password', 'token', 'csrfToken', 'secret', 'otpauthUri', 'enrolmentUrl'];

const REDACT_PATHS = [
  'req.headers',
  'req.body',
  'req.ip',
  'req.ips',
  'req.remoteAddress',
  'req.url',
  ...PERSONAL_KEYS,
  ...PERSONAL_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go (default: stdout). Tests pass a stream to read what was written. */
  readonly destination?: DestinationStream;
}

/** The process's root logger. Use `subsystemLogger` for what a subsystem writes. */
export function createRootLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        // A request is its method and route pattern (/api/reports), never its URL, address or headers.
        req: (req: { method?: string; routeOptions?: { url?: string | undefined } }) => ({ method: req.method, route: req.routeOptions?.url }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        // An error is its type, code and message; stacks only at debug level and below.
        err: (err: { name?: string; code?: string; message?: string; stack?: string }) => ({
          type: err.name,
          code: err.code,
          message: err.message,
          ...(pino.levels.values[options.level] !== undefined && (pino.levels.values[options.level] as number) <= 20 ? { stack: err.stack } : {}),
        }),
      },
    },
    options.destination,
  );
}

export function subsystemLogger(root: Logger, name: Subsystem): Logger {
  return root.child({ name });
}
