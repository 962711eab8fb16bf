// The link check against real sockets: a local server on 127.0.0.1 (reachable only through allowHosts)
// answers, redirects, hangs and streams; "trap" servers on addresses the probe must refuse count the
// connections they get, which must stay at zero. DNS is injected, except for `localhost`.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { isRefusedAddress, PROBE_LIMITS, probeUrl, type ProbeOptions } from './safe-fetch.js';

// A throwaway self-signed pair for "halte.test", made for this test alone (openssl req -x509 -newkey ec
// -days 36500 -subj /CN=halte.test -addext subjectAltName=DNS:halte.test). It protects nothing: its whole
// point is that no client should trust it.
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgGE8L5RoLPocOOwcH
QDbEPx8K7eil4v/wUBtTWH1dSsehRANCAAQv0yWwdKOSZrpM4FvdY/8itHHZqWzu
7Wehrjttvb9y/hw87CA3hpEFviIQAlesCtLEFbBjsOAeRaRX1V45gl5/
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBlzCCAT6gAwIBAgIUEWipl1H1hPh3LJKFH5O7FRUHQjAwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKaGFsdGUudGVzdDAgFw0yNjExMjcwMzQzMDBaGA8yMTI2MTEw
MzAzNDMwMFowFTETMBEGA1UEAwwKaGFsdGUudGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABC/TJbB0o5JmukzgW91j/yK0cdmpbO7tZ6GuO229v3L+HDzsIDeG
kQW+IhACV6wK0sQVsGOw4B5FpFfVXjmCXn+jajBoMB0GA1UdDgQWBBQ9mm2zGxyF
gCOrcOzPAjzz/k+fIjAfBgNVHSMEGDAWgBQ9mm2zGxyFgCOrcOzPAjzz/k+fIjAP
BgNVHRMBAf8EBTADAQH/MBUGA1UdEQQOMAyCCmhhbHRlLnRlc3QwCgYIKoZIzj0E
AwIDRwAwRAIgKyQmGXi4FWcRJoKbslKkWNYR8aAbn/ZWjCT3OOxpg0QCIGl4GHKT
pmN8LJ5f4Z8M8DnVApgVLFCDxKDxuJh8HuGk
-----END CERTIFICATE-----
`;

/** More than loopback socket buffers hold (a few MB each way), so the server cannot finish writing it. */
const BIG_BODY_BYTES = 64 * 1024 * 1024;
const ALLOW_LOCAL = ['127.0.0.1'] as const;

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** A server that must never be reached: it counts connections. */
interface Trap {
  server: Server;
  /** the URL to redirect to: port 80 when it could listen there, else 8080 or 8443 (all allowed ports) */
  url: string;
  connections: number;
}

const seen: Seen[] = [];
const big = { written: 0, finished: false, closed: Promise.resolve() };
let local: Server;
let base = '';
const traps: Trap[] = [];
let trapV4: Trap | undefined;
let trapV6: Trap | undefined;

function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://local');
  const method = req.method ?? '';
  seen.push({ method, path: url.pathname, headers: req.headers });
  const redirect = (status: number, location: string) => res.writeHead(status, { location }).end();
  switch (url.pathname) {
    case '/ok':
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('still here');
    case '/missing':
      return void res.writeHead(404).end();
    case '/removed':
      return void res.writeHead(410).end();
    case '/legal':
      return void res.writeHead(451).end();
    case '/teapot':
      return void res.writeHead(418).end();
    case '/unavailable':
      return void res.writeHead(503).end();
    case '/forbidden':
      return void res.writeHead(403).end();
    case '/no-head':
      return void (method === 'HEAD' ? res.writeHead(405, { allow: 'GET' }).end() : res.writeHead(200).end('content'));
    case '/r1':
      return void redirect(302, '/r2');
    case '/r2':
      return void redirect(301, `${base}/ok`);
    case '/loop':
      return void redirect(302, '/loop');
    case '/no-location':
      return void res.writeHead(302).end();
    case '/to':
      return void redirect(302, url.searchParams.get('target') ?? '/');
    case '/slow-loop': {
      const timer = setTimeout(() => redirect(307, '/slow-loop'), 150);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    case '/hang':
      return; // never answers
    case '/big':
      return method === 'HEAD' ? void res.writeHead(405).end() : streamBig(res);
    default:
      return void res.writeHead(404).end();
  }
}

function streamBig(res: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  big.written = 0;
  big.finished = false;
  big.closed = once(res, 'close').then(() => {
    big.finished = res.writableFinished;
  });
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BIG_BODY_BYTES) });
  const pump = (): void => {
    while (big.written < BIG_BODY_BYTES && !res.destroyed) {
      big.written += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** On the first allowed port free on `host`, or none (no IPv6, port taken, not allowed to bind): then the
 * refusal is still asserted, only not the absence of connections. */
async function listenTrap(host: string): Promise<Trap | undefined> {
  for (const port of [80, 8080, 8443]) {
    const trap: Trap = { server: createServer((_req, res) => res.writeHead(200).end('trapped')), url: '', connections: 0 };
    trap.server.on('connection', () => (trap.connections += 1));
    try {
      await listen(trap.server, port, host);
    } catch {
      continue;
    }
    const hostInUrl = host.includes(':') ? `[${host}]` : host;
    trap.url = `http://${hostInUrl}${port === 80 ? '' : `:${port}`}/`;
    traps.push(trap);
    return trap;
  }
  return undefined;
}

