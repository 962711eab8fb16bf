// Each page's <h1>: the target of the focus moved on a route change (id page-title), and the tab title.
import { useEffect } from 'react';

import { useStaffI18n } from '../i18n/I18n';

export function PageTitle({ children, tabTitle }: { children: string; tabTitle?: string }) {
  const { tr } = useStaffI18n();
  const title = tabTitle ?? children;
  useEffect(() => {
    document.title = tr('app.title', { page: title });
  }, [tr, title]);
  return (
    <h1 id="page-title" tabIndex={-1} data-testid="page-title">
      {children}
    </h1>
  );
}
