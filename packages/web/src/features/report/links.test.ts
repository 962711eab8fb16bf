import { describe, expect, it } from 'vitest';

import { readLink } from './links';

describe('readLink', () => {
  it('keeps a full link as typed, without the spaces around it', () => {
    expect(readLink('  https://example.com/p?id=3#x ')).toEqual({ ok: true, url: 'https://example.com/p?id=3#x' });
    expect(readLink('http://example.com/')).toEqual({ ok: true, url: 'http://example.com/' });
  });

  it('adds https:// to an address copied without it', () => {
    expect(readLink('www.example.com/profile/123')).toEqual({ ok: true, url: 'https://www.example.com/profile/123' });
    expect(readLink('example.com:8443/a')).toEqual({ ok: true, url: 'https://example.com:8443/a' });
  });

  it('refuses what is not a web page', () => {
    for (const input of ['', '   ', 'hello', 'ftp://example.com/file', 'javascript://example.com/%0aalert(1)', 'mailto:me@example.com', 'https://', 'https://localhost/']) {
      expect(readLink(input).ok, input).toBe(false);
    }
  });

  it('refuses a link longer than the contract allows', () => {
    expect(readLink(`https://example.com/${'a'.repeat(2100)}`)).toEqual({ ok: false, problem: 'report.links.tooLong' });
  });
});
