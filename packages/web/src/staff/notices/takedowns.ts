// Pure helpers of the takedown screens: what can be done to the links chosen together, and the host
// directory's edit form to and from the API's shape.
import { HOST_CHANNEL_KINDS, type HostChannelKind, type HostEntryInput, type HostEntryView, type TakedownState, type TakedownView } from '@halte/contract';

/** The moves every chosen link can make (the server decides again). */
export function commonMoves(links: readonly TakedownView[], chosen: ReadonlySet<number>): TakedownState[] {
  const picked = links.filter((l) => chosen.has(l.itemId));
  if (picked.length === 0) return [];
  const [first, ...rest] = picked;
  return (first?.moves ?? []).filter((move) => rest.every((l) => l.moves.includes(move)));
}

/** The links still online that can be chosen (a withdrawn link has no URL any more). */
export function choosable(links: readonly TakedownView[]): TakedownView[] {
  return links.filter((l) => l.url !== null);
}

export interface HostForm {
  id: string;
  name: string;
  domains: string;
  channels: string;
  country: string;
  regulator: string;
  adult: boolean;
  source: string;
  checkedAt: string;
  confirmed: boolean;
  active: boolean;
}

export function emptyHostForm(today: string): HostForm {
  return { id: '', name: '', domains: '', channels: '', country: '', regulator: '', adult: false, source: '', checkedAt: today, confirmed: false, active: true };
}

export function hostFormOf(entry: HostEntryView): HostForm {
  return {
    id: entry.id,
    name: entry.name,
    domains: entry.domains.join('\n'),
    channels: entry.channels.map((c) => [c.kind, c.target, c.note ?? ''].filter((part, i) => i < 2 || part !== '').join(', ')).join('\n'),
    country: entry.country ?? '',
    regulator: entry.regulator ?? '',
    adult: entry.adult,
    source: entry.source,
    checkedAt: entry.checkedAt.slice(0, 10),
    confirmed: entry.confidence === 'confirmed',
    active: entry.active,
  };
}

const isKind = (value: string): value is HostChannelKind => (HOST_CHANNEL_KINDS as readonly string[]).includes(value);

/**
 * The form as the API takes it, or null when a required part is missing or a channel line is not
 * "kind, address[, note]" (the server validates the rest: domains, addresses, dates).
 */
export function hostInputOf(form: HostForm): { id: string; body: HostEntryInput } | null {
  const id = form.id.trim();
  const domains = form.domains.split(/[\s,]+/).map((d) => d.trim()).filter((d) => d !== '');
  const channels: HostEntryInput['channels'] = [];
  for (const line of form.channels.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const [kind = '', target = '', ...note] = line.split(',').map((part) => part.trim());
    if (!isKind(kind) || target === '') return null;
    const joined = note.join(', ');
    channels.push(joined === '' ? { kind, target } : { kind, target, note: joined });
  }
  if (id === '' || form.name.trim() === '' || domains.length === 0 || channels.length === 0 || form.source.trim() === '') return null;
  const country = form.country.trim().toUpperCase();
  return {
    id,
    body: {
      name: form.name.trim(),
      domains,
      channels,
      country: country === '' ? null : country,
      regulator: form.regulator.trim() === '' ? null : form.regulator.trim(),
      adult: form.adult,
      source: form.source.trim(),
      checkedAt: form.checkedAt.trim(),
      confidence: form.confirmed ? 'confirmed' : 'unconfirmed',
      active: form.active,
    },
  };
}
