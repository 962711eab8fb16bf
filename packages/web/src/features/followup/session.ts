// The follow-up session is an HttpOnly cookie the server sets (path /api/followup, 30 minutes). Once
// one is open in this tab, quick exit also ends it on the server, so the next person to pick up the
// phone cannot reopen the case from the browser.
import { onQuickExit } from '../../components/quick-exit';

let registered = false;

export function followUpOpened(): void {
  if (registered) return;
  registered = true;
  onQuickExit(() => {
    // keepalive: the request outlives the page that is being replaced.
    void fetch('/api/followup/session', { method: 'DELETE', keepalive: true, credentials: 'same-origin' }).catch(() => undefined);
  });
}
