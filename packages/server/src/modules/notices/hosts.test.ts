import { HostEntryInput } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import rawHosts from './hosts.json' with { type: 'json' };
import { findHost, HOST_DIRECTORY_SEED, HostEntry, hostOf } from './hosts.js';

const seed = HOST_DIRECTORY_SEED;
const byId = (id: string): HostEntry => {
  const e = seed.find((h) => h.id === id);
  if (!e) throw new Error(`no seed entry "${id}"`);
  return e;
};
const lookup = (url: string) => findHost(seed, url)?.id ?? null;

/** The services the seed must know (issue brief): where intimate images are posted, or dating happens. */
const REQUIRED = [
  'x', 'instagram', 'facebook', 'whatsapp', 'threads', 'tiktok', 'snapchat', 'reddit', 'telegram', 'discord', 'youtube',
  'google-drive', 'pornhub', 'aylo', 'xhamster', 'xvideos', 'xnxx', 'onlyfans', 'mega', 'dropbox', 'imgur',
  'meetic', 'tinder', 'bumble', 'hinge', 'happn', 'grindr', 'badoo', 'lovoo', 'pinterest', 'tumblr', 'twitch',
];

describe('the seed', () => {
  it('is the JSON file, every entry valid', () => {
    expect(seed).toHaveLength((rawHosts as unknown[]).length);
    for (const raw of rawHosts as unknown[]) expect(HostEntry.safeParse(raw).error).toBeUndefined();
  });

  it('contains every service named in the brief', () => {
    expect(REQUIRED.filter((id) => !seed.some((h) => h.id === id))).toEqual([]);
    expect(byId('aylo').domains).toEqual(expect.arrayContaining(['youporn.com', 'redtube.com', 'tube8.com', 'brazzers.com']));
    expect(byId('mega').domains).toEqual(expect.arrayContaining(['mega.nz', 'mega.io']));
    expect(byId('google-drive').domains).toEqual(expect.arrayContaining(['drive.google.com', 'photos.google.com', 'docs.google.com']));
  });

  it('has unique ids, and no name in two entries', () => {
    expect(new Set(seed.map((h) => h.id)).size).toBe(seed.length);
    const names = seed.flatMap((h) => h.domains);
    expect(names.filter((d, i) => names.indexOf(d) !== i)).toEqual([]);
  });

  it('has channels an analyst can use: https forms, e-mail addresses, each with a note', () => {
    for (const h of seed) {
      expect(h.channels.length, h.id).toBeGreaterThanOrEqual(1);
      for (const c of h.channels) {
        if (c.kind === 'email') expect(c.target, h.id).toMatch(/^[^\s@]+@[a-z0-9.-]+\.[a-z]{2,}$/);
        else expect(new URL(c.target).protocol, h.id).toBe('https:');
        expect(c.note, h.id).toBeTruthy();
      }
    }
  });

  it('dates every check, and says a regulator only with its EU country', () => {
    for (const h of seed) {
      expect(h.checkedAt, h.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(`${h.checkedAt}T00:00:00Z`).toISOString().slice(0, 10), h.id).toBe(h.checkedAt);
      if (h.country === null) expect(h.regulator, h.id).toBeNull();
      else expect(h.regulator, h.id).toMatch(new RegExp(` \\(${h.country}\\)$`));
    }
  });

  it('lists lower-case names, and the seed can be saved as is through the admin form', () => {
    for (const h of seed) {
      for (const d of h.domains) expect(d, h.id).toBe(d.toLowerCase());
      const { id: _id, ...input } = h;
      expect(HostEntryInput.safeParse(input).error, h.id).toBeUndefined();
    }
  });

  it('marks the adult platforms', () => {
    expect(seed.filter((h) => h.adult).map((h) => h.id).sort()).toEqual(['aylo', 'onlyfans', 'pornhub', 'xhamster', 'xnxx', 'xvideos']);
  });
});

