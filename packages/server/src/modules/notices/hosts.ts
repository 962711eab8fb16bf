// The host directory's seed (hosts.json, checked when this module loads) and the lookup from a reported
// link to the entry of the service hosting it. Pure: no I/O, no clock. Where the entries come from, how
// to check one and what each field means: HOSTS.md.
//
// THE LOOKUP (findHost)
// 1. The link must be an absolute http(s) URL; its host is read the way a browser reads it (WHATWG URL:
//    lower case, punycode, `user@` dropped, numeric IPv4 forms such as 0x7f.1 recognised as addresses).
// 2. IP addresses, and host names without a registrable domain (localhost, example, foo.local, a bare
//    public suffix), are nobody's: null.
// 3. The candidates are the full host name, then each parent, up to the ICANN registrable domain
//    (fr.pornhub.com → pornhub.com; foo.blogspot.com → blogspot.com, because the operator of a private
//    suffix hosts its customers' subdomains). The first candidate an entry lists wins, so a full host name
//    beats its registrable domain: drive.google.com → Google Drive, www.google.com → Google Search.
//    Nothing above the ICANN registrable domain is tried: co.uk or com never match.
// 4. Two entries listing the same name (the seed forbids it; an admin's edit could do it): the first in
//    the list given wins.
import { HOST_CHANNEL_KINDS } from '@halte/contract';
import { parse } from 'tldts';
import { z } from 'zod';

import rawHosts from './hosts.json' with { type: 'json' };

/** Member states of the EU, where a service under the DSA is established or has its legal representative (DSA art. 13). */
const EU_MEMBER_STATES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU',
  'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]);

/** A lower-case host name: a registrable domain (x.com) or a full host name (drive.google.com); no scheme, port, path or trailing dot. */
const HostName = z
  .string()
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'a lower-case host name such as example.com');

const HttpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain });

const HostChannelEntry = z
  .strictObject({
    kind: z.enum(HOST_CHANNEL_KINDS),
    /** dsa_form and trusted_flagger: an https URL; email: an address */
    target: z.string().max(500),
    /** what to choose in the form, or when to use this channel rather than the one before */
    note: z.string().min(1).max(300).optional(),
  })
  .superRefine((c, ctx) => {
    const ok = c.kind === 'email' ? z.email().safeParse(c.target).success : HttpsUrl.safeParse(c.target).success;
    if (!ok) ctx.addIssue({ code: 'custom', path: ['target'], message: c.kind === 'email' ? 'an e-mail address' : 'an https:// URL' });
  });

/** One service of the directory: where it takes notices, and who regulates it. */
export const HostEntry = z
  .strictObject({
    /** a slug; the database's key for the entry */
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(63),
    name: z.string().min(1).max(120),
    /** registrable domains, and full host names that win over their registrable domain (drive.google.com) */
    domains: z.array(HostName).min(1).max(50),
    /** in order of preference; the first is what a notice uses by default */
    channels: z.array(HostChannelEntry).min(1).max(6),
    /** ISO 3166 alpha-2 of the EU establishment, or of the EU legal representative; null when not known */
    country: z
      .string()
      .refine((c) => EU_MEMBER_STATES.has(c), 'an EU member state (ISO 3166 alpha-2, e.g. IE)')
      .nullable(),
    /** the Digital Services Coordinator of `country`, named "Name (CC)"; null exactly when country is */
    regulator: z.string().min(1).max(120).nullable(),
    /** a pornographic platform */
    adult: z.boolean(),
    /** where the contact comes from: the page's title and URL, and how it was read */
    source: z.string().min(1).max(500),
    /** the date of the last check, whatever it found; `confidence` says what it found */
    checkedAt: z.iso.date(),
    /** confirmed: the first channel read on the service's own pages, the country on its pages or an authority's record (HOSTS.md) */
    confidence: z.enum(['confirmed', 'unconfirmed']),
  })
  .superRefine((e, ctx) => {
    if (new Set(e.domains).size !== e.domains.length) ctx.addIssue({ code: 'custom', path: ['domains'], message: 'a domain is listed twice' });
    e.domains.forEach((d, i) => {
      // A directory name must sit at or under an ICANN registrable domain: never a bare suffix such as co.uk.
      if (parse(d).domain === null) ctx.addIssue({ code: 'custom', path: ['domains', i], message: 'not under a registrable domain' });
    });
    if (e.country === null && e.regulator !== null) ctx.addIssue({ code: 'custom', path: ['regulator'], message: 'a regulator without a country' });
    if (e.country !== null && !e.regulator?.endsWith(` (${e.country})`)) {
      ctx.addIssue({ code: 'custom', path: ['regulator'], message: `the coordinator of ${e.country}, written "Name (${e.country})"` });
    }
  });
