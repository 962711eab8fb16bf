// What every page of a logged-in staff member uses: the API client, who they are, what they may do,
// and the keyboard shortcuts' registration (the shell owns the one keydown listener).
import type { StaffAction, StaffMe } from '@halte/contract';
import { createContext, useContext, useEffect, useLayoutEffect, useRef } from 'react';

import type { StaffApi } from '../api';
import type { KeyCommand, KeyContext } from '../keyboard';

/** What a page tells the shell about its shortcuts. */
export interface PageKeys {
  readonly page: Exclude<KeyContext['page'], 'other'>;
  readonly count: number;
  readonly selected: number;
  readonly onCommand: (command: KeyCommand) => void;
}

export interface StaffSession {
  readonly api: StaffApi;
  readonly me: StaffMe;
  readonly can: (action: StaffAction) => boolean;
  readonly registerKeys: (keys: { current: PageKeys } | null) => void;
}

export const StaffSessionContext = createContext<StaffSession | null>(null);

export function useStaffSession(): StaffSession {
  const session = useContext(StaffSessionContext);
  if (session === null) throw new Error('useStaffSession outside the logged-in shell');
  return session;
}

/** Registers the page's shortcuts while it is shown (the latest values are read at each key press). */
export function usePageKeys(keys: PageKeys): void {
  const { registerKeys } = useStaffSession();
  const ref = useRef(keys);
  useLayoutEffect(() => {
    ref.current = keys;
  });
  useEffect(() => {
    registerKeys(ref);
    return () => registerKeys(null);
  }, [registerKeys]);
}
