// The follow-up page's state: which screen shows (reference + PIN, the case, the withdrawn case), the
// case as last loaded, and the message being written (kept when the session expires, so that logging in
// again does not lose it). Held in the page only: leaving the page or quick exit drops it all.
import type { FollowupView } from '@halte/contract';
import { useCallback, useEffect, useRef, useState } from 'react';

import { getFollowUp, type ApiFailure } from '../../api/client';
import { onQuickExit } from '../../components/quick-exit';
import type { MessageKey } from '../../i18n/catalogues';
import { caseFailure } from './failures';
import { followUpEnded, followUpIsOpen } from './session';

export type Screen =
  /** `notice`: why the person is back here (session expired, follow-up closed) */
  | { readonly kind: 'login'; readonly notice: readonly MessageKey[] }
  | { readonly kind: 'loading' }
  | { readonly kind: 'loadFailed'; readonly messages: readonly MessageKey[] }
  | { readonly kind: 'case'; readonly view: FollowupView }
  | { readonly kind: 'withdrawn'; readonly reference: string };

export interface FollowUpCase {
  readonly screen: Screen;
  /** the last reference used, to fill the form in again after the session expired */
  readonly reference: string;
  readonly messageDraft: string;
  readonly setMessageDraft: (draft: string) => void;
  /** reference + PIN accepted: load the case */
  readonly opened: (reference: string) => void;
  /** loads the case again; resolves to the words of a failure, or null (done, or the screen changed) */
  readonly reload: () => Promise<readonly MessageKey[] | null>;
  /** loading the case failed: try again from the start */
  readonly retry: () => void;
  /** a request inside the case failed: the words to show there, or null when the screen changed */
  readonly failed: (failure: ApiFailure) => readonly MessageKey[] | null;
  /** the person closed the follow-up (the server ended the session) */
  readonly closed: () => void;
  /** the case was withdrawn (the server ended every session of the case) */
  readonly withdrawn: (reference: string) => void;
}

export function useFollowUpCase(): FollowUpCase {
  // A session opened earlier in this visit (the person went to another page and came back): show the
  // case again rather than asking for the PIN. After a reload the page knows of no session.
  const [screen, setScreen] = useState<Screen>(() => (followUpIsOpen() ? { kind: 'loading' } : { kind: 'login', notice: [] }));
  const [reference, setReference] = useState('');
  const [messageDraft, setMessageDraft] = useState('');
  const draft = useRef(messageDraft);
  useEffect(() => {
    draft.current = messageDraft;
  }, [messageDraft]);
  const alive = useRef(true);

  const expire = useCallback(() => {
    followUpEnded();
    const notice: MessageKey[] = ['error.sessionRequired', 'followup.expiredWhy'];
    if (draft.current.trim() !== '') notice.push('followup.draftKept');
    setScreen({ kind: 'login', notice });
  }, []);

  const load = useCallback(
    async (mode: 'initial' | 'refresh'): Promise<readonly MessageKey[] | null> => {
      if (mode === 'initial') setScreen({ kind: 'loading' });
      const result = await getFollowUp();
      if (!alive.current) return null;
      if (result.ok) {
        setReference(result.data.reference);
        setScreen({ kind: 'case', view: result.data });
        return null;
      }
      const next = caseFailure(result.failure);
      if (next.next === 'login') {
        expire();
        return null;
      }
      if (mode === 'initial') {
        setScreen({ kind: 'loadFailed', messages: next.messages });
        return null;
      }
      return next.messages;
    },
    [expire],
  );

  useEffect(() => {
    alive.current = true;
    if (followUpIsOpen()) void load('initial');
    // Quick exit: forget what this screen shows (the tree is unmounted too; this is the guard).
    const unregister = onQuickExit(() => {
      alive.current = false;
      setScreen({ kind: 'login', notice: [] });
      setReference('');
      setMessageDraft('');
    });
    return () => {
      alive.current = false;
      unregister();
    };
  }, [load]);

  const opened = useCallback(
    (openedReference: string) => {
      setReference(openedReference);
      void load('initial');
    },
    [load],
  );

  const reload = useCallback(() => load('refresh'), [load]);
  const retry = useCallback(() => void load('initial'), [load]);

  const failed = useCallback(
    (failure: ApiFailure): readonly MessageKey[] | null => {
      const next = caseFailure(failure);
      if (next.next === 'login') {
        expire();
        return null;
      }
      if (next.next === 'reload') void load('refresh');
      return next.messages;
    },
    [expire, load],
  );

  // Closing is what a person does before handing the phone over: nothing of the case stays on screen.
  const closed = useCallback(() => {
    followUpEnded();
    setReference('');
    setMessageDraft('');
    setScreen({ kind: 'login', notice: ['followup.closed'] });
  }, []);

  const withdrawn = useCallback((withdrawnReference: string) => {
    followUpEnded();
    setReference('');
    setMessageDraft('');
    setScreen({ kind: 'withdrawn', reference: withdrawnReference });
  }, []);

  return { screen, reference, messageDraft, setMessageDraft, opened, reload, retry, failed, closed, withdrawn };
}
