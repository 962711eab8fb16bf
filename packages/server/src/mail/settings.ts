// HALTE_SMTP_URL and HALTE_MAIL_FROM, parsed and checked (config/config.ts reads them; nothing else).
import { z } from 'zod';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** smtps://: TLS from the first byte (usually port 465) */
  readonly secure: boolean;
  /**
   * smtp://: refuse to send unless the server upgrades the connection with STARTTLS. The recipient's
   * address and the account's password travel on it. Off for a server on this machine (loopback) or
   * with `?starttls=optional` (an internal relay without TLS).
   */
  readonly requireTLS: boolean;
  /** from the URL's user:password (percent-decoded); never logged */
  readonly auth: { readonly user: string; readonly pass: string } | null;
}

export interface MailFrom {
  readonly name: string | null;
  readonly address: string;
}

/** The e-mail settings; null in Config when HALTE_SMTP_URL is not set (e-mail disabled). */
export interface MailConfig {
  readonly smtp: SmtpSettings;
  readonly from: MailFrom;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

const SMTP_URL_MESSAGE = 'must be smtp://[user:password@]host[:port][?starttls=optional] or smtps://[user:password@]host[:port]';

export const SmtpUrl = z
  .string()
  .max(2048)
  .transform((value, ctx): SmtpSettings => {
    const fail = (message = SMTP_URL_MESSAGE) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (/\s/.test(value) || !URL.canParse(value)) return fail();
    const url = new URL(value);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return fail();
    if (url.hostname === '' || (url.pathname !== '' && url.pathname !== '/') || url.hash !== '') return fail();
    const params = [...url.searchParams.entries()];
    if (params.some(([k, v]) => k !== 'starttls' || v !== 'optional') || (params.length > 0 && url.protocol === 'smtps:')) {
      return fail('the only option is ?starttls=optional, for smtp:// to a relay without TLS');
    }
    const secure = url.protocol === 'smtps:';
    const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
    if (!Number.isInteger(port) || port < 1) return fail('must name a port from 1 to 65535');
    let auth: SmtpSettings['auth'] = null;
    try {
      if (url.username !== '' || url.password !== '') auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
    } catch {
      return fail('the user name or password is not valid percent-encoding');
    }
    return { host: url.hostname, port, secure, requireTLS: !secure && !LOOPBACK.test(url.hostname) && params.length === 0, auth };
  });

const ADDRESS = /^[^\s<>@",;:()[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** `no-reply@example.org` or `Halte <no-reply@example.org>` (no line breaks, quotes or angle brackets in the name). */
export const MailFromSetting = z
  .string()
  .max(320)
  .transform((value, ctx): MailFrom => {
    const trimmed = value.trim();
    const named = /^([^<>"\r\n]{1,100}?)\s*<([^<>\s]+)>$/.exec(trimmed);
    const name = named ? (named[1] as string).trim() : null;
    const address = named ? (named[2] as string) : trimmed;
    if (!ADDRESS.test(address) || address.length > 254) {
      ctx.addIssue({ code: 'custom', message: 'must be an e-mail address, optionally with a name: Halte <no-reply@example.org>' });
      return z.NEVER;
    }
    return { name: name === '' ? null : name, address };
  });
