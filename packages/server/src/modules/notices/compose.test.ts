// The words of notices, pinned by golden files read line by line (golden/*.txt; HALTE_UPDATE_GOLDEN=1
// rewrites them — then read the diff before committing), and the properties every notice must have
// whatever its facts: the four elements of DSA art. 16(2), no image, no contact details without consent,
// no notifier where a minor is involved, French typography.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { citedOffences } from './plan.js';
import { composeEscalation, composeNotice, frenchSpacing, renderNoticeText, type NoticeFacts } from './compose.js';

const NNBSP = '\u202F';
const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}.txt`, import.meta.url));

const BASE: NoticeFacts = {
  kind: 'notice',
  language: 'fr',
  reference: 'HALTE-N42',
  date: new Date('2026-11-27T10:15:00Z'),
  host: { name: 'Instagram (Meta)' },
  links: [
    { url: 'https://www.instagram.com/p/Cx1AbCdEfG/', reportedAt: new Date('2026-11-26T21:03:00Z') },
    { url: 'https://www.instagram.com/stories/someone.account/3141592653589793/', reportedAt: new Date('2026-11-26T21:04:00Z') },
  ],
  country: 'FR',
  involvesMinor: false,
  situations: ['sextortion'],
  offences: citedOffences({ id: 1, country: 'FR', involvesMinor: false, situations: ['sextortion'], offenceIds: [] }),
  notifier: { name: 'Halte', email: 'signalements@halte.example.org' },
  personContact: null,
  alsoReportedTo: [],
};

const CASES: Record<string, NoticeFacts> = {
  'fr-sextortion-adult': BASE,
  'fr-minor': {
    ...BASE,
    involvesMinor: true,
    situations: ['ncii_diffusion'],
    offences: citedOffences({ id: 1, country: 'FR', involvesMinor: true, situations: ['ncii_diffusion'], offenceIds: [] }),
    alsoReportedTo: ['pharos', 'e_enfance_3018'],
  },
  'be-ncii-adult': {
    ...BASE,
    host: { name: 'Pornhub (Aylo)' },
    links: [{ url: 'https://fr.pornhub.com/view_video.php?viewkey=ph5f0a1b2c3d4e5', reportedAt: new Date('2026-11-20T08:00:00Z') }],
    country: 'BE',
    situations: ['ncii_diffusion'],
    offences: citedOffences({ id: 1, country: 'BE', involvesMinor: false, situations: ['ncii_diffusion'], offenceIds: [] }),
  },
  'en-other-adult': {
    ...BASE,
    language: 'en',
    host: { name: 'Reddit' },
    links: [{ url: 'https://old.reddit.com/r/somewhere/comments/abc123/title/', reportedAt: new Date('2026-11-25T17:30:00Z') }],
    country: 'other',
    situations: ['ncii_diffusion', 'cyberharassment'],
    offences: [],
  },
  'fr-reminder': { ...BASE, kind: 'reminder', firstSentAt: new Date('2026-11-25T09:00:00Z') },
  'en-minor-be': {
    ...BASE,
    language: 'en',
    country: 'BE',
    involvesMinor: true,
    situations: ['sextortion'],
    offences: citedOffences({ id: 1, country: 'BE', involvesMinor: true, situations: ['sextortion'], offenceIds: [] }),
    alsoReportedTo: ['child_focus'],
  },
};

describe('notice texts (golden files)', () => {
  for (const [name, facts] of Object.entries(CASES)) {
    it(name, () => {
      const text = renderNoticeText(composeNotice(facts));
      if (process.env['HALTE_UPDATE_GOLDEN'] === '1') writeFileSync(golden(name), text);
      expect(text).toBe(readFileSync(golden(name), 'utf8'));
    });
  }

  it('escalation to PHAROS', () => {
    const text = renderNoticeText(
      composeEscalation({
        language: 'fr',
        reference: 'HALTE-N43',
        date: new Date('2026-11-27T10:15:00Z'),
        target: { name: 'PHAROS' },
        host: { name: 'Instagram (Meta)' },
        links: [{ url: 'https://www.instagram.com/p/Cx1AbCdEfG/', reportedAt: new Date('2026-11-26T21:03:00Z'), noticeSentAt: new Date('2026-11-26T22:00:00Z') }],
        country: 'FR',
        involvesMinor: true,
        situations: ['ncii_diffusion'],
        offences: citedOffences({ id: 1, country: 'FR', involvesMinor: true, situations: ['ncii_diffusion'], offenceIds: [] }),
        notifier: { name: 'Halte', email: 'signalements@halte.example.org' },
      }),
    );
    if (process.env['HALTE_UPDATE_GOLDEN'] === '1') writeFileSync(golden('fr-escalation-pharos'), text);
    expect(text).toBe(readFileSync(golden('fr-escalation-pharos'), 'utf8'));
  });
});

describe('what every notice holds', () => {
  const all = Object.entries(CASES).map(([name, facts]) => ({ name, facts, text: renderNoticeText(composeNotice(facts)) }));

  it('the four elements of art. 16(2): explanation, exact URLs, notifier (or why not), good faith', () => {
    for (const { facts, text } of all) {
      const fr = facts.language === 'fr';
      expect(text).toContain(fr ? 'article 16, paragraphe 2, point a' : 'Article 16(2)(a)');
      expect(text).toContain(fr ? 'article 16, paragraphe 2, point b' : 'Article 16(2)(b)');
      expect(text).toContain(fr ? 'article 16, paragraphe 2, point c' : 'Article 16(2)(c)');
      expect(text).toContain(fr ? 'Je déclare de bonne foi' : 'I state in good faith');
      for (const link of facts.links) expect(text).toContain(link.url);
      expect(text).toContain(fr ? 'Aucune image' : 'No image');
      // removal, re-upload, preservation, acknowledgement and reasoned decision
      expect(text).toMatch(fr ? /Retirer ces contenus/ : /Remove this content/);
      expect(text).toMatch(fr ? /remise en ligne/ : /uploaded again/);
      expect(text).toMatch(fr ? /Conserver les données/ : /Preserve the data/);
      expect(text).toMatch(fr ? /accuser réception/ : /acknowledge receipt/);
      expect(text).toMatch(fr ? /décision, ses motifs et les voies de recours/ : /decision, its reasons and the means of redress/);
    }
  });

  it('the notifier is named with an address, except where the content involves a minor', () => {
    for (const { facts, text } of all) {
      if (facts.involvesMinor) {
        expect(text).not.toContain(facts.notifier.email);
        expect(text).toMatch(/2011\/93/);
      } else {
        expect(text).toContain(`${facts.notifier.name} — ${facts.notifier.email}`);
      }
    }
  });

  it("never the person's contact details unless they agreed", () => {
    const email = 'victime.privee@example.net';
    expect(renderNoticeText(composeNotice({ ...BASE, personContact: null }))).not.toContain(email);
    expect(renderNoticeText(composeNotice({ ...BASE, personContact: { email } }))).toContain(email);
    // a minor's notice carries no address at all, even with consent
    expect(renderNoticeText(composeNotice({ ...BASE, involvesMinor: true, personContact: { email } }))).not.toContain(email);
  });

  it('cites the law of the country: FR articles; BE offences without an unverified number; DSA everywhere', () => {
    const fr = renderNoticeText(composeNotice(CASES['fr-sextortion-adult'] as NoticeFacts));
    expect(fr).toContain('article 312-10');
    expect(fr).toContain('article 226-2-1');
    const be = renderNoticeText(composeNotice(CASES['be-ncii-adult'] as NoticeFacts));
    expect(be).not.toMatch(/417\/9|371\/1/);
    expect(be).toContain('Code pénal belge.');
    const minor = renderNoticeText(composeNotice(CASES['fr-minor'] as NoticeFacts));
    expect(minor).toContain('article 227-23');
    expect(minor).toContain('PHAROS et 3018 (e-Enfance)');
    for (const { text } of all) expect(text).toContain('2022/2065');
  });

  it('French typography: a narrow no-break space before ; : ! ? » and after «, never a plain one', () => {
    const text = renderNoticeText(composeNotice(BASE));
    expect(text).toContain(`Base légale${NNBSP}:`);
    expect(text).not.toMatch(/ [;:!?»]/);
    expect(frenchSpacing('« oui » : non ; peut-être ? non !')).toBe(`«${NNBSP}oui${NNBSP}»${NNBSP}: non${NNBSP}; peut-être${NNBSP}? non${NNBSP}!`);
    // a link keeps its colons
    expect(text).toContain('https://www.instagram.com/p/Cx1AbCdEfG/');
  });
});
