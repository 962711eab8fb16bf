import { describe, expect, it } from 'vitest';

import { INITIAL_KEY_STATE, keyTarget, SEQUENCE_TIMEOUT_MS, shortcut, type KeyContext, type KeyInput, type KeyState } from './keyboard';

const QUEUE: KeyContext = { page: 'queue', count: 3, selected: 1, helpOpen: false };

function press(key: string, options: Partial<KeyInput> = {}, context: KeyContext = QUEUE, state: KeyState = INITIAL_KEY_STATE) {
  return shortcut(state, { key, ctrlKey: false, metaKey: false, altKey: false, target: 'other', at: 1000, ...options }, context);
}

describe('queue shortcuts', () => {
  it('move the selection with j/k and the arrows, within the list', () => {
    expect(press('j').command).toEqual({ kind: 'select', index: 2 });
    expect(press('ArrowDown').command).toEqual({ kind: 'select', index: 2 });
    expect(press('k').command).toEqual({ kind: 'select', index: 0 });
    expect(press('ArrowUp').command).toEqual({ kind: 'select', index: 0 });
    expect(press('j', {}, { ...QUEUE, selected: 2 }).command).toEqual({ kind: 'select', index: 2 });
    expect(press('k', {}, { ...QUEUE, selected: 0 }).command).toEqual({ kind: 'select', index: 0 });
  });

  it('start at the first row when nothing is selected, and do nothing on an empty queue', () => {
    expect(press('j', {}, { ...QUEUE, selected: -1 }).command).toEqual({ kind: 'select', index: 0 });
    expect(press('k', {}, { ...QUEUE, selected: -1 }).command).toEqual({ kind: 'select', index: 0 });
    expect(press('j', {}, { ...QUEUE, count: 0, selected: -1 }).command).toBeNull();
    // a selection past the end (the list got shorter) comes back inside it
    expect(press('k', {}, { ...QUEUE, selected: 7 }).command).toEqual({ kind: 'select', index: 2 });
  });

  it('open with Enter or o, claim with c — the selected row only', () => {
    expect(press('Enter').command).toEqual({ kind: 'open', index: 1 });
    expect(press('o').command).toEqual({ kind: 'open', index: 1 });
    expect(press('c').command).toEqual({ kind: 'claim', index: 1 });
    for (const key of ['Enter', 'o', 'c']) expect(press(key, {}, { ...QUEUE, selected: -1 }).command, key).toBeNull();
  });

  it('leave Enter to a focused button or link, but still take the letters there', () => {
    expect(press('Enter', { target: 'control' }).command).toBeNull();
    expect(press('j', { target: 'control' }).command).toEqual({ kind: 'select', index: 2 });
  });

  it('focus the search with /, refresh with r, toggle the help with ?', () => {
    expect(press('/').command).toEqual({ kind: 'focus-search' });
    expect(press('r').command).toEqual({ kind: 'refresh' });
    expect(press('?').command).toEqual({ kind: 'toggle-help' });
  });

  it('never fire while typing in a field', () => {
    for (const key of ['j', 'k', 'ArrowDown', 'Enter', 'o', 'c', '/', 'r', '?', 'g']) {
      expect(press(key, { target: 'editable' }).command, key).toBeNull();
    }
    // and "g" typed in a field does not start a sequence
    expect(press('g', { target: 'editable' }).state.pendingG).toBeNull();
  });

  it('leave the browser’s own shortcuts alone (Ctrl, Cmd, Alt)', () => {
    expect(press('r', { ctrlKey: true }).command).toBeNull();
    expect(press('r', { metaKey: true }).command).toBeNull();
    expect(press('j', { altKey: true }).command).toBeNull();
  });

  it('ignore other keys', () => {
    for (const key of ['x', 'Tab', ' ', 'Escape', 'q']) expect(press(key).command, key).toBeNull();
  });
});

describe('g q', () => {
  it('goes back to the queue when q follows g in time', () => {
    const g = press('g', { at: 1000 }, { ...QUEUE, page: 'case' });
    expect(g.command).toBeNull();
    expect(g.state.pendingG).toBe(1000);
    expect(press('q', { at: 1000 + SEQUENCE_TIMEOUT_MS }, { ...QUEUE, page: 'case' }, g.state).command).toEqual({ kind: 'to-queue' });
  });

  it('is dropped when q comes too late, or another key comes between', () => {
    const g = press('g', { at: 1000 }, { ...QUEUE, page: 'case' });
    expect(press('q', { at: 1001 + SEQUENCE_TIMEOUT_MS }, { ...QUEUE, page: 'case' }, g.state).command).toBeNull();
    const x = press('x', { at: 1100 }, { ...QUEUE, page: 'case' }, g.state);
    expect(x.state.pendingG).toBeNull();
    expect(press('q', { at: 1200 }, { ...QUEUE, page: 'case' }, x.state).command).toBeNull();
  });

  it('lets the key after g count on its own', () => {
    const g = press('g', { at: 1000 });
    expect(press('j', { at: 1100 }, QUEUE, g.state).command).toEqual({ kind: 'select', index: 2 });
  });

  it('is dropped when the second key is typed in a field', () => {
    const g = press('g', { at: 1000 });
    expect(press('q', { at: 1100, target: 'editable' }, QUEUE, g.state)).toEqual({ state: INITIAL_KEY_STATE, command: null });
  });
});

describe('other pages', () => {
  it('take only ?, r and g q on a case; ? and g q elsewhere', () => {
    const onCase: KeyContext = { page: 'case', count: 0, selected: -1, helpOpen: false };
    expect(press('r', {}, onCase).command).toEqual({ kind: 'refresh' });
    expect(press('?', {}, onCase).command).toEqual({ kind: 'toggle-help' });
    for (const key of ['j', 'k', 'Enter', 'o', 'c', '/']) expect(press(key, {}, onCase).command, key).toBeNull();
    const elsewhere: KeyContext = { ...onCase, page: 'other' };
    expect(press('r', {}, elsewhere).command).toBeNull();
    expect(press('?', {}, elsewhere).command).toEqual({ kind: 'toggle-help' });
  });

  it('close the help with Escape or ?, and take nothing else while it is open', () => {
    const open: KeyContext = { ...QUEUE, helpOpen: true };
    expect(press('Escape', {}, open).command).toEqual({ kind: 'close-help' });
    expect(press('?', {}, open).command).toEqual({ kind: 'close-help' });
    expect(press('j', {}, open).command).toBeNull();
    expect(press('c', {}, open).command).toBeNull();
  });
});

describe('keyTarget', () => {
  it('tells fields, controls and the rest apart', () => {
    for (const tagName of ['INPUT', 'textarea', 'SELECT']) expect(keyTarget({ tagName }), tagName).toBe('editable');
    expect(keyTarget({ tagName: 'DIV', isContentEditable: true })).toBe('editable');
    expect(keyTarget({ tagName: 'DIV', role: 'textbox' })).toBe('editable');
    for (const tagName of ['BUTTON', 'a', 'SUMMARY']) expect(keyTarget({ tagName }), tagName).toBe('control');
    expect(keyTarget({ tagName: 'SPAN', role: 'button' })).toBe('control');
    expect(keyTarget({ tagName: 'BODY' })).toBe('other');
    expect(keyTarget({ tagName: 'TR' })).toBe('other');
    expect(keyTarget(null)).toBe('other');
  });
});
