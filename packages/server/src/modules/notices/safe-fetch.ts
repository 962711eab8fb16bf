// Checks whether a reported link still serves content, so that the follow-up job can propose "removed" to
// an analyst. The URL comes from a victim's report and every redirect from whoever runs the site: a
// fetcher that followed them blindly would make Halte's server request its own admin ports, the cloud
// metadata service or the private network on an attacker's behalf (SSRF), and the outcome would tell them
// what is there. So every hop is checked on its own — scheme, port, no credentials — and its host name is
// resolved once, refused if any address is not public unicast, then connected to by that very address:
// letting the HTTP client resolve the name again would let a DNS server answer differently the second
// time (DNS rebinding). Nothing here logs: the URL may identify the person.
//
// Never throws: every failure is an outcome, and "unknown" is never "gone" — a false "removed" would
// close the follow-up of content that is still up.
import { ADDRCONFIG } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

import ipaddr from 'ipaddr.js';

export interface ProbeLimits {
  /** redirects followed; one more is TOO_MANY_REDIRECTS */
  maxRedirects: number;
  /** for the whole probe, every hop, lookup and body read included */
  timeoutMs: number;
  /** body bytes read from a GET before the connection is dropped (more is still "serving") */
  maxBytes: number;
}

export const PROBE_LIMITS: ProbeLimits = Object.freeze({ maxRedirects: 5, timeoutMs: 10_000, maxBytes: 256 * 1024 });

export interface ProbeOptions {
  limits?: Partial<ProbeLimits>;
  /**
   * host names or IP literals (exact, lower-case; IPv6 with or without brackets) allowed even if they
   * resolve to a refused range, on any port: tests reach their local server through it (a setting in
   * production, empty by default)
   */
  allowHosts?: readonly string[];
  /** DNS lookup, injectable for tests (default: node:dns/promises lookup with {all:true}) */
  lookup?: (hostname: string) => Promise<readonly { address: string; family: 4 | 6 }[]>;
  userAgent?: string;
}

export type ProbeOutcome =
  | { outcome: 'serving'; status: number; finalUrl: string; bytes: number; redirects: number }
  | { outcome: 'gone'; status: number; finalUrl: string; redirects: number }
  | { outcome: 'refused'; code: 'ADDRESS_REFUSED' | 'SCHEME_REFUSED' | 'PORT_REFUSED' | 'CREDENTIALS_REFUSED'; finalUrl: string; redirects: number }
  | {
      outcome: 'unknown';
      code: 'TOO_MANY_REDIRECTS' | 'TIMEOUT' | 'TOO_LARGE' | 'DNS_FAILED' | 'NETWORK' | 'HTTP_STATUS';
      status?: number;
      finalUrl: string;
      redirects: number;
    };

type RefusalCode = Extract<ProbeOutcome, { outcome: 'refused' }>['code'];
type FailureCode = Extract<ProbeOutcome, { outcome: 'unknown' }>['code'];

const DEFAULT_USER_AGENT = 'Halte-link-check/1 (+takedown follow-up)';
/** '' is the scheme's default port (the URL parser drops an explicit :80 on http and :443 on https). */
const ALLOWED_PORTS: ReadonlySet<string> = new Set(['', '80', '443', '8080', '8443']);
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** 451: withheld for legal reasons — for a takedown, as good as removed (the analyst still confirms). */
const GONE_STATUSES: ReadonlySet<number> = new Set([404, 410, 451]);
/**
 * What servers answer to a HEAD they do not handle (405, 501 by the book; 400, 403, 406 and 500 from
 * frameworks and signed-URL CDNs that only route GET): asked again with GET before concluding.
 */
const HEAD_UNSUPPORTED_STATUSES: ReadonlySet<number> = new Set([400, 403, 405, 406, 500, 501]);
/**
 * Node's parser limit, stated rather than inherited from --max-http-header-size. Headers beyond it are
 * the one TOO_LARGE: a body is never too large, it is content being served.
 */
