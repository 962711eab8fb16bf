// The public app: one page per route inside the common layout, quick exit on double Escape, focus
// moved to the new page's title after a move (so screen readers and keyboards start there).
import { useEffect } from 'react';

import { Layout } from './components/Layout';
import { doubleEscapeDetector, quickExit } from './components/quick-exit';
import { useFocusTitleOnNavigation } from './components/useFocusTitleOnNavigation';
import { FollowUpPage } from './features/followup/FollowUpPage';
import { HelpPage } from './features/help/HelpPage';
import { HomePage } from './features/home/HomePage';
import { PrivacyPage } from './features/privacy/PrivacyPage';
import { ReportPage } from './features/report/ReportPage';
import { ReportSessionProvider } from './features/report/session';
import { useRoute, type Route } from './router';

function useDoubleEscape(): void {
  useEffect(() => {
    const pressed = doubleEscapeDetector();
    const onKey = (event: KeyboardEvent) => {
      if (pressed(event.key, performance.now())) quickExit();
    };
    // Capture: a field or dialog that handles Escape itself still lets the person leave.
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
}

function Page({ route }: { route: Route }) {
  switch (route) {
    case 'home':
      return <HomePage />;
    case 'report':
      return <ReportPage />;
    case 'followup':
      return <FollowUpPage />;
    case 'help':
      return <HelpPage />;
    case 'privacy':
      return <PrivacyPage />;
  }
}

export function App() {
  const route = useRoute();
  useDoubleEscape();
  useFocusTitleOnNavigation(route);
  return (
    // The report session outlives the report page: a person who checks the help page mid-way comes
    // back to their answers.
    <ReportSessionProvider>
      <Layout route={route}>
        <Page route={route} />
      </Layout>
    </ReportSessionProvider>
  );
}
