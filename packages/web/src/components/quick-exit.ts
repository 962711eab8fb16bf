// "Quitter rapidement / Quick exit" (STYLE.md: on every public page). The button and Escape pressed
// twice call quickExit(): the page is blanked at once (a slow network must not leave Halte on screen),
// every registered cleanup runs (the React tree is unmounted, the hashing worker stopped, thumbnails'
// object URLs revoked), web storage is cleared as a guard (the app writes none), then the neutral page
// REPLACES Halte's history entry. Because in-app navigation also replaces entries (router.ts), the
// back button from the neutral page leaves the browser's history, not back into Halte.

/**
 * A Google search for "météo": a page anyone opens many times a day, that looks ordinary on a phone
 * in France, Belgium or elsewhere, loads fast, and shows local weather. The search words are innocuous
 * if someone reads the history. No Referer is sent (index.html: referrer no-referrer).
 */
export const QUICK_EXIT_URL = 'https://www.google.com/search?q=m%C3%A9t%C3%A9o';

/** Two presses of Escape at most this far apart leave the site. */
export const DOUBLE_ESCAPE_WINDOW_MS = 1000;

const cleanups = new Set<() => void>();

/** Registers something to wipe on quick exit; returns the unregister function. */
export function onQuickExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

export function quickExit(): void {
  document.documentElement.style.visibility = 'hidden';
  document.title = '';
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // Leaving matters more than a clean teardown.
    }
  }
  cleanups.clear();
  try {
    window.sessionStorage.clear();
    window.localStorage.clear();
  } catch {
    // Storage can be disabled; there is nothing in it then.
  }
  window.location.replace(QUICK_EXIT_URL);
}

/**
 * Returns a function to call on every key press (with its time in ms); it answers true on the second
 * Escape within `windowMs` of the first. Other keys do not count and do not reset.
 */
export function doubleEscapeDetector(windowMs = DOUBLE_ESCAPE_WINDOW_MS): (key: string, now: number) => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return (key, now) => {
    if (key !== 'Escape') return false;
    if (now - last <= windowMs) {
      last = Number.NEGATIVE_INFINITY;
      return true;
    }
    last = now;
    return false;
  };
}
