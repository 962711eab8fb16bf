// A link to a page of the app: a real <a href="#/…"> (so it can be opened, copied, read by screen
// readers as a link) that moves without adding a history entry (router.ts).
import type { MouseEvent, ReactNode } from 'react';

import { navigate, routeHref, type Route } from '../router';

export function Link({ to, className, current, children }: { to: Route; className?: string; current?: boolean; children: ReactNode }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={routeHref(to)} className={className} aria-current={current === true ? 'page' : undefined} onClick={onClick}>
      {children}
    </a>
  );
}
