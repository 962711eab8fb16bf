// The message catalogues and the pure translation function (no React here: tests use it directly).
import type { Language } from '@halte/contract';

import { en } from './messages.en';
import { fr, type MessageKey } from './messages.fr';

export type { MessageKey };
export type MessageParams = Readonly<Record<string, string | number>>;

export const CATALOGUES: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { fr, en };

/** French first: the help services and the law Halte deals with are French and Belgian. */
export const DEFAULT_LANGUAGE: Language = 'fr';

/** The `{name}` placeholders of a message, sorted. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string).sort();
}

/**
 * The message `key` in `language`, with each `{name}` replaced by `params[name]`. A placeholder
 * without a value is left as is, so a missing parameter shows up in tests rather than as "undefined".
 */
export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  return interpolate(CATALOGUES[language][key], params);
}

/** `message` with each `{name}` replaced by `params[name]` (a missing one left as is). Shared with the staff catalogue. */
export function interpolate(message: string, params?: MessageParams): string {
  if (params === undefined) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export type Translate = (key: MessageKey, params?: MessageParams) => string;
