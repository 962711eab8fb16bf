import { useI18n } from '../../i18n/i18n';
import { localeFor } from './wording';

/** The locale of dates: the page's language, in the variant the device prefers (fr-BE, en-US…). */
export function useLocale(): string {
  const { language } = useI18n();
  return localeFor(language, typeof navigator === 'undefined' ? [] : navigator.languages);
}