export type HostEntry = z.infer<typeof HostEntry>;

const HostDirectorySeed = z.array(HostEntry).superRefine((entries, ctx) => {
  const ids = new Set<string>();
  const owners = new Map<string, string>();
  entries.forEach((e, i) => {
    if (ids.has(e.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `two entries are "${e.id}"` });
    ids.add(e.id);
    for (const d of e.domains) {
      const owner = owners.get(d);
      if (owner !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'domains'], message: `${d} is already ${owner}'s` });
      owners.set(d, e.id);
    }
  });
});

/** The seed of the directory (hosts.json), validated when this module loads: a wrong file stops the server at start. */
export const HOST_DIRECTORY_SEED: readonly HostEntry[] = Object.freeze(HostDirectorySeed.parse(rawHosts));

/**
 * The full host name and the registrable domain (eTLD+1, private suffixes honoured: foo.blogspot.com
 * stays foo.blogspot.com) of an absolute http(s) URL. Null for anything else: not a URL, another
 * scheme, an IP address, or a host without a registrable domain (localhost, foo.local).
 *
 * @example hostOf('https://WWW.Instagram.com/p/abc') // { hostname: 'www.instagram.com', domain: 'instagram.com' }
 */
export function hostOf(url: string): { hostname: string; domain: string } | null {
  const name = hostNameOf(url);
  if (name === null) return null;
  const r = parse(name, { allowPrivateDomains: true, extractHostname: false });
  // isIcann and isPrivate both false: the suffix is not a known one (foo.local, foo.internal).
  if (r.isIp !== false || r.hostname === null || r.domain === null || (!r.isIcann && !r.isPrivate)) return null;
  return { hostname: r.hostname, domain: r.domain };
}

/**
 * The directory entry of the service hosting a URL, or null when no entry knows it (the link then goes
 * to an analyst). A full host name listed by an entry wins over its registrable domain, so
 * drive.google.com finds Google Drive and www.google.com does not.
 */
export function findHost<E extends HostEntry>(entries: readonly E[], url: string): E | null {
  const host = hostOf(url);
  if (host === null) return null;
  const byName = new Map<string, E>();
  for (const e of entries) for (const d of e.domains) if (!byName.has(d)) byName.set(d, e);
  for (const candidate of candidatesOf(host.hostname)) {
    const entry = byName.get(candidate);
    if (entry !== undefined) return entry;
  }
  return null;
}

/** The host name as a browser reads it from the URL, or null when there is none. */
function hostNameOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  // An IPv6 literal keeps its brackets in URL.hostname; the trailing dot of an absolute name means nothing here.
  if (u.hostname.startsWith('[')) return null;
  const name = u.hostname.replace(/\.$/, '');
  return name === '' ? null : name;
}

/** The host name, then each parent down to the ICANN registrable domain (which may sit above a private one). */
function candidatesOf(hostname: string): string[] {
  const icann = parse(hostname, { extractHostname: false }).domain;
  if (icann === null) return [hostname];
  const names = [hostname];
  let name = hostname;
  while (name !== icann && name.endsWith(`.${icann}`)) {
    name = name.slice(name.indexOf('.') + 1);
    names.push(name);
  }
  return names;
}
