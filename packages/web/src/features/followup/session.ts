// The follow-up session is an HttpOnly cookie the server sets (path /api/followup, 30 minutes): the page
// cannot see it, so it remembers, in memory only, whether this visit opened one. While one is open,
// coming back to the follow-up page shows the case again, and quick exit ends the session on the server,
// so the next person to pick up the phone cannot reopen the case from the browser.
import { onQuickExit } from '../../components/quick-exit';

let open = false;
let registered = false;

export function followUpOpened(): void {
  open = true;
  if (registered) return;
  registered = true;
  onQuickExit(() => {
    registered = false;
    if (open) {
      // keepalive: the request outlives the page that is being replaced.
      void fetch('/api/followup/session', { method: 'DELETE', keepalive: true, credentials: 'same-origin' }).catch(() => undefined);
    }
    open = false;
  });
}

/** The session is over: closed by the person, expired, or ended by the withdrawal. */
export function followUpEnded(): void {
  open = false;
}

export function followUpIsOpen(): boolean {
  return open;
}
