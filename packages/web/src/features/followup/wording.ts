// How the follow-up words what the server sends in codes: the case's status, each kind of timeline
// event, counts of items, a withdrawal's progress at partner platforms, and dates in the person's
// locale. Pure (no React): the screens and the tests use the same functions.
import type { FollowupView, Language, TakedownProgress, TimelineKind } from '@halte/contract';

import { translate, type MessageKey } from '../../i18n/catalogues';

export type CaseStatus = FollowupView['status'];
export type TimelineEntry = FollowupView['timeline'][number];
export type CaseItem = FollowupView['items'][number];

export const STATUS_WORDS: Readonly<Record<CaseStatus, MessageKey>> = {
  new: 'case.status.new',
  triaged: 'case.status.triaged',
  in_progress: 'case.status.in_progress',
  waiting: 'case.status.waiting',
  closed: 'case.status.closed',
  withdrawn: 'case.status.withdrawn',
};

/** Every kind the contract lists has its words (a new kind is a compile error here until worded). */
export const TIMELINE_WORDS: Readonly<Record<TimelineKind, MessageKey>> = {
  report_received: 'timeline.report_received',
  items_added: 'timeline.items_added',
  message_from_person: 'timeline.message_from_person',
  message_from_team: 'timeline.message_from_team',
  withdrawn: 'timeline.withdrawn',
  // the words when the event's data cannot be read; timelineLine words what it carries
  reupload_blocked: 'timeline.reupload.blocked.one',
  takedown_progress: 'timeline.takedown.generic',
};

const DEFAULT_LOCALES: Readonly<Record<Language, string>> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * The locale for dates: the person's own variant of the page's language when their browser prefers one
 * (fr-BE, fr-CA, en-US…), else France's French or British English.
 */
export function localeFor(language: Language, preferred: readonly string[] = []): string {
  for (const tag of preferred) {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical !== undefined && new Intl.Locale(canonical).language === language) return canonical;
    } catch {
      // not a language tag: skip it
    }
  }
  return DEFAULT_LOCALES[language];
}

/** A date and time from the server (ISO 8601, UTC) in `locale`, in the device's time zone unless given. */
export function formatDateTime(iso: string, locale: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', ...(timeZone === undefined ? {} : { timeZone }) }).format(date);
}

export interface ItemCounts {
  readonly images: number;
  readonly videos: number;
  readonly urls: number;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0);

/** The counts a report_received or items_added event carries, or null when it carries none. */
export function eventCounts(data: unknown): ItemCounts | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  const counts = { images: count(record['images']), videos: count(record['videos']), urls: count(record['urls']) };
  return counts.images + counts.videos + counts.urls > 0 ? counts : null;
}

const COUNT_WORDS = {
  images: { one: 'count.images.one', other: 'count.images.other' },
  videos: { one: 'count.videos.one', other: 'count.videos.other' },
  urls: { one: 'count.urls.one', other: 'count.urls.other' },
} as const satisfies Record<keyof ItemCounts, Record<'one' | 'other', MessageKey>>;

/** "3 empreintes d’images et 2 liens" / "3 picture fingerprints and 2 links"; '' when all are zero. */
export function countsText(language: Language, counts: ItemCounts): string {
  const locale = DEFAULT_LOCALES[language];
  const plural = new Intl.PluralRules(locale);
  const parts = (['images', 'videos', 'urls'] as const)
    .filter((kind) => counts[kind] > 0)
    // French says "1 lien", "0 lien", "2 liens": PluralRules knows; every form but "one" is plural here.
    .map((kind) => translate(language, COUNT_WORDS[kind][plural.select(counts[kind]) === 'one' ? 'one' : 'other'], { count: counts[kind] }));
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(parts);
}

/** What a partner platform did with a re-upload it recognised (contract ReuploadBlocked), as read from an event. */
export interface Reupload {
  readonly outcome: 'blocked' | 'removed';
  /** the platform's name, only when it agreed to be named */
  readonly partner: string | null;
  readonly count: number;
}

/** The data of a reupload_blocked event, or null when it cannot be read (then the kind's plain words are shown). */
export function reuploadOf(data: unknown): Reupload | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  const outcome = record['outcome'];
  if (outcome !== 'blocked' && outcome !== 'removed') return null;
  const partner = typeof record['partner'] === 'string' && record['partner'].trim() !== '' ? record['partner'].trim() : null;
  // a count the server should never send (0, negative, not a number) is said as one upload, never as "0"
  const raw = record['count'];
  const count = typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 1 ? raw : 1;
  return { outcome, partner, count };
}

const REUPLOAD_WORDS = {
  blocked: {
    one: { named: 'timeline.reupload.blocked.one.named', unnamed: 'timeline.reupload.blocked.one' },
    other: { named: 'timeline.reupload.blocked.other.named', unnamed: 'timeline.reupload.blocked.other' },
  },
  removed: {
    one: { named: 'timeline.reupload.removed.one.named', unnamed: 'timeline.reupload.removed.one' },
    other: { named: 'timeline.reupload.removed.other.named', unnamed: 'timeline.reupload.removed.other' },
  },
} as const satisfies Record<Reupload['outcome'], Record<'one' | 'other', Record<'named' | 'unnamed', MessageKey>>>;

/**
 * "Une nouvelle mise en ligne a été bloquée sur Instagram." / "3 new uploads were removed by a partner
 * platform." The count is said only when there was more than one.
 */
export function reuploadText(language: Language, reupload: Reupload): string {
  const form = reupload.count > 1 ? 'other' : 'one';
  const key = REUPLOAD_WORDS[reupload.outcome][form][reupload.partner === null ? 'unnamed' : 'named'];
  return translate(language, key, { count: new Intl.NumberFormat(DEFAULT_LOCALES[language]).format(reupload.count), partner: reupload.partner ?? '' });
}