describe('the entry schema refuses', () => {
  const good = byId('telegram');
  const refused = (change: Record<string, unknown>) => HostEntry.safeParse({ ...good, ...change }).success === false;

  it('unknown fields, a bad id, no domain, no channel', () => {
    expect(HostEntry.safeParse(good).success).toBe(true);
    expect(refused({ extra: 1 })).toBe(true);
    expect(refused({ id: 'Telegram' })).toBe(true);
    expect(refused({ domains: [] })).toBe(true);
    expect(refused({ channels: [] })).toBe(true);
  });

  it('names that are not lower-case host names, or that are a bare public suffix', () => {
    for (const d of ['T.me', 'https://t.me', 't.me/', 't.me.', 't.me:443', '*.t.me', 'co.uk', 'localhost', '192.168.1.1']) {
      expect(refused({ domains: [d] }), d).toBe(true);
    }
    expect(refused({ domains: ['t.me', 't.me'] })).toBe(true);
  });

  it('a form that is not https, an e-mail that is not an address', () => {
    expect(refused({ channels: [{ kind: 'dsa_form', target: 'http://telegram.org/dsa-report' }] })).toBe(true);
    expect(refused({ channels: [{ kind: 'trusted_flagger', target: 'abuse@telegram.org' }] })).toBe(true);
    expect(refused({ channels: [{ kind: 'email', target: 'https://telegram.org/dsa-report' }] })).toBe(true);
    expect(refused({ channels: [{ kind: 'phone', target: '+32 2 216 19 71' }] })).toBe(true);
    expect(refused({ channels: [{ kind: 'email', target: 'abuse@telegram.org' }] })).toBe(false);
  });

  it('a country outside the EU, a regulator that is not the country’s, a bad date or confidence', () => {
    expect(refused({ country: 'GB', regulator: 'Ofcom (GB)' })).toBe(true);
    expect(refused({ country: 'be' })).toBe(true);
    expect(refused({ country: 'IE' })).toBe(true); // regulator still "IBPT/BIPT (BE)"
    expect(refused({ country: null })).toBe(true); // a regulator without a country
    expect(refused({ country: null, regulator: null })).toBe(false);
    expect(refused({ checkedAt: '2026-02-30' })).toBe(true);
    expect(refused({ checkedAt: '27/11/2026' })).toBe(true);
    expect(refused({ confidence: 'likely' })).toBe(true);
  });
});

describe('hostOf', () => {
  it('gives the host name and the registrable domain', () => {
    expect(hostOf('https://WWW.Instagram.com/p/abc')).toEqual({ hostname: 'www.instagram.com', domain: 'instagram.com' });
    expect(hostOf('https://fr.pornhub.com/view_video.php?viewkey=1')).toEqual({ hostname: 'fr.pornhub.com', domain: 'pornhub.com' });
    expect(hostOf('https://a.b.example.co.uk/x')).toEqual({ hostname: 'a.b.example.co.uk', domain: 'example.co.uk' });
    expect(hostOf('  http://t.me/channel  ')).toEqual({ hostname: 't.me', domain: 't.me' });
  });

  it('honours private suffixes', () => {
    expect(hostOf('https://foo.blogspot.com/2026/01/x.html')).toEqual({ hostname: 'foo.blogspot.com', domain: 'foo.blogspot.com' });
    expect(hostOf('https://someone.github.io/')).toEqual({ hostname: 'someone.github.io', domain: 'someone.github.io' });
  });

  it('reads the host as a browser does', () => {
    expect(hostOf('https://www.pornhub.com./view')?.hostname).toBe('www.pornhub.com');
    expect(hostOf('https://user:pw@instagram.com:8443/p/x')).toEqual({ hostname: 'instagram.com', domain: 'instagram.com' });
    // the browser goes to evil.example, not to instagram.com
    expect(hostOf('https://instagram.com@evil.example.org/p/x')?.domain).toBe('example.org');
    expect(hostOf('https://instagram.com\\@evil.example.org/')?.domain).toBe('instagram.com');
    expect(hostOf('https://bücher.de/x')).toEqual({ hostname: 'xn--bcher-kva.de', domain: 'xn--bcher-kva.de' });
  });

  it('is null for what is not a web address with a registrable domain', () => {
    for (const u of [
      'not a url',
      '',
      'instagram.com/p/abc', // no scheme: the intake normalises links first
      'ftp://t.me/x',
      'mailto:someone@instagram.com',
      'javascript:alert(1)',
      'http://192.168.1.1/',
      'http://0x7f.1/', // 127.0.0.1
      'http://[::1]/',
      'https://localhost/',
      'https://foo.local/x',
      'https://co.uk/',
      'https://com/',
    ]) {
      expect(hostOf(u), u).toBeNull();
    }
  });
});