const MAX_HEADER_BYTES = 16 * 1024;
/** Failures before any byte was exchanged: the next address of the host may still answer. */
const CONNECT_FAILURES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);
/** RFC 4291 §2.4: the only IPv6 space allocated for global unicast; the rest is special or unassigned. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
/** Dotted decimal without leading zeros: the form resolvers return and the URL parser writes. */
const IPV4_DOTTED = /^(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}$/;

/**
 * true when the address must never be fetched: anything ipaddr.js does not call 'unicast' (loopback,
 * private, link-local and cloud metadata, CGNAT, multicast, reserved…), every IPv6 address outside
 * 2000::/3 (unique-local fd00:ec2::254, IPv4-compatible ::a.b.c.d, NAT64), and IPv6 forms that embed an
 * IPv4 address (mapped, 6to4, Teredo) whatever they embed.
 *
 * Strings other than the canonical forms (octal or hex IPv4, short forms, zone ids) are refused rather than
 * interpreted: a check that reads an address one way while the socket reads it another is a bypass.
 *
 * @example isRefusedAddress('169.254.169.254') // true
 * @example isRefusedAddress('93.184.216.34') // false
 */
export function isRefusedAddress(address: string): boolean {
  try {
    if (IPV4_DOTTED.test(address)) return ipaddr.IPv4.parse(address).range() !== 'unicast';
    if (!address.includes(':') || address.includes('%') || !ipaddr.IPv6.isValid(address)) return true;
    const v6 = ipaddr.IPv6.parse(address);
    return v6.range() !== 'unicast' || !v6.match(GLOBAL_UNICAST_V6);
  } catch {
    return true;
  }
}

/**
 * Asks whether `url` still serves content: HEAD (then GET if the server does not take HEAD), redirects
 * followed by hand and re-checked at every hop, within one overall time limit.
 *
 * `serving` means a 2xx (bytes: body bytes read, 0 when HEAD sufficed); `gone` a 404, 410 or 451;
 * `refused` that Halte would not fetch that URL; `unknown` anything else, which proves nothing.
 *
 * @example
 * const result = await probeUrl('https://host.example/p/123');
 * if (result.outcome === 'gone') proposeRemoved(result.status, result.finalUrl);
 */
export async function probeUrl(url: string, options: ProbeOptions = {}): Promise<ProbeOutcome> {
  const limits: ProbeLimits = { ...PROBE_LIMITS, ...options.limits };
  const deadline = new Deadline(limits.timeoutMs);
  const probe = new Probe(limits, options, deadline);
  try {
    return await probe.run(url);
  } catch {
    // Unreachable by design (every step returns its failure); the promise not to throw holds anyway.
    return probe.unknown('NETWORK');
  } finally {
    deadline.dispose();
  }
}

type Answer =
  | { kind: 'response'; status: number; location: string | undefined; bytes: number }
  | { kind: 'failed'; code: 'TIMEOUT' | 'NETWORK' | 'TOO_LARGE'; tryNextAddress: boolean };

const EXPIRED = Symbol('expired');

/** One timer for the whole probe; `expired` settles when it fires, for racing what cannot be aborted. */
class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly expired: Promise<typeof EXPIRED>;

  constructor(ms: number) {
    this.#timer = setTimeout(() => this.#controller.abort(), Math.max(0, ms));
    this.expired = new Promise((resolve) => this.signal.addEventListener('abort', () => resolve(EXPIRED), { once: true }));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}

class Probe {
  readonly #limits: ProbeLimits;
  readonly #allowHosts: ReadonlySet<string>;
  readonly #lookup: NonNullable<ProbeOptions['lookup']>;
  readonly #userAgent: string;
  readonly #deadline: Deadline;
  #finalUrl = '';
  #redirects = 0;

  constructor(limits: ProbeLimits, options: ProbeOptions, deadline: Deadline) {
    this.#limits = limits;
    this.#allowHosts = new Set((options.allowHosts ?? []).map((h) => unbracket(h.toLowerCase())));
    this.#lookup = options.lookup ?? systemLookup;
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#deadline = deadline;
  }

