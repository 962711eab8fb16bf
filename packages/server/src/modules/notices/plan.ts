// From a case and the links an analyst chose to the notices to send: grouped per host (or one per
// link), each with its channel, language, legal basis and words. Used for the preview and for sending,
// so that what the analyst read is what leaves.
import type { EscalationTarget, HostChannelKind, Language, NoticeRequest, Situation } from '@halte/contract';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import { offenceById } from '../cases/offences.js';
import { readSettings } from '../cases/settings.js';
import { StaffError } from '../staff/accounts.js';
import { composeNotice, renderNoticeText, type CitedOffence } from './compose.js';
import { hostForUrl, type DirectoryEntry } from './directory.js';
import type { NoticeDocument } from './document.js';
import { childProtectionRoutes } from './escalation.js';

/** What a notice needs to know about its case: no personal data but the links. */
export interface CaseForNotice {
  readonly id: number;
  readonly country: 'FR' | 'BE' | 'other';
  readonly involvesMinor: boolean;
  readonly situations: readonly Situation[];
  readonly offenceIds: readonly string[];
}

export interface LinkForNotice {
  readonly itemId: number;
  readonly url: string;
  readonly reportedAt: Date;
  readonly noticeSentAt: Date | null;
}

export interface PlannedNotice {
  readonly host: DirectoryEntry;
  readonly links: readonly LinkForNotice[];
  readonly channel: HostChannelKind;
  readonly target: string;
  readonly language: Language;
  readonly alsoReportTo: readonly EscalationTarget[];
  /** renders the notice with its reference (known once its row exists) */
  readonly render: (reference: string | null) => { document: NoticeDocument; subject: string; text: string };
}

/**
 * When the analyst has not qualified the case yet, the notice cites the offences that fit its
 * situations (the legal data's ids; a minor's case the child-abuse material offence first).
 */
const DEFAULT_OFFENCES: Readonly<Record<'FR' | 'BE', { minor: string[]; sextortion: string[]; ncii: string[]; other: string[] }>> = {
  FR: { minor: ['fr-images-pedopornographiques'], sextortion: ['fr-chantage', 'fr-diffusion-non-consentie'], ncii: ['fr-diffusion-non-consentie'], other: ['fr-cyberharcelement'] },
  BE: { minor: ['be-materiel-abus-sexuels-enfants'], sextortion: ['be-diffusion-non-consentie'], ncii: ['be-diffusion-non-consentie'], other: ['be-harcelement'] },
};

export function citedOffences(c: CaseForNotice): CitedOffence[] {
  let ids = [...c.offenceIds];
  if (ids.length === 0 && c.country !== 'other') {
    const d = DEFAULT_OFFENCES[c.country];
    const set = new Set<string>();
    if (c.involvesMinor) d.minor.forEach((id) => set.add(id));
    if (c.situations.includes('sextortion')) d.sextortion.forEach((id) => set.add(id));
    if (c.situations.includes('ncii_diffusion')) d.ncii.forEach((id) => set.add(id));
    if (set.size === 0) d.other.forEach((id) => set.add(id));
    ids = [...set];
  }
  return ids.flatMap((id) => {
    const o = offenceById(id);
    return o ? [{ code: o.code, article: o.article, titleFr: o.title_fr, titleEn: o.title_en, confirmed: o.confirmed }] : [];
  });
}

/** French for hosts established in France or Belgium; English otherwise. */
export function defaultLanguage(host: DirectoryEntry): Language {
  return host.country === 'FR' || host.country === 'BE' ? 'fr' : 'en';
}

function chooseChannel(host: DirectoryEntry, index: number | undefined): { kind: HostChannelKind; target: string } {
  if (index !== undefined) {
    const chosen = host.channels[index];
    if (!chosen) throw new StaffError('CHANNEL_INVALID', 422, `${host.name} has no channel number ${index}`);
    return chosen;
  }
  const chosen = host.channels.find((c) => c.kind === 'email') ?? host.channels[0];
  if (!chosen) throw new StaffError('CHANNEL_INVALID', 422, `${host.name} has no notice channel: an admin adds one`);
  return chosen;
}

/** Groups the links by host (an unknown host refuses the whole request, naming the links). */
export async function planNotices(
  db: Kysely<Database>,
  c: CaseForNotice,
  links: readonly LinkForNotice[],
  request: Pick<NoticeRequest, 'grouping' | 'language' | 'channel' | 'kind'>,
  mailFromAddress: string | null,
  now: Date,
): Promise<PlannedNotice[]> {
  const settings = await readSettings(db);
  const notifierEmail = settings.noticeNotifierEmail ?? mailFromAddress;
  if (notifierEmail === null && !c.involvesMinor) {
    throw new StaffError('NOTIFIER_EMAIL_MISSING', 422, 'notices must give the notifier’s e-mail address: set it in the settings (or HALTE_MAIL_FROM)');
  }
  const byHost = new Map<string, { host: DirectoryEntry; links: LinkForNotice[] }>();
  const unknown: number[] = [];
  for (const link of links) {
    const host = await hostForUrl(db, link.url);
    if (host === null) {
      unknown.push(link.itemId);
      continue;
    }
    const group = byHost.get(host.id) ?? { host, links: [] };
    group.links.push(link);
    byHost.set(host.id, group);
  }
  if (unknown.length > 0) throw new StaffError('HOST_UNKNOWN', 422, `no host in the directory for link(s) ${unknown.join(', ')}: an admin adds it first`);

  const groups = [...byHost.values()].flatMap((g) => (request.grouping === 'per_link' ? g.links.map((l) => ({ host: g.host, links: [l] })) : [g]));
  const offences = citedOffences(c);
  const alsoReportTo = c.involvesMinor ? childProtectionRoutes(c.country) : [];
  return groups.map((g) => {
    const channel = chooseChannel(g.host, request.channel);
    const language = request.language ?? defaultLanguage(g.host);
    const sent = g.links.map((l) => l.noticeSentAt).filter((d): d is Date => d !== null);
    const firstSentAt = sent.length > 0 ? new Date(Math.min(...sent.map((d) => d.getTime()))) : undefined;
    return {
      host: g.host,
      links: g.links,
      channel: channel.kind,
      target: channel.target,
      language,
      alsoReportTo,
      render: (reference) => {
        const document = composeNotice({
          kind: request.kind ?? 'notice',
          language,
          reference,
          date: now,
          host: { name: g.host.name },
          links: g.links.map((l) => ({ url: l.url, reportedAt: l.reportedAt })),
          country: c.country,
          involvesMinor: c.involvesMinor,
          situations: c.situations,
          offences,
          notifier: { name: settings.noticeNotifierName, email: notifierEmail ?? '' },
          // no path yet for the person to agree to give their address to a host (decision 0019)
          personContact: null,
          ...(firstSentAt === undefined ? {} : { firstSentAt }),
          alsoReportedTo: alsoReportTo,
        });
        return { document, subject: document.title, text: renderNoticeText(document) };
      },
    };
  });
}
