import { useEffect, useRef } from 'react';

/**
 * After a move to another page (not on the first render): back to the top, and the keyboard and screen
 * readers start at the new page's title (`#page-title`).
 */
export function useFocusTitleOnNavigation(page: unknown): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    document.getElementById('page-title')?.focus();
  }, [page]);
}
