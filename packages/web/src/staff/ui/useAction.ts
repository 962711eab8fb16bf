// One request a screen makes on a click (claim, save, send…): pending while it runs (the button is
// disabled, so a double click sends once), then the words of what happened or of what went wrong.
import { useCallback, useRef, useState } from 'react';

import type { ApiFailure, ApiResult } from '../../api/client';
import { failureWords } from '../errors';
import type { Words } from '../i18n/catalogue';

export type ActionState =
  | { readonly status: 'idle' }
  | { readonly status: 'pending' }
  | { readonly status: 'done'; readonly words: Words | null }
  | { readonly status: 'failed'; readonly words: Words; readonly failure: ApiFailure };

export interface ActionOptions<T> {
  /** what to say once it worked (null: nothing) */
  readonly done?: (data: T) => Words | null;
  readonly onFailure?: (failure: ApiFailure) => void;
}

export function useAction(): {
  readonly state: ActionState;
  readonly pending: boolean;
  readonly run: <T>(work: () => Promise<ApiResult<T>>, options?: ActionOptions<T>) => Promise<T | null>;
  readonly reset: () => void;
  readonly fail: (words: Words) => void;
} {
  const [state, setState] = useState<ActionState>({ status: 'idle' });
  const running = useRef(false);
  const run = useCallback(async <T>(work: () => Promise<ApiResult<T>>, options: ActionOptions<T> = {}): Promise<T | null> => {
    if (running.current) return null;
    running.current = true;
    setState({ status: 'pending' });
    try {
      const result = await work();
      if (!result.ok) {
        setState({ status: 'failed', words: failureWords(result.failure), failure: result.failure });
        options.onFailure?.(result.failure);
        return null;
      }
      setState({ status: 'done', words: options.done?.(result.data) ?? null });
      return result.data;
    } finally {
      running.current = false;
    }
  }, []);
  const reset = useCallback(() => setState({ status: 'idle' }), []);
  const fail = useCallback((words: Words) => setState({ status: 'failed', words, failure: { kind: 'http', status: 0, code: null } }), []);
  return { state, pending: state.status === 'pending', run, reset, fail };
}
