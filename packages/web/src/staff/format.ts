// Formatting for the staff screens: dates, ages ("il y a 3 h"), priorities in hours, audit data as
// key=value, short hashes, the TOTP secret in groups of four. Pure: the locale and the time zone are
// arguments (the device's by default), so tests give fixed ones.
import type { CaseDetail, Language, StaffMe } from '@halte/contract';

import { localeFor } from '../features/followup/wording';

/** The locale of numbers and dates: the staff language, in the device's variant of it (fr-BE, en-US…). */
export function staffLocale(language: Language, preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages): string {
  return localeFor(language, preferred);
}

/** "26 nov. 2026, 14:30": short enough for a table cell, with the year (cases outlive a year). */
export function formatWhen(iso: string, locale: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone === undefined ? {} : { timeZone }) }).format(date);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago `iso` was, in the unit a person would say: minutes under an hour, hours under two days,
 * then days ("il y a 3 h", "3 hr. ago"). A time slightly ahead (clock skew) counts as now.
 */
export function formatAge(iso: string, now: Date, locale: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const elapsed = Math.max(0, now.getTime() - at);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'short' });
  if (elapsed < HOUR) return format.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < 2 * DAY) return format.format(-Math.floor(elapsed / HOUR), 'hour');
  return format.format(-Math.floor(elapsed / DAY), 'day');
}

/** A number of hours with at most one decimal, in the locale ("12,5", "-3"). */
export function formatHours(hours: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(hours);
}

/** The base32 secret in groups of four, to type it without losing one's place ("JBSW Y3DP …"). */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** The start of a hash, enough to tell entries apart on screen (the full value stays in the title). */
export function shortHash(hash: string, length = 12): string {
  return hash.length <= length ? hash : `${hash.slice(0, length)}…`;
}

const MAX_VALUE_CHARS = 80;

function valueText(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(valueText).join(',')}]`;
  return JSON.stringify(value);
}

/** An audit entry's or an event's data as "key=value key=value", each value cut at 80 characters. */
export function compactData(data: Readonly<Record<string, unknown>>): string {
  return Object.entries(data)
    .map(([key, value]) => {
      const text = valueText(value);
      return `${key}=${text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text}`;
    })
    .join(' ');
}

/**
 * The e-mail addresses of the staff a case names (assignee, authors, reviewers, the qualifier) and the
 * logged-in account, by id: the timeline's actors carry an id only.
 */
export function staffNames(detail: Pick<CaseDetail, 'assignee' | 'notes' | 'messages' | 'items' | 'qualification'>, me: Pick<StaffMe, 'id' | 'email'>): Map<number, string> {
  const names = new Map<number, string>();
  const add = (ref: { readonly id: number; readonly email: string } | null) => {
    if (ref !== null) names.set(ref.id, ref.email);
  };
  add(detail.assignee);
  for (const note of detail.notes) add(note.author);
  for (const message of detail.messages) add(message.staff);
  for (const item of detail.items) add(item.reviewedBy);
  add(detail.qualification.by);
  names.set(me.id, me.email);
  return names;
}
