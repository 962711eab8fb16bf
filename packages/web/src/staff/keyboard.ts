// The staff area's keyboard shortcuts, as a pure function: (state, key, context) → (state, command).
// The pages turn commands into actions; the help overlay ("?") lists SHORTCUTS. A shortcut never fires
// while the person types in a field, nor with Ctrl/Cmd/Alt (the browser's own shortcuts stay theirs).
import type { StaffMessageKey } from './i18n/catalogue';

/** Where the key was pressed: in a field (never a shortcut), on a button or link (Enter is theirs), elsewhere. */
export type KeyTarget = 'editable' | 'control' | 'other';

export interface KeyInput {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly target: KeyTarget;
  /** milliseconds, from the event's timeStamp or performance.now() */
  readonly at: number;
}

export interface KeyContext {
  readonly page: 'queue' | 'case' | 'other';
  /** rows in the queue */
  readonly count: number;
  /** the selected row, -1 for none */
  readonly selected: number;
  readonly helpOpen: boolean;
}

export interface KeyState {
  /** when "g" was pressed, waiting for the second key of "g q"; null otherwise */
  readonly pendingG: number | null;
}

export const INITIAL_KEY_STATE: KeyState = { pendingG: null };

/** How long "g" waits for its second key. */
export const SEQUENCE_TIMEOUT_MS = 1500;

export type KeyCommand =
  | { readonly kind: 'select'; readonly index: number }
  | { readonly kind: 'open'; readonly index: number }
  | { readonly kind: 'claim'; readonly index: number }
  | { readonly kind: 'focus-search' }
  | { readonly kind: 'refresh' }
  | { readonly kind: 'toggle-help' }
  | { readonly kind: 'close-help' }
  | { readonly kind: 'to-queue' };

export interface KeyOutcome {
  readonly state: KeyState;
  /** null: not a shortcut here, let the browser do its default */
  readonly command: KeyCommand | null;
}

/** The shortcuts, in the help overlay's order: keys (as shown) and the message key of what they do. */
export const SHORTCUTS = [
  { keys: ['j', '↓'], what: 'shortcuts.next' },
  { keys: ['k', '↑'], what: 'shortcuts.previous' },
  { keys: ['Enter', 'o'], what: 'shortcuts.open' },
  { keys: ['c'], what: 'shortcuts.claim' },
  { keys: ['/'], what: 'shortcuts.search' },
  { keys: ['r'], what: 'shortcuts.refresh' },
  { keys: ['g q'], what: 'shortcuts.toQueue' },
  { keys: ['?'], what: 'shortcuts.help' },
  { keys: ['Esc'], what: 'shortcuts.close' },
] as const satisfies readonly { readonly keys: readonly string[]; readonly what: StaffMessageKey }[];

const none = (state: KeyState): KeyOutcome => ({ state, command: null });

export function shortcut(state: KeyState, input: KeyInput, context: KeyContext): KeyOutcome {
  const cleared: KeyState = INITIAL_KEY_STATE;
  if (input.ctrlKey || input.metaKey || input.altKey || input.target === 'editable') return none(cleared);
  const { key } = input;

  if (context.helpOpen) {
    return key === 'Escape' || key === '?' ? { state: cleared, command: { kind: 'close-help' } } : none(cleared);
  }

  if (state.pendingG !== null && input.at - state.pendingG <= SEQUENCE_TIMEOUT_MS) {
    if (key === 'q') return { state: cleared, command: { kind: 'to-queue' } };
    // another key after "g": the sequence is dropped and the key counts on its own (below)
  }
  if (key === 'g') return { state: { pendingG: input.at }, command: null };

  if (key === '?') return { state: cleared, command: { kind: 'toggle-help' } };
  if (key === 'r' && context.page !== 'other') return { state: cleared, command: { kind: 'refresh' } };
  if (context.page !== 'queue') return none(cleared);

  const { count, selected } = context;
  const inRange = selected >= 0 && selected < count;
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return count === 0 ? none(cleared) : { state: cleared, command: { kind: 'select', index: Math.min(selected + 1, count - 1) } };
    case 'k':
    case 'ArrowUp':
      return count === 0 ? none(cleared) : { state: cleared, command: { kind: 'select', index: Math.max(Math.min(selected, count) - 1, 0) } };
    case 'Enter':
      // On a button or a link, Enter is the control's own (it activates what has focus).
      if (input.target === 'control') return none(cleared);
      return inRange ? { state: cleared, command: { kind: 'open', index: selected } } : none(cleared);
    case 'o':
      return inRange ? { state: cleared, command: { kind: 'open', index: selected } } : none(cleared);
    case 'c':
      return inRange ? { state: cleared, command: { kind: 'claim', index: selected } } : none(cleared);
    case '/':
      return { state: cleared, command: { kind: 'focus-search' } };
    default:
      return none(cleared);
  }
}

/** What an element is, for KeyTarget (kept apart from the DOM so it can be tested with plain objects). */
export interface TargetFacts {
  readonly tagName: string;
  readonly isContentEditable?: boolean;
  readonly role?: string | null;
}

export function keyTarget(facts: TargetFacts | null): KeyTarget {
  if (facts === null) return 'other';
  const tag = facts.tagName.toUpperCase();
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || facts.isContentEditable === true) return 'editable';
  if (facts.role === 'textbox' || facts.role === 'combobox' || facts.role === 'searchbox') return 'editable';
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || facts.role === 'button' || facts.role === 'link') return 'control';
  return 'other';
}
