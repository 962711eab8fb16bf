// How the follow-up words what the server sends in codes: the case's status, each kind of timeline
// event, counts of items, and dates in the person's locale. Pure (no React): the screens and the tests
// use the same functions.
import type { FollowupView, Language, TimelineKind } from '@halte/contract';

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

export interface TimelineLine {
  readonly text: string;
  /** what was sent, for events that carry counts; '' otherwise */
  readonly detail: string;
  readonly when: string;
}

export function timelineLine(language: Language, entry: TimelineEntry, locale: string, timeZone?: string): TimelineLine {
  const counts = entry.kind === 'report_received' || entry.kind === 'items_added' ? eventCounts(entry.data) : null;
  return {
    text: translate(language, TIMELINE_WORDS[entry.kind]),
    detail: counts === null ? '' : countsText(language, counts),
    when: formatDateTime(entry.at, locale, timeZone),
  };
}

/** The label of each item: fingerprints and links numbered separately, in the order they were added. */
export function itemLabels(language: Language, items: readonly CaseItem[]): string[] {
  const seen = { image: 0, video: 0, url: 0 };
  return items.map((item) => {
    seen[item.kind] += 1;
    return translate(language, `case.item.${item.kind}`, { n: seen[item.kind] });
  });
}
