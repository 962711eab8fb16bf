// The SMTP client (nodemailer). One per process, built from the configuration; when e-mail is not
// configured, sending fails with MAIL_DISABLED, a retryable job error, and nothing else is affected.
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

import { JobError } from '../jobs/queue.js';
import type { MailConfig, MailFrom } from './settings.js';

export interface OutgoingMail {
  readonly to: string;
  /** a copy for the sender's own records (the notices mailbox): how an analyst checks an uncertain sending */
  readonly bcc?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<…@domain>`: the same for every attempt of one delivery, so a receiving system can drop a repeat */
  readonly messageId: string;
  readonly language: string;
}

export interface Mailer {
  /** false: HALTE_SMTP_URL is not set */
  readonly enabled: boolean;
  readonly from: MailFrom | null;
  /** Resolves once the SMTP server accepted the message (250 after DATA); throws otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export class MailDisabledError extends JobError {
  override readonly name = 'MailDisabledError';

  constructor() {
    super('MAIL_DISABLED', 'e-mail is disabled: set HALTE_SMTP_URL and HALTE_MAIL_FROM, then the job is retried');
  }
}

/**
 * The SMTP server did not take the message. Only nodemailer's code and the SMTP reply code are kept: the
 * reply's text often quotes the recipient's address.
 */
export class MailDeliveryError extends JobError {
  override readonly name = 'MailDeliveryError';
  readonly responseCode: number | undefined;
  /** the system error under nodemailer's code (ECONNREFUSED, ENOTFOUND…): says whether anything left */
  readonly systemCode: string | undefined;

  constructor(cause: unknown) {
    const e = (cause ?? {}) as { code?: unknown; responseCode?: unknown; originalCode?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'ESEND';
    const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
    super(code, `the SMTP server did not accept the message (${code}${responseCode === undefined ? '' : `, reply ${responseCode}`})`);
    this.responseCode = responseCode;
    this.systemCode = typeof e.originalCode === 'string' && /^E[A-Z_]+$/.test(e.originalCode) ? e.originalCode : undefined;
  }

  /**
   * Whether the message certainly did not reach the server: it refused it (a reply code), or no
   * connection was ever made. Otherwise (a timeout, a connection cut mid-way) it may have been taken.
   */
  get certainlyNotDelivered(): boolean {
    if (this.responseCode !== undefined) return true;
    if (['EDNS', 'EAUTH', 'ETLS', 'EENVELOPE', 'EMESSAGE', 'EREQUIRETLS'].includes(this.code)) return true;
    return this.systemCode !== undefined && ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(this.systemCode);
  }
}

/** Seconds an SMTP exchange may take at most: it must end well within a mail job's expiry. */
export const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 } as const;

export function createMailer(config: MailConfig | null): Mailer {
  if (config === null) {
    return {
      enabled: false,
      from: null,
      send: () => Promise.reject(new MailDisabledError()),
      close: () => undefined,
    };
  }
  const { smtp, from } = config;
  const options: SMTPTransport.Options = {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    ...(smtp.auth ? { auth: { user: smtp.auth.user, pass: smtp.auth.pass } } : {}),
    ...SMTP_TIMEOUTS,
    // nodemailer may not read files or fetch URLs named in a message: ours never do
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  };
  const transport = nodemailer.createTransport(options);
  return {
    enabled: true,
    from,
    async send(mail) {
      try {
        await transport.sendMail({
          from: from.name ? { name: from.name, address: from.address } : from.address,
          to: mail.to,
          ...(mail.bcc === undefined ? {} : { bcc: mail.bcc }),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': mail.language },
        });
      } catch (error) {
        throw new MailDeliveryError(error);
      }
    },
    close: () => transport.close(),
  };
}
