import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { onQuickExit } from './components/quick-exit';
import { I18nProvider } from './i18n/i18n';
import './styles.css';

// The staff area (/staff, /staff/enrol) is its own chunk, fetched only there: the public bundle a
// person in distress downloads carries none of it. `/staffing` is not the staff area.
const StaffApp = lazy(() => import('./staff/StaffApp'));
const isStaffArea = /^\/staff(\/|$)/.test(window.location.pathname);

const container = document.getElementById('root');
if (container === null) throw new Error('no #root element');
const root = createRoot(container);
root.render(
  <StrictMode>
    {isStaffArea ? (
      // Shown for an instant while the staff chunk loads (the staff catalogue is in that chunk).
      <Suspense fallback={<p className="staff-loading">{'Chargement…'}</p>}>
        <StaffApp />
      </Suspense>
    ) : (
      <I18nProvider>
        <App />
      </I18nProvider>
    )}
  </StrictMode>,
);

// On quick exit the whole React tree goes: every answer, file handle and thumbnail held in memory.
onQuickExit(() => {
  root.unmount();
  container.replaceChildren();
});
