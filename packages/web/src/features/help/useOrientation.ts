// Fetches the help services for a question, and remembers the last answer while the page is open.
import { OrientationService, type OrientationRequest, type OrientationResponse } from '@halte/contract';
import { useEffect, useState } from 'react';

import { getOrientation } from '../../api/client';
import { failureMessages } from '../../api/errors';
import type { MessageKey } from '../../i18n/catalogues';

export type OrientationState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly response: OrientationResponse }
  | { readonly status: 'failed'; readonly messages: readonly MessageKey[] };

/** Loads the orientation for `query` (null: nothing to load). */
export function useOrientation(query: OrientationRequest | null): OrientationState {
  const [state, setState] = useState<OrientationState>({ status: 'idle' });
  const key = query === null ? null : JSON.stringify(query);
  useEffect(() => {
    if (key === null) return;
    let cancelled = false;
    setState({ status: 'loading' });
    getOrientation(JSON.parse(key) as OrientationRequest).then((result) => {
      if (cancelled) return;
      setState(result.ok ? { status: 'ready', response: result.data } : { status: 'failed', messages: failureMessages(result.failure, 'orientation') });
    });
    return () => {
      cancelled = true;
    };
  }, [key]);
  return state;
}

/** The services of a report's answer (typed loosely in the contract): those that match the schema. */
export function servicesOf(items: readonly unknown[]): OrientationService[] {
  return items.flatMap((item) => {
    const parsed = OrientationService.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}