  async run(input: string): Promise<ProbeOutcome> {
    this.#finalUrl = input;
    let current: URL;
    try {
      current = new URL(input);
    } catch {
      return this.refused('SCHEME_REFUSED');
    }
    for (;;) {
      this.#finalUrl = withoutCredentials(current);
      const host = unbracket(current.hostname);
      const allowed = this.#allowHosts.has(host);
      const refusal = checkUrl(current, allowed);
      if (refusal) return this.refused(refusal);

      const addresses = await this.#resolve(host, allowed);
      if (addresses === 'ADDRESS_REFUSED') return this.refused(addresses);
      if (typeof addresses === 'string') return this.unknown(addresses);

      let answer = await this.#exchange('HEAD', current, addresses);
      if (answer.kind === 'response' && HEAD_UNSUPPORTED_STATUSES.has(answer.status)) {
        answer = await this.#exchange('GET', current, addresses);
      }
      if (answer.kind === 'failed') return this.unknown(answer.code);

      const { status } = answer;
      if (REDIRECT_STATUSES.has(status)) {
        if (answer.location === undefined) return this.unknown('HTTP_STATUS', status);
        if (this.#redirects >= this.#limits.maxRedirects) return this.unknown('TOO_MANY_REDIRECTS', status);
        try {
          current = new URL(answer.location, current);
        } catch {
          return this.unknown('HTTP_STATUS', status);
        }
        this.#redirects += 1;
        continue;
      }
      if (status >= 200 && status <= 299) {
        return { outcome: 'serving', status, finalUrl: this.#finalUrl, bytes: Math.min(answer.bytes, this.#limits.maxBytes), redirects: this.#redirects };
      }
      if (GONE_STATUSES.has(status)) return { outcome: 'gone', status, finalUrl: this.#finalUrl, redirects: this.#redirects };
      return this.unknown('HTTP_STATUS', status);
    }
  }

  refused(code: RefusalCode): ProbeOutcome {
    return { outcome: 'refused', code, finalUrl: this.#finalUrl, redirects: this.#redirects };
  }

  unknown(code: FailureCode, status?: number): ProbeOutcome {
    const base = { outcome: 'unknown', code, finalUrl: this.#finalUrl, redirects: this.#redirects } as const;
    return status === undefined ? base : { ...base, status };
  }

  /** The addresses to connect to, each validated (unless the host is allowed), or why there are none. */
  async #resolve(host: string, allowed: boolean): Promise<readonly string[] | 'ADDRESS_REFUSED' | 'DNS_FAILED' | 'TIMEOUT'> {
    if (isIP(host) !== 0) return allowed || !isRefusedAddress(host) ? [host] : 'ADDRESS_REFUSED';
    let records: readonly { address: string }[] | typeof EXPIRED;
    try {
      records = await Promise.race([this.#lookup(host), this.#deadline.expired]);
    } catch {
      return this.#deadline.signal.aborted ? 'TIMEOUT' : 'DNS_FAILED';
    }
    if (records === EXPIRED) return 'TIMEOUT';
    const addresses = records.map((r) => r.address);
    // Not an address, it would be resolved again by the socket: the very thing pinning prevents.
    if (addresses.length === 0 || addresses.some((a) => isIP(a) === 0)) return 'DNS_FAILED';
    // Any refused address refuses the host: a name that also points inward is not an accident.
    if (!allowed && addresses.some(isRefusedAddress)) return 'ADDRESS_REFUSED';
    return addresses;
  }

  /** One request, to the first address that accepts a connection. */
  async #exchange(method: 'HEAD' | 'GET', url: URL, addresses: readonly string[]): Promise<Answer> {
    let answer: Answer = { kind: 'failed', code: 'NETWORK', tryNextAddress: false };
    for (const address of addresses) {
      answer = await this.#attempt(method, url, address);
      if (answer.kind === 'response' || !answer.tryNextAddress) return answer;
    }
    return answer;
  }

  #attempt(method: 'HEAD' | 'GET', url: URL, address: string): Promise<Answer> {
    const { signal } = this.#deadline;
    const maxBytes = this.#limits.maxBytes;
    return new Promise<Answer>((resolve) => {
      if (signal.aborted) {
        resolve({ kind: 'failed', code: 'TIMEOUT', tryNextAddress: false });
        return;
      }
      const https = url.protocol === 'https:';
      const host = unbracket(url.hostname);
      const options: RequestOptions = {
        method,
        host: address,
        port: url.port === '' ? (https ? 443 : 80) : Number(url.port),
        path: `${url.pathname}${url.search}`,
        // No cookies, no Authorization, no Referer: nothing of Halte's or the person's travels with it.
        headers: {
          Host: url.host,
          'User-Agent': this.#userAgent,
          Accept: '*/*',
          'Accept-Encoding': 'identity',
          Connection: 'close',
        },
        agent: false,
        maxHeaderSize: MAX_HEADER_BYTES,
        lookup: noSecondLookup,
        // SNI and the certificate check are for the name, not the pinned address; validation stays on even
        // if NODE_TLS_REJECT_UNAUTHORIZED says otherwise. An IP literal gets no SNI (RFC 6066) and its
        // certificate is checked against the IP.
        ...(https ? { servername: isIP(host) === 0 ? host : '', rejectUnauthorized: true } : {}),
      };

      let request: ClientRequest | undefined;
      let response: { status: number; location: string | undefined } | undefined;
      let bytes = 0;
      let settled = false;
      const finish = (answer: Answer): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        request?.destroy();
        resolve(answer);
      };
      // Once a 2xx GET's headers are in, the content is being served: however the body ends — limit,
      // end, reset or the deadline — the answer is that response.
      const answered = (): Answer => ({ kind: 'response', status: response?.status ?? 0, location: response?.location, bytes });
      const onAbort = (): void => finish(response ? answered() : { kind: 'failed', code: 'TIMEOUT', tryNextAddress: false });
      signal.addEventListener('abort', onAbort, { once: true });

      try {
        request = (https ? httpsRequest : httpRequest)(options);
      } catch {
        finish({ kind: 'failed', code: 'NETWORK', tryNextAddress: false });
        return;
      }
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (response) return finish(answered());
        const code = error.code ?? '';
        if (code === 'HPE_HEADER_OVERFLOW') return finish({ kind: 'failed', code: 'TOO_LARGE', tryNextAddress: false });
        finish({ kind: 'failed', code: 'NETWORK', tryNextAddress: CONNECT_FAILURES.has(code) });
      });
      request.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        res.on('error', () => finish(answered()));
        if (method === 'HEAD' || status < 200 || status > 299) {
          finish({ kind: 'response', status, location, bytes: 0 });
          return;
        }
        response = { status, location };
        // maxBytes 0: the status is the answer, and not one byte of the content is read (a minor's link)
        if (maxBytes <= 0) {
          finish(answered());
          return;
        }
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes >= maxBytes) finish(answered());
        });
        res.on('end', () => finish(answered()));
        res.on('close', () => finish(answered()));
      });
      request.end();
    });
  }
}

function checkUrl(url: URL, allowed: boolean): RefusalCode | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'SCHEME_REFUSED';
  if (url.username !== '' || url.password !== '') return 'CREDENTIALS_REFUSED';
  if (!allowed && !ALLOWED_PORTS.has(url.port)) return 'PORT_REFUSED';
  return undefined;
}

async function systemLookup(hostname: string): Promise<readonly { address: string; family: 4 | 6 }[]> {
  // ADDRCONFIG: no IPv6 addresses on a host without IPv6 (as Node's own connect does).
  const records = await dnsLookup(hostname, { all: true, hints: ADDRCONFIG });
  return records.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
}

/** Never called (the socket is given an IP); if that ever changes, fail rather than resolve a second time. */
const noSecondLookup: LookupFunction = (hostname, _options, callback) => {
  callback(Object.assign(new Error(`no second lookup of ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
};

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** A URL's credentials are not ours to keep: the outcome is stored. */
function withoutCredentials(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}
