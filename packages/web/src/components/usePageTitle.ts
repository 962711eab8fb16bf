import { useEffect } from 'react';

import type { MessageKey } from '../i18n/catalogues';
import { useI18n } from '../i18n/i18n';

/** Sets the tab title ("Signaler – Halte") in the current language. */
export function usePageTitle(page: MessageKey): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('app.title', { page: t(page) });
  }, [t, page]);
}