describe('findHost', () => {
  it.each([
    ['https://WWW.Instagram.com/p/abc', 'instagram'],
    ['https://scontent-cdg4-1.cdninstagram.com/v/t51/x.jpg', 'instagram'],
    ['https://m.facebook.com/story.php?story_fbid=1', 'facebook'],
    ['https://www.threads.net/@someone/post/abc', 'threads'],
    ['https://chat.whatsapp.com/AbCdEf', 'whatsapp'],
    ['https://x.com/someone/status/1', 'x'],
    ['https://pbs.twimg.com/media/abc.jpg', 'x'],
    ['https://fr.pornhub.com/view_video.php?viewkey=abc', 'pornhub'],
    ['https://www.youporn.com/watch/1/', 'aylo'],
    ['https://t.me/channel', 'telegram'],
    ['https://discord.com/channels/1/2', 'discord'],
    ['https://cdn.discordapp.com/attachments/1/2/x.png', 'discord'],
    ['https://media.discordapp.net/attachments/1/2/x.png', 'discord'],
    ['https://youtu.be/dQw4w9WgXcQ', 'youtube'],
    ['https://vm.tiktok.com/ZMabc/', 'tiktok'],
    ['https://old.reddit.com/r/x/comments/1', 'reddit'],
    ['https://i.redd.it/abc.jpg', 'reddit'],
    ['https://i.imgur.com/x.jpg', 'imgur'],
    ['https://mega.nz/file/abc#key', 'mega'],
    ['https://mega.io/', 'mega'],
    ['https://www.dropbox.com/s/abc/x.jpg?dl=0', 'dropbox'],
    ['https://xhamster.com/videos/x-1', 'xhamster'],
    ['https://www.xvideos.com/video1/x', 'xvideos'],
    ['https://onlyfans.com/someone', 'onlyfans'],
    ['https://www.meetic.fr/', 'meetic'],
    ['https://someone.tumblr.com/post/1', 'tumblr'],
  ])('%s → %s', (url, id) => {
    expect(lookup(url)).toBe(id);
  });

  it('prefers a full host name to its registrable domain: Google Drive is not all of google.com', () => {
    expect(lookup('https://drive.google.com/file/d/abc/view')).toBe('google-drive');
    expect(lookup('https://docs.google.com/document/d/abc')).toBe('google-drive');
    expect(lookup('https://photos.google.com/share/abc')).toBe('google-drive');
    expect(lookup('https://photos.app.goo.gl/abc')).toBe('google-drive');
    expect(lookup('https://google.com/')).toBe('google-search');
    expect(lookup('https://www.google.com/search?q=x')).toBe('google-search');
    expect(lookup('https://www.google.com/drive/')).toBe('google-search');
    expect(lookup('https://sites.google.com/view/x')).toBe('google-hosted');
    // the same rule on a made-up directory, so it does not depend on the seed's data
    const dir = [{ ...byId('google-search'), domains: ['google.com'] }, { ...byId('google-drive'), domains: ['drive.google.com'] }];
    expect(findHost(dir, 'https://drive.google.com/x')?.id).toBe('google-drive');
    expect(findHost(dir, 'https://a.drive.google.com/x')?.id).toBe('google-drive');
    expect(findHost(dir, 'https://google.com/x')?.id).toBe('google-search');
    expect(findHost(dir.slice(1), 'https://google.com/x')).toBeNull();
    expect(findHost(dir.slice(1), 'https://mail.google.com/x')).toBeNull();
  });

  it('finds the operator of a private suffix for its customers’ subdomains', () => {
    expect(hostOf('https://someone.blogspot.com/x')?.domain).toBe('someone.blogspot.com');
    expect(lookup('https://someone.blogspot.com/x')).toBe('google-hosted');
    expect(lookup('https://someone.github.io/')).toBeNull();
  });

  it('knows nothing of unknown hosts and invalid input', () => {
    for (const u of ['https://example.org/x', 'http://192.168.1.1/', 'not a url', 'https://localhost/', 'https://pornhub.com.evil.example/x', 'https://notinstagram.com/p/x', 'https://com/']) {
      expect(lookup(u), u).toBeNull();
    }
    expect(findHost([], 'https://t.me/x')).toBeNull();
  });

  it('gives the first entry when two list the same name (an admin’s edit can do that)', () => {
    const a = { ...byId('telegram'), id: 'a' };
    const b = { ...byId('telegram'), id: 'b' };
    expect(findHost([a, b], 'https://t.me/x')?.id).toBe('a');
  });
});
