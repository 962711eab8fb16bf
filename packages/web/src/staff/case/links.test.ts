import { describe, expect, it } from 'vitest';

import { EXTERNAL_LINK_REL, safeLinkHref } from './links';

describe('safeLinkHref', () => {
  it('links http: and https: URLs, as the parser reads them', () => {
    expect(safeLinkHref('https://example.com/a?b=1#c')).toBe('https://example.com/a?b=1#c');
    expect(safeLinkHref('http://example.com')).toBe('http://example.com/');
    expect(safeLinkHref('HTTPS://EXAMPLE.com/Path')).toBe('https://example.com/Path');
    // leading and trailing spaces are dropped by the parser: the link is the clean URL
    expect(safeLinkHref('  https://example.com/x  ')).toBe('https://example.com/x');
  });

  it('never links javascript:, in any case or disguise', () => {
    for (const raw of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'JavaScript:alert(document.cookie)',
      ' javascript:alert(1)',
      '\tjavascript:alert(1)',
      '\n javascript:alert(1)',
      '\u0000javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'javascript://example.com/%0Aalert(1)',
    ]) {
      expect(safeLinkHref(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it('never links the other dangerous or local schemes', () => {
    for (const raw of ['data:text/html,<script>alert(1)</script>', 'DATA:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)', 'VBScript:msgbox(1)', 'file:///etc/passwd', 'blob:https://example.com/1', 'mailto:a@example.com', 'ftp://example.com/']) {
      expect(safeLinkHref(raw), raw).toBeNull();
    }
  });

  it('never links relative or malformed URLs', () => {
    for (const raw of ['/staff#/audit', '../x', 'example.com', '//example.com/x', '#/case/1', '', '   ', 'https://']) {
      expect(safeLinkHref(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it('names the rel every external link carries', () => {
    expect(EXTERNAL_LINK_REL.split(' ').sort()).toEqual(['nofollow', 'noopener', 'noreferrer']);
  });
});
