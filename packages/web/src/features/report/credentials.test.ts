import { describe, expect, it } from 'vitest';

import { credentialsFile, credentialsFileName, credentialsLines } from './credentials';

describe('reference and PIN as text', () => {
  const sentAt = new Date('2026-11-26T17:45:00Z');

  it('holds the reference, the PIN, how to use them and that a lost PIN is lost, in the person’s language', () => {
    const fr = credentialsFile('fr', 'HLT-4K7P-Q2M9-XC3D', '01234567', sentAt);
    // French typography: a non-breaking space before the colon.
    expect(fr).toContain('Référence\u00a0: HLT-4K7P-Q2M9-XC3D');
    expect(fr).toContain('Code PIN\u00a0: 01234567');
    expect(fr).toContain('«\u00a0Suivre mon dossier\u00a0»');
    expect(fr).toContain('ne peut pas être retrouvé');
    expect(fr).toContain('2026');
    const en = credentialsFile('en', 'HLT-4K7P-Q2M9-XC3D', '01234567', sentAt);
    expect(en).toContain('Reference: HLT-4K7P-Q2M9-XC3D');
    expect(en).toContain('PIN: 01234567');
    expect(en).toContain('cannot be recovered');
  });

  it('copies two plain lines', () => {
    expect(credentialsLines('en', 'HLT-4K7P-Q2M9-XC3D', '01234567')).toBe('Reference: HLT-4K7P-Q2M9-XC3D\nPIN: 01234567');
  });

  it('names the file after the reference only', () => {
    expect(credentialsFileName('HLT-4K7P-Q2M9-XC3D')).toBe('HLT-4K7P-Q2M9-XC3D.txt');
    expect(credentialsFileName('../HLT/x')).toBe('HLTx.txt');
  });
});
