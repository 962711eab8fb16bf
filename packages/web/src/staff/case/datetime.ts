// The sextortion deadline is typed in a <input type="datetime-local"> (a wall-clock time, no zone) and
// sent as ISO 8601 with the offset of the time zone it was typed in (the contract's DeadlineRequest), so
// the server stores the instant the analyst meant. Both ways go through Intl with an explicit time zone
// (the device's by default), which keeps them testable in any zone and right across DST changes.

/** The device's time zone (IANA name). */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time of the instant `ms` in `timeZone`. */
function wallTime(ms: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  const year = Number(parts['year']);
  return {
    year: parts['era'] === 'BC' || parts['era'] === 'B' ? 1 - year : year,
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
  };
}

function utcOf(w: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(w.year, w.month - 1, w.day);
  date.setUTCHours(w.hour, w.minute, w.second, 0);
  return date.getTime();
}

/** The offset of `timeZone` at the instant `ms`, in minutes east of UTC (Paris in winter: 60). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return Math.round((utcOf(wallTime(whole, timeZone)) - whole) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function formatOffset(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;

/**
 * A datetime-local value ("2026-03-05T14:30") read in `timeZone` → "2026-03-05T14:30:00+01:00"; null when
 * the value is not a valid date and time. A time that does not exist (skipped when clocks go forward) is
 * moved forward by the gap, as browsers do ("02:30" on the night of the change → "03:30+02:00"); a time
 * that happens twice (clocks go back) is the first one: a deadline is never read later than meant.
 */
export function localInputToIso(value: string, timeZone: string = deviceTimeZone()): string | null {
  const match = LOCAL_INPUT.exec(value.trim());
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? '0')) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const wall: WallTime = { year, month, day, hour, minute, second };
  const asUtc = utcOf(wall);
  // The calendar check: 2026-02-30 rolls over to March in Date arithmetic.
  if (new Date(asUtc).getUTCDate() !== day) return null;
  // The zone's offsets a day before and a day after: one, or the two sides of a clock change.
  const before = offsetMinutes(asUtc - DAY, timeZone);
  const after = offsetMinutes(asUtc + DAY, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => utcOf(wallTime(instant, timeZone)) === asUtc)
    .sort((a, b) => a - b);
  // No candidate shows that wall time: it is in the gap; the offset before the change moves it past it.
  const instant = candidates[0] ?? asUtc - before * 60_000;
  return isoInZone(instant, timeZone);
}

const DAY = 86_400_000;

/** The instant `ms` as "YYYY-MM-DDTHH:MM:SS±HH:MM" in `timeZone`. */
export function isoInZone(ms: number, timeZone: string = deviceTimeZone()): string {
  const w = wallTime(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${formatOffset(offsetMinutes(ms, timeZone))}`;
}

/** An ISO instant from the server → the datetime-local value showing it in `timeZone` ("" when unreadable). */
export function isoToLocalInput(iso: string, timeZone: string = deviceTimeZone()): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallTime(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}
