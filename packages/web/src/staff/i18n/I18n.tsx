// The staff area's language, in memory (French by default, a reload returns to French), and `tr`, its
// translation function. (Named `tr`, not `t`, so the public catalogue's key checks do not read staff keys.)
import type { Language } from '@halte/contract';
import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';

import { STAFF_DEFAULT_LANGUAGE, staffTranslate, type StaffTranslate, type Words } from './catalogue';

interface StaffI18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly tr: StaffTranslate;
  /** `tr` for a Words value */
  readonly say: (words: Words) => string;
}

const StaffI18nContext = createContext<StaffI18n | null>(null);

export function StaffI18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(STAFF_DEFAULT_LANGUAGE);
  useLayoutEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const tr = useCallback<StaffTranslate>((key, params) => staffTranslate(language, key, params), [language]);
  const say = useCallback((words: Words) => staffTranslate(language, words.key, words.params), [language]);
  const value = useMemo(() => ({ language, setLanguage, tr, say }), [language, tr, say]);
  return <StaffI18nContext.Provider value={value}>{children}</StaffI18nContext.Provider>;
}

export function useStaffI18n(): StaffI18n {
  const context = useContext(StaffI18nContext);
  if (context === null) throw new Error('useStaffI18n outside StaffI18nProvider');
  return context;
}
