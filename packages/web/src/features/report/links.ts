// Reading the link a person pastes: spaces trimmed, "https://" added when they copied an address
// without it, then checked with the contract's own rule for a report's URL item.
import { MAX_URL_CHARS, UrlItem } from '@halte/contract';

import type { MessageKey } from '../../i18n/catalogues';

export type LinkResult = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly problem: MessageKey };

export function readLink(input: string): LinkResult {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'report.links.invalid' };
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  if (url.length > MAX_URL_CHARS) return { ok: false, problem: 'report.links.tooLong' };
  if (!UrlItem.safeParse({ kind: 'url', url }).success) return { ok: false, problem: 'report.links.invalid' };
  // A page on the web has a dotted host name ("exemple.com"): "mailto:x" or "hello" are not links.
  // "mailto:x@y.z" with https:// in front reads as user "mailto" at y.z: a page link has no user part.
  const { hostname, username, password } = new URL(url);
  if (!hostname.includes('.') || hostname.endsWith('.') || username !== '' || password !== '') return { ok: false, problem: 'report.links.invalid' };
  return { ok: true, url };
}
