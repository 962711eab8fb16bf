// Turning a help service's contact, as the data words it ("0800 12 800 (taper 1)", "https://www.3018.fr
// (tchat)", "116000@childfocus.org", "Application « Urgence 114 »"), into something to tap.
import type { ServiceChannel } from '@halte/contract';

export interface ContactLink {
  /** null: nothing to tap (an app to install, a place to go); the text is shown as is */
  readonly href: string | null;
  readonly text: string;
  /** a web page of another site (opened in a new tab, without Referer) */
  readonly external: boolean;
  readonly kind: ServiceChannel['kind'] | 'email';
}

const URL_PATTERN = /https?:\/\/[^\s)»,;]+/i;
const EMAIL_PATTERN = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
/** A number at the start: digits, spaces, dots, an optional leading +. */
const NUMBER_PATTERN = /^\+?\d[\d .]*\d|^\d/;

export function contactLink(channel: ServiceChannel): ContactLink {
  const text = channel.contact.trim();
  const url = URL_PATTERN.exec(text)?.[0]?.replace(/[.]+$/, '');
  if (url !== undefined) return { href: url, text, external: true, kind: channel.kind };
  const email = EMAIL_PATTERN.exec(text)?.[0];
  if (email !== undefined) return { href: `mailto:${email}`, text, external: false, kind: 'email' };
  if (channel.kind === 'phone' || channel.kind === 'sms') {
    const number = NUMBER_PATTERN.exec(text)?.[0];
    if (number !== undefined) {
      const digits = number.replace(/[ .]/g, '');
      return { href: `${channel.kind === 'sms' ? 'sms' : 'tel'}:${digits}`, text, external: false, kind: channel.kind };
    }
  }
  return { href: null, text, external: false, kind: channel.kind };
}
