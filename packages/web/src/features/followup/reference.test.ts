import { describe, expect, it } from 'vitest';

import { readPin, readReference } from './reference';

describe('readReference', () => {
  it('accepts the reference as shown', () => {
    expect(readReference('HLT-4K7P-Q2M9-XC3D')).toBe('HLT-4K7P-Q2M9-XC3D');
  });

  it('reads what people type: lower case, spaces, no dashes, no prefix', () => {
    expect(readReference(' hlt 4k7p q2m9 xc3d ')).toBe('HLT-4K7P-Q2M9-XC3D');
    expect(readReference('4K7PQ2M9XC3D')).toBe('HLT-4K7P-Q2M9-XC3D');
  });

  it('reads O as 0 and I or L as 1, as the server does', () => {
    expect(readReference('HLT-4K7P-Q2M9-XC3O')).toBe('HLT-4K7P-Q2M9-XC30');
    expect(readReference('HLT-4K7P-Q2M9-XCIL')).toBe('HLT-4K7P-Q2M9-XC11');
  });

  it('refuses what cannot be a reference', () => {
    expect(readReference('')).toBeNull();
    expect(readReference('HLT-4K7P-Q2M9')).toBeNull();
    expect(readReference('HLT-4K7P-Q2M9-XC3U')).toBeNull();
    expect(readReference('hello')).toBeNull();
  });
});

describe('readPin', () => {
  it('drops spaces', () => {
    expect(readPin(' 1234 5678 ')).toBe('12345678');
  });
});
