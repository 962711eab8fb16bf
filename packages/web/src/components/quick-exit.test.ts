import { describe, expect, it } from 'vitest';

import { doubleEscapeDetector, QUICK_EXIT_URL } from './quick-exit';

describe('double Escape', () => {
  it('fires on the second Escape within the window', () => {
    const pressed = doubleEscapeDetector(1000);
    expect(pressed('Escape', 10_000)).toBe(false);
    expect(pressed('Escape', 10_900)).toBe(true);
  });

  it('does not fire when the presses are too far apart, and starts again from the last one', () => {
    const pressed = doubleEscapeDetector(1000);
    expect(pressed('Escape', 0)).toBe(false);
    expect(pressed('Escape', 1500)).toBe(false);
    expect(pressed('Escape', 2400)).toBe(true);
  });

  it('needs two new presses after firing, and ignores other keys', () => {
    const pressed = doubleEscapeDetector(1000);
    pressed('Escape', 0);
    expect(pressed('Escape', 100)).toBe(true);
    expect(pressed('Escape', 200)).toBe(false);
    expect(pressed('a', 250)).toBe(false);
    expect(pressed('Enter', 260)).toBe(false);
    expect(pressed('Escape', 300)).toBe(true);
  });

  it('leaves for an https page of another site', () => {
    const url = new URL(QUICK_EXIT_URL);
    expect(url.protocol).toBe('https:');
    expect(url.hostname).not.toMatch(/halte/i);
  });
});