export type TakedownStep = TakedownProgress['state'];
const TAKEDOWN_STEPS: readonly TakedownStep[] = ['notice_sent', 'acknowledged', 'removed', 'refused', 'escalated'];

/** The data of a takedown_progress event, or null when it cannot be read (then the kind's plain words are shown). */
export function takedownOf(data: unknown): TakedownProgress | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  const state = record['state'];
  if (typeof state !== 'string' || !(TAKEDOWN_STEPS as readonly string[]).includes(state)) return null;
  const host = typeof record['host'] === 'string' && record['host'].trim() !== '' ? record['host'].trim() : null;
  const raw = record['count'];
  const count = typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 1 ? raw : 1;
  return { state: state as TakedownStep, host, count };
}

/** "Une demande de retrait a été envoyée à Instagram pour 2 liens." — and what it means, next. */
export function takedownText(language: Language, progress: TakedownProgress): Pick<TimelineLine, 'text' | 'detail'> {
  const form = progress.count > 1 ? 'other' : 'one';
  const host = progress.host ?? translate(language, 'timeline.takedown.platform');
  return {
    text: translate(language, `timeline.takedown.${progress.state}.${form}`, { host, count: new Intl.NumberFormat(DEFAULT_LOCALES[language]).format(progress.count) }),
    detail: translate(language, `timeline.takedown.${progress.state}.how`),
  };
}

/** Where one link's removal stands, for the person (null while nobody has acted on it yet). */
export function takedownStatus(language: Language, takedown: CaseItem['takedown'], locale: string): { text: string; since: string } | null {
  if (takedown === null || takedown.state === 'reported') return null;
  const key = takedown.host === null ? (`case.item.takedown.${takedown.state}.unnamed` as const) : (`case.item.takedown.${takedown.state}` as const);
  return { text: translate(language, key, { host: takedown.host ?? '' }), since: translate(language, 'case.item.takedown.since', { date: formatDateTime(takedown.since, locale) }) };
}

export interface TimelineLine {
  readonly text: string;
  /** what was sent, for events that carry counts; how a platform knew, for a blocked re-upload; '' otherwise */
  readonly detail: string;
  readonly when: string;
}

function lineWords(language: Language, entry: TimelineEntry): Pick<TimelineLine, 'text' | 'detail'> {
  if (entry.kind === 'reupload_blocked') {
    const reupload = reuploadOf(entry.data);
    if (reupload === null) return { text: translate(language, TIMELINE_WORDS[entry.kind]), detail: '' };
    return { text: reuploadText(language, reupload), detail: translate(language, `timeline.reupload.${reupload.outcome}.how`) };
  }
  if (entry.kind === 'takedown_progress') {
    const progress = takedownOf(entry.data);
    return progress === null ? { text: translate(language, TIMELINE_WORDS[entry.kind]), detail: '' } : takedownText(language, progress);
  }
  const counts = entry.kind === 'report_received' || entry.kind === 'items_added' ? eventCounts(entry.data) : null;
  return { text: translate(language, TIMELINE_WORDS[entry.kind]), detail: counts === null ? '' : countsText(language, counts) };
}

export function timelineLine(language: Language, entry: TimelineEntry, locale: string, timeZone?: string): TimelineLine {
  return { ...lineWords(language, entry), when: formatDateTime(entry.at, locale, timeZone) };
}

export type WithdrawalProgress = NonNullable<FollowupView['withdrawal']>;

/**
 * The number the noun "partner platform(s)" agrees with: French says "par 1 plateforme partenaire sur
 * 3" (the first number), English "by 1 of 3 partner platforms" (the second).
 */
const PROGRESS_NOUN_COUNT: Readonly<Record<Language, keyof WithdrawalProgress>> = { fr: 'appliedBy', en: 'partners' };

/**
 * The paragraphs that say where a withdrawal stands at the partner platforms: how many confirmed
 * deleting the fingerprints out of how many received them, why Halte still keeps something, and
 * whether more confirmations are to come. When no platform receives the bank, one sentence says so.
 */
export function withdrawalParagraphs(language: Language, progress: WithdrawalProgress): string[] {
  const partners = Math.max(0, Math.floor(progress.partners));
  if (partners === 0) return [translate(language, 'withdrawal.noPartner')];
  // never "4 sur 3": a platform that confirmed and was later removed is not counted twice
  const appliedBy = Math.min(partners, Math.max(0, Math.floor(progress.appliedBy)));
  const locale = DEFAULT_LOCALES[language];
  const numbers = new Intl.NumberFormat(locale);
  const agreesWith = PROGRESS_NOUN_COUNT[language] === 'appliedBy' ? appliedBy : partners;
  const form = new Intl.PluralRules(locale).select(agreesWith) === 'one' ? 'one' : 'other';
  return [
    translate(language, `withdrawal.progress.${form}`, { applied: numbers.format(appliedBy), partners: numbers.format(partners) }),
    translate(language, 'withdrawal.kept'),
    translate(language, appliedBy === partners ? 'withdrawal.done' : 'withdrawal.pending'),
  ];
}

/** The label of each item: fingerprints and links numbered separately, in the order they were added. */
export function itemLabels(language: Language, items: readonly CaseItem[]): string[] {
  const seen = { image: 0, video: 0, url: 0 };
  return items.map((item) => {
    seen[item.kind] += 1;
    return translate(language, `case.item.${item.kind}`, { n: seen[item.kind] });
  });
}
