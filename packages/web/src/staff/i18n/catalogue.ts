// The staff catalogues and the pure translation function (the placeholder filling is the public
// catalogue's `interpolate`).
import type { Language } from '@halte/contract';

import { interpolate, type MessageParams } from '../../i18n/catalogues';
import { staffEn } from './messages.en';
import { staffFr, type StaffMessageKey } from './messages.fr';

export type { MessageParams, StaffMessageKey };

export const STAFF_CATALOGUES: Readonly<Record<Language, Readonly<Record<StaffMessageKey, string>>>> = { fr: staffFr, en: staffEn };

/** French first, as the public app: the team works in French; English is a toggle away. */
export const STAFF_DEFAULT_LANGUAGE: Language = 'fr';

export function staffTranslate(language: Language, key: StaffMessageKey, params?: MessageParams): string {
  return interpolate(STAFF_CATALOGUES[language][key], params);
}

export type StaffTranslate = (key: StaffMessageKey, params?: MessageParams) => string;

/** A message key with its values: what pure code hands to screens, which translate it. */
export interface Words {
  readonly key: StaffMessageKey;
  readonly params?: MessageParams;
}
