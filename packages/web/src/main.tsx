import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { onQuickExit } from './components/quick-exit';
import { I18nProvider } from './i18n/i18n';
import './styles.css';

const container = document.getElementById('root');
if (container === null) throw new Error('no #root element');
const root = createRoot(container);
root.render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);

// On quick exit the whole React tree goes: every answer, file handle and thumbnail held in memory.
onQuickExit(() => {
  root.unmount();
  container.replaceChildren();
});