type Lookup = NonNullable<ProbeOptions['lookup']>;

/** An injected resolver: names absent from the table do not exist. */
function fakeDns(table: Readonly<Record<string, readonly string[]>>): { lookup: Lookup; calls: string[] } {
  const calls: string[] = [];
  const lookup: Lookup = async (hostname) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);
  };
  return { lookup, calls };
}

/** For URLs that must be refused before any lookup. */
const noDns: Lookup = () => Promise.reject(new Error('no lookup expected'));

beforeAll(async () => {
  local = createServer(answer);
  await listen(local, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
  trapV4 = await listenTrap('127.0.0.2');
  trapV6 = await listenTrap('::1');
});

afterAll(async () => {
  await Promise.all([local, ...traps.map((t) => t.server)].map(close));
});

beforeEach(() => {
  seen.length = 0;
});

describe('isRefusedAddress', () => {
  const refused = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback, all of 127/8'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local: cloud metadata'],
    ['100.64.0.1', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '0/8'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'AWS IPv6 metadata'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata'],
    ['::ffff:8.8.8.8', 'IPv4-mapped, even of a public address'],
    ['::127.0.0.1', 'IPv4-compatible (deprecated)'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['64:ff9b::808:808', 'NAT64, even of a public address'],
    ['2002:a00:1::1', '6to4 of 10.0.0.1'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['2001:db8::1', 'documentation'],
    ['0x7f.0.0.1', 'not canonical'],
    ['2130706433', 'not canonical'],
    ['127.1', 'not canonical'],
    ['010.0.0.1', 'not canonical (octal to some parsers)'],
    ['[::1]', 'bracketed'],
    ['localhost', 'a name'],
    ['', 'nothing'],
  ] as const;
  it.each(refused)('refuses %s (%s)', (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  const accepted = ['8.8.8.8', '93.184.216.34', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4007:80f::200e'];
  it.each(accepted)('accepts %s', (address) => {
    expect(isRefusedAddress(address)).toBe(false);
  });
});

describe('probeUrl refuses before connecting', () => {
  it('refuses loopback, metadata and private addresses given as IP literals, in every spelling, without a lookup', async () => {
    const dns = fakeDns({});
    const cases: [string, string][] = [
      ['http://127.0.0.1/', 'http://127.0.0.1/'],
      ['http://[::1]/', 'http://[::1]/'],
      ['http://169.254.169.254/latest/meta-data/', 'http://169.254.169.254/latest/meta-data/'],
      ['http://0x7f.0.0.1/', 'http://127.0.0.1/'],
      ['http://2130706433/', 'http://127.0.0.1/'],
      ['http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/'],
      ['http://[::ffff:169.254.169.254]/latest/meta-data/', 'http://[::ffff:a9fe:a9fe]/latest/meta-data/'],
      ['https://[fd00:ec2::254]/latest/meta-data/', 'https://[fd00:ec2::254]/latest/meta-data/'],
      ['http://10.0.0.1:8080/', 'http://10.0.0.1:8080/'],
    ];
    for (const [url, finalUrl] of cases) {
      expect(await probeUrl(url, { lookup: dns.lookup }), url).toEqual({ outcome: 'refused', code: 'ADDRESS_REFUSED', finalUrl, redirects: 0 });
    }
    expect(dns.calls).toEqual([]);
  });

  it('refuses the local server without allowHosts: its port first, and never connects', async () => {
    let connections = 0;
    const count = () => (connections += 1);
    local.on('connection', count);
    try {
      expect(await probeUrl(`${base}/ok`)).toEqual({ outcome: 'refused', code: 'PORT_REFUSED', finalUrl: `${base}/ok`, redirects: 0 });
      const port = (local.address() as AddressInfo).port;
      expect(await probeUrl(`http://[::1]:${port}/ok`)).toEqual({ outcome: 'refused', code: 'PORT_REFUSED', finalUrl: `http://[::1]:${port}/ok`, redirects: 0 });
      expect(await probeUrl(`http://localhost:${port}/ok`)).toMatchObject({ outcome: 'refused', code: 'PORT_REFUSED' });
      // …and on an allowed port, the address.
      expect(await probeUrl('http://127.0.0.1:8080/ok')).toEqual({ outcome: 'refused', code: 'ADDRESS_REFUSED', finalUrl: 'http://127.0.0.1:8080/ok', redirects: 0 });
    } finally {
      local.off('connection', count);
    }
    expect(connections).toBe(0);
    expect(seen).toEqual([]);
  });

  it('refuses a name the real resolver sends to loopback (localhost)', async () => {
    expect(await probeUrl('http://localhost/')).toEqual({ outcome: 'refused', code: 'ADDRESS_REFUSED', finalUrl: 'http://localhost/', redirects: 0 });
  });

  it('refuses a name that resolves to a private address, or to a public and a private one', async () => {
    const dns = fakeDns({ 'evil.example': ['10.0.0.1'], 'split.example': ['93.184.216.34', '10.0.0.1'], 'split6.example': ['2606:4700:4700::1111', 'fd00:ec2::254'] });
    expect(await probeUrl('http://evil.example/', { lookup: dns.lookup })).toEqual({ outcome: 'refused', code: 'ADDRESS_REFUSED', finalUrl: 'http://evil.example/', redirects: 0 });
    expect(await probeUrl('https://split.example/a?b=c', { lookup: dns.lookup })).toEqual({
      outcome: 'refused',
      code: 'ADDRESS_REFUSED',
      finalUrl: 'https://split.example/a?b=c',
      redirects: 0,
    });
    expect(await probeUrl('https://split6.example/', { lookup: dns.lookup })).toMatchObject({ outcome: 'refused', code: 'ADDRESS_REFUSED' });
    expect(dns.calls).toEqual(['evil.example', 'split.example', 'split6.example']);
  });

  it('refuses other schemes, credentials and ports outside 80, 443, 8080, 8443', async () => {
    expect(await probeUrl('ftp://files.example/x', { lookup: noDns })).toEqual({ outcome: 'refused', code: 'SCHEME_REFUSED', finalUrl: 'ftp://files.example/x', redirects: 0 });
    expect(await probeUrl('file:///etc/passwd', { lookup: noDns })).toEqual({ outcome: 'refused', code: 'SCHEME_REFUSED', finalUrl: 'file:///etc/passwd', redirects: 0 });
    expect(await probeUrl('not a url', { lookup: noDns })).toEqual({ outcome: 'refused', code: 'SCHEME_REFUSED', finalUrl: 'not a url', redirects: 0 });
    // The credentials are not repeated in the outcome, which is stored.
    expect(await probeUrl('http://user:pw@host.example/', { lookup: noDns })).toEqual({
      outcome: 'refused',
      code: 'CREDENTIALS_REFUSED',
      finalUrl: 'http://host.example/',
      redirects: 0,
    });
    expect(await probeUrl('http://host.example:22/', { lookup: noDns })).toEqual({ outcome: 'refused', code: 'PORT_REFUSED', finalUrl: 'http://host.example:22/', redirects: 0 });
    expect(await probeUrl('https://host.example:0/', { lookup: noDns })).toMatchObject({ outcome: 'refused', code: 'PORT_REFUSED' });
  });

  it('lets the allowed ports through to the lookup', async () => {
    const dns = fakeDns({});
    for (const url of ['http://host.example/', 'http://host.example:8080/', 'https://host.example:8443/', 'https://host.example:80/']) {
      expect(await probeUrl(url, { lookup: dns.lookup }), url).toEqual({ outcome: 'unknown', code: 'DNS_FAILED', finalUrl: url, redirects: 0 });
    }
    expect(dns.calls).toHaveLength(4);
  });

  it('says DNS_FAILED when the name does not resolve, resolves to nothing, or to something not an address', async () => {
    const dns = fakeDns({ 'empty.example': [], 'odd.example': ['other.example'] });
    expect(await probeUrl('http://nowhere.example/', { lookup: dns.lookup })).toEqual({ outcome: 'unknown', code: 'DNS_FAILED', finalUrl: 'http://nowhere.example/', redirects: 0 });
    expect(await probeUrl('http://empty.example/', { lookup: dns.lookup })).toMatchObject({ outcome: 'unknown', code: 'DNS_FAILED' });
    // Even for an allowed host: connecting to a name would resolve it a second time.
    expect(await probeUrl('http://odd.example/', { lookup: dns.lookup, allowHosts: ['odd.example'] })).toMatchObject({ outcome: 'unknown', code: 'DNS_FAILED' });
    expect(dns.calls).toEqual(['nowhere.example', 'empty.example', 'odd.example']);
  });

  it('counts a lookup that never answers against the deadline', async () => {
    const started = Date.now();
    const outcome = await probeUrl('http://slow-dns.example/', { lookup: () => new Promise(() => undefined), limits: { timeoutMs: 200 } });
    expect(outcome).toEqual({ outcome: 'unknown', code: 'TIMEOUT', finalUrl: 'http://slow-dns.example/', redirects: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('probeUrl against the allowed local server', () => {
  const allowed: ProbeOptions = { allowHosts: ALLOW_LOCAL };

  it('says serving on a 2xx to HEAD, sending no cookie or credentials, a fixed User-Agent and Accept */*', async () => {
    expect(await probeUrl(`${base}/ok`, allowed)).toEqual({ outcome: 'serving', status: 200, finalUrl: `${base}/ok`, bytes: 0, redirects: 0 });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('HEAD');
    expect(request?.headers['user-agent']).toBe('Halte-link-check/1 (+takedown follow-up)');
    expect(request?.headers.accept).toBe('*/*');
    expect(request?.headers.host).toBe(base.slice('http://'.length));
    expect(request?.headers.cookie).toBeUndefined();
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers.referer).toBeUndefined();
  });

  it('says gone on 404, 410 and 451', async () => {
    expect(await probeUrl(`${base}/missing`, allowed)).toEqual({ outcome: 'gone', status: 404, finalUrl: `${base}/missing`, redirects: 0 });
    expect(await probeUrl(`${base}/removed`, allowed)).toEqual({ outcome: 'gone', status: 410, finalUrl: `${base}/removed`, redirects: 0 });
    expect(await probeUrl(`${base}/legal`, allowed)).toEqual({ outcome: 'gone', status: 451, finalUrl: `${base}/legal`, redirects: 0 });
    expect(seen.map((s) => s.method)).toEqual(['HEAD', 'HEAD', 'HEAD']);
  });

  it('asks again with GET when HEAD is not supported', async () => {
    expect(await probeUrl(`${base}/no-head`, allowed)).toEqual({ outcome: 'serving', status: 200, finalUrl: `${base}/no-head`, bytes: 'content'.length, redirects: 0 });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['HEAD /no-head', 'GET /no-head']);
  });

  it('says unknown HTTP_STATUS for other statuses (after a GET where HEAD may be the cause)', async () => {
    expect(await probeUrl(`${base}/teapot`, allowed)).toEqual({ outcome: 'unknown', code: 'HTTP_STATUS', status: 418, finalUrl: `${base}/teapot`, redirects: 0 });
    expect(await probeUrl(`${base}/unavailable`, allowed)).toEqual({ outcome: 'unknown', code: 'HTTP_STATUS', status: 503, finalUrl: `${base}/unavailable`, redirects: 0 });
    expect(await probeUrl(`${base}/forbidden`, allowed)).toEqual({ outcome: 'unknown', code: 'HTTP_STATUS', status: 403, finalUrl: `${base}/forbidden`, redirects: 0 });
    expect(await probeUrl(`${base}/no-location`, allowed)).toEqual({ outcome: 'unknown', code: 'HTTP_STATUS', status: 302, finalUrl: `${base}/no-location`, redirects: 0 });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['HEAD /teapot', 'HEAD /unavailable', 'HEAD /forbidden', 'GET /forbidden', 'HEAD /no-location']);
  });

  it('follows a chain of two redirects (relative, then absolute)', async () => {
    expect(await probeUrl(`${base}/r1`, allowed)).toEqual({ outcome: 'serving', status: 200, finalUrl: `${base}/ok`, bytes: 0, redirects: 2 });
    expect(seen.map((s) => s.path)).toEqual(['/r1', '/r2', '/ok']);
  });

  it('stops a redirect loop at maxRedirects', async () => {
    expect(await probeUrl(`${base}/loop`, allowed)).toEqual({
      outcome: 'unknown',
      code: 'TOO_MANY_REDIRECTS',
      status: 302,
      finalUrl: `${base}/loop`,
      redirects: PROBE_LIMITS.maxRedirects,
    });
    expect(seen).toHaveLength(PROBE_LIMITS.maxRedirects + 1);
    seen.length = 0;
    expect(await probeUrl(`${base}/r1`, { ...allowed, limits: { maxRedirects: 1 } })).toMatchObject({ outcome: 'unknown', code: 'TOO_MANY_REDIRECTS', redirects: 1 });
    expect(seen.map((s) => s.path)).toEqual(['/r1', '/r2']);
  });

  it('gives up on a server that never answers at the deadline, and drops the connection', async () => {
    const started = Date.now();
    const disconnected = new Promise<void>((resolve) => local.once('request', (_req, res: ServerResponse) => res.once('close', () => resolve())));
    expect(await probeUrl(`${base}/hang`, { ...allowed, limits: { timeoutMs: 300 } })).toEqual({ outcome: 'unknown', code: 'TIMEOUT', finalUrl: `${base}/hang`, redirects: 0 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
    await disconnected;
  });

  it('counts the deadline over all hops, not per hop', async () => {
    // Each hop answers in 150 ms, well within 400 ms; the probe as a whole does not.
    // A timer per hop would follow the loop to TOO_MANY_REDIRECTS (about 7 s).
    const outcome = await probeUrl(`${base}/slow-loop`, { ...allowed, limits: { timeoutMs: 400, maxRedirects: 50 } });
    expect(outcome).toMatchObject({ outcome: 'unknown', code: 'TIMEOUT', finalUrl: `${base}/slow-loop` });
    expect(outcome.redirects).toBeGreaterThanOrEqual(1);
    expect(outcome.redirects).toBeLessThanOrEqual(2);
  });

  it('reads at most maxBytes of a 64 MB body and drops the connection: still serving', async () => {
    const started = Date.now();
    const outcome = await probeUrl(`${base}/big`, allowed);
    expect(outcome).toEqual({ outcome: 'serving', status: 200, finalUrl: `${base}/big`, bytes: PROBE_LIMITS.maxBytes, redirects: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await big.closed;
    expect(big.finished).toBe(false);
    expect(big.written).toBeLessThan(BIG_BODY_BYTES);
  });

  it('with maxBytes 0 (a minor\'s link) the status is the answer: not one byte of the body is read', async () => {
    const outcome = await probeUrl(`${base}/big`, { ...allowed, limits: { maxBytes: 0 } });
    expect(outcome).toEqual({ outcome: 'serving', status: 200, finalUrl: `${base}/big`, bytes: 0, redirects: 0 });
    await big.closed;
    expect(big.finished).toBe(false);
  });

  it('connects to the address the lookup gave, once per hop, with the name as Host', async () => {
    const dns = fakeDns({ 'halte.test': ['127.0.0.1'] });
    const port = (local.address() as AddressInfo).port;
    // halte.test exists only in the injected table: had the client resolved it again, this would fail.
    expect(await probeUrl(`http://halte.test:${port}/r1`, { allowHosts: ['halte.test', '127.0.0.1'], lookup: dns.lookup })).toEqual({
      outcome: 'serving',
      status: 200,
      finalUrl: `${base}/ok`,
      bytes: 0,
      redirects: 2,
    });
    expect(dns.calls).toEqual(['halte.test', 'halte.test']);
    expect(seen.map((s) => s.headers.host)).toEqual([`halte.test:${port}`, `halte.test:${port}`, `127.0.0.1:${port}`]);
  });

  it('sends the User-Agent it is given', async () => {
    await probeUrl(`${base}/ok`, { ...allowed, userAgent: 'Halte-test/0' });
    expect(seen[0]?.headers['user-agent']).toBe('Halte-test/0');
  });
});

describe('probeUrl re-checks every redirect', () => {
  const to = (target: string) => `${base}/to?target=${encodeURIComponent(target)}`;

  it('refuses a redirect to another loopback address, and never connects to it', async () => {
    const target = trapV4?.url ?? 'http://127.0.0.2/';
    expect(await probeUrl(to(target), { allowHosts: ALLOW_LOCAL })).toEqual({ outcome: 'refused', code: 'ADDRESS_REFUSED', finalUrl: target, redirects: 1 });
    expect(trapV4?.connections ?? 0).toBe(0);
  });

  it('refuses a redirect to IPv6 loopback, and never connects to it', async () => {
    const target = trapV6?.url ?? 'http://[::1]/';
    expect(await probeUrl(to(target), { allowHosts: ALLOW_LOCAL })).toEqual({ outcome: 'refused', code: 'ADDRESS_REFUSED', finalUrl: target, redirects: 1 });
    expect(trapV6?.connections ?? 0).toBe(0);
  });

  it('refuses a redirect to the metadata service', async () => {
    const target = 'http://169.254.169.254/latest/meta-data/iam/';
    expect(await probeUrl(to(target), { allowHosts: ALLOW_LOCAL })).toEqual({ outcome: 'refused', code: 'ADDRESS_REFUSED', finalUrl: target, redirects: 1 });
  });

  it('refuses a redirect to a name that resolves to a private address', async () => {
    const dns = fakeDns({ 'evil.example': ['10.0.0.1'] });
    expect(await probeUrl(to('http://evil.example/'), { allowHosts: ALLOW_LOCAL, lookup: dns.lookup })).toEqual({
      outcome: 'refused',
      code: 'ADDRESS_REFUSED',
      finalUrl: 'http://evil.example/',
      redirects: 1,
    });
    expect(dns.calls).toEqual(['evil.example']);
  });

  it('refuses a redirect to another scheme, with credentials, or to a refused port', async () => {
    const options: ProbeOptions = { allowHosts: ALLOW_LOCAL, lookup: noDns };
    expect(await probeUrl(to('file:///etc/passwd'), options)).toEqual({ outcome: 'refused', code: 'SCHEME_REFUSED', finalUrl: 'file:///etc/passwd', redirects: 1 });
    expect(await probeUrl(to('http://admin:secret@host.example/'), options)).toEqual({
      outcome: 'refused',
      code: 'CREDENTIALS_REFUSED',
      finalUrl: 'http://host.example/',
      redirects: 1,
    });
    expect(await probeUrl(to('http://host.example:6379/'), options)).toEqual({ outcome: 'refused', code: 'PORT_REFUSED', finalUrl: 'http://host.example:6379/', redirects: 1 });
  });
});

describe('probeUrl over TLS', () => {
  let tls: Server;
  let tlsPort = 0;
  const serverNames: string[] = [];
  let requests = 0;

  beforeAll(async () => {
    const context = createSecureContext({ key: TEST_KEY, cert: TEST_CERT });
    tls = createTlsServer(
      {
        key: TEST_KEY,
        cert: TEST_CERT,
        SNICallback: (name, callback) => {
          serverNames.push(name);
          callback(null, context);
        },
      },
      (_req, res) => {
        requests += 1;
        res.writeHead(200).end();
      },
    );
    await listen(tls, 0, '127.0.0.1');
    tlsPort = (tls.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await close(tls);
  });

  it('validates the certificate against the host name, sent as SNI', async () => {
    const dns = fakeDns({ 'halte.test': ['127.0.0.1'] });
    const url = `https://halte.test:${tlsPort}/ok`;
    expect(await probeUrl(url, { allowHosts: ['halte.test'], lookup: dns.lookup })).toEqual({ outcome: 'unknown', code: 'NETWORK', finalUrl: url, redirects: 0 });
    expect(serverNames).toEqual(['halte.test']);
    expect(requests).toBe(0);
  });

  it('sends no SNI for an IP literal', async () => {
    serverNames.length = 0;
    const url = `https://127.0.0.1:${tlsPort}/ok`;
    expect(await probeUrl(url, { allowHosts: ALLOW_LOCAL })).toEqual({ outcome: 'unknown', code: 'NETWORK', finalUrl: url, redirects: 0 });
    expect(serverNames).toEqual([]);
    expect(requests).toBe(0);
  });
});
