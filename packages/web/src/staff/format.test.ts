import type { CaseDetail } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { compactData, formatAge, formatHours, formatWhen, groupSecret, shortHash, staffLocale, staffNames } from './format';

const NOW = new Date('2026-11-26T12:00:00.000Z');
/** ICU puts no-break spaces in some formats, depending on its version: compare with plain ones. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatAge', () => {
  it('says minutes, then hours, then days', () => {
    expect(plain(formatAge('2026-11-26T11:35:00.000Z', NOW, 'fr-FR'))).toBe('il y a 25 min');
    expect(plain(formatAge('2026-11-26T09:00:00.000Z', NOW, 'fr-FR'))).toBe('il y a 3 h');
    expect(plain(formatAge('2026-11-25T09:00:00.000Z', NOW, 'fr-FR'))).toBe('il y a 27 h');
    expect(plain(formatAge('2026-11-23T12:00:00.000Z', NOW, 'fr-FR'))).toBe('il y a 3 j');
    expect(plain(formatAge('2026-11-26T09:00:00.000Z', NOW, 'en-GB'))).toMatch(/^3 hr\.? ago$/);
  });

  it('counts a time slightly ahead as now, and shows an unreadable one as it is', () => {
    expect(plain(formatAge('2026-11-26T12:00:30.000Z', NOW, 'fr-FR'))).toBe('il y a 0 min');
    expect(plain(formatAge('nope', NOW, 'fr-FR'))).toBe('nope');
  });
});

describe('formatWhen and formatHours', () => {
  it('format in the locale and the time zone given', () => {
    expect(plain(formatWhen('2026-11-26T13:30:00.000Z', 'fr-FR', 'Europe/Paris'))).toBe('26 nov. 2026, 14:30');
    expect(plain(formatWhen('2026-11-26T13:30:00.000Z', 'en-GB', 'UTC'))).toBe('26 Nov 2026, 13:30');
    expect(plain(formatWhen('garbage', 'fr-FR'))).toBe('garbage');
    expect(plain(formatHours(12.5, 'fr-FR'))).toBe('12,5');
    expect(plain(formatHours(-3, 'en-GB'))).toBe('-3');
    expect(plain(formatHours(1234.56, 'en-GB'))).toBe('1,234.6');
  });

  it('picks the device’s variant of the staff language', () => {
    expect(staffLocale('fr', ['fr-BE', 'en-US'])).toBe('fr-BE');
    expect(staffLocale('en', ['fr-BE', 'en-US'])).toBe('en-US');
    expect(staffLocale('en', [])).toBe('en-GB');
  });
});

describe('groupSecret', () => {
  it('groups the base32 secret by four', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupSecret('AB CD EF')).toBe('ABCD EF');
    expect(groupSecret('')).toBe('');
  });
});

describe('shortHash', () => {
  it('keeps the start of a long hash', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash('abc')).toBe('abc');
  });
});

describe('compactData', () => {
  it('writes key=value pairs, lists in brackets, objects as JSON', () => {
    expect(compactData({ from: 'new', to: 'triaged' })).toBe('from=new to=triaged');
    expect(compactData({ offences: ['fr-chantage', 'fr-226-2-1'], n: 3, ok: true, none: null })).toBe('offences=[fr-chantage,fr-226-2-1] n=3 ok=true none=null');
    expect(compactData({ where: { a: 1 } })).toBe('where={"a":1}');
    expect(compactData({})).toBe('');
  });

  it('cuts long values', () => {
    const text = compactData({ long: 'x'.repeat(200) });
    expect(text).toHaveLength('long='.length + 80);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('staffNames', () => {
  it('collects every account a case names, and the logged-in one', () => {
    const detail = {
      assignee: { id: 1, email: 'a@halte.example' },
      notes: [{ id: 1, author: { id: 2, email: 'b@halte.example' }, body: '', at: '' }],
      messages: [{ id: 1, author: 'staff', staff: { id: 3, email: 'c@halte.example' }, body: '', at: '' }],
      items: [{ reviewedBy: { id: 4, email: 'd@halte.example' } }],
      qualification: { offenceIds: [], at: null, by: null },
    } as unknown as CaseDetail;
    const names = staffNames(detail, { id: 9, email: 'me@halte.example' });
    expect([...names.entries()].sort()).toEqual([
      [1, 'a@halte.example'],
      [2, 'b@halte.example'],
      [3, 'c@halte.example'],
      [4, 'd@halte.example'],
      [9, 'me@halte.example'],
    ]);
  });
});
