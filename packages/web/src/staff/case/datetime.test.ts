import { describe, expect, it } from 'vitest';

import { isoInZone, isoToLocalInput, localInputToIso, offsetMinutes } from './datetime';

describe('datetime-local → ISO with offset', () => {
  it('reads the wall time in the given zone', () => {
    expect(localInputToIso('2026-03-05T14:30', 'Europe/Paris')).toBe('2026-03-05T14:30:00+01:00');
    expect(localInputToIso('2026-07-05T14:30', 'Europe/Paris')).toBe('2026-07-05T14:30:00+02:00');
    expect(localInputToIso('2026-07-05T14:30', 'Europe/Brussels')).toBe('2026-07-05T14:30:00+02:00');
    expect(localInputToIso('2026-03-05T14:30', 'UTC')).toBe('2026-03-05T14:30:00+00:00');
    expect(localInputToIso('2026-03-05T14:30', 'America/New_York')).toBe('2026-03-05T14:30:00-05:00');
    expect(localInputToIso('2026-03-05T14:30', 'Asia/Kolkata')).toBe('2026-03-05T14:30:00+05:30');
    expect(localInputToIso('2026-03-05T14:30', 'America/St_Johns')).toBe('2026-03-05T14:30:00-03:30');
  });

  it('keeps seconds when the input gives them', () => {
    expect(localInputToIso('2026-03-05T14:30:15', 'Europe/Paris')).toBe('2026-03-05T14:30:15+01:00');
    expect(localInputToIso('2026-03-05T14:30:15.250', 'Europe/Paris')).toBe('2026-03-05T14:30:15+01:00');
  });

  it('gives the same instant the ISO string says', () => {
    const iso = localInputToIso('2026-12-31T23:59', 'Europe/Paris');
    expect(new Date(iso ?? '').toISOString()).toBe('2026-12-31T22:59:00.000Z');
  });

  it('moves a time skipped by the spring change forward by the gap', () => {
    expect(localInputToIso('2026-03-29T02:30', 'Europe/Paris')).toBe('2026-03-29T03:30:00+02:00');
    expect(localInputToIso('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T03:30:00-04:00');
  });

  it('reads a time that happens twice in autumn as the first (earlier) one', () => {
    expect(localInputToIso('2026-10-25T02:30', 'Europe/Paris')).toBe('2026-10-25T02:30:00+02:00');
    expect(localInputToIso('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T01:30:00-04:00');
  });

  it('refuses what is not a date and time', () => {
    for (const value of ['', '2026-03-05', '14:30', '2026-02-30T10:00', '2026-13-01T10:00', '2026-00-10T10:00', '2026-03-05T24:00', '2026-03-05T10:60', '2026-3-5T10:00', 'tomorrow', '2026-03-05T14:30+01:00']) {
      expect(localInputToIso(value, 'Europe/Paris'), value).toBeNull();
    }
    expect(localInputToIso('2028-02-29T10:00', 'UTC')).toBe('2028-02-29T10:00:00+00:00');
  });

  it('is accepted by the contract’s DeadlineRequest shape (offset, seconds)', () => {
    expect(localInputToIso('2026-03-05T14:30', 'Europe/Paris')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });
});

describe('ISO → datetime-local', () => {
  it('shows the instant in the given zone', () => {
    expect(isoToLocalInput('2026-03-05T13:30:00.000Z', 'Europe/Paris')).toBe('2026-03-05T14:30');
    expect(isoToLocalInput('2026-03-05T13:30:00Z', 'America/New_York')).toBe('2026-03-05T08:30');
    expect(isoToLocalInput('2026-03-05T14:30:00+01:00', 'UTC')).toBe('2026-03-05T13:30');
    expect(isoToLocalInput('not a date', 'UTC')).toBe('');
  });

  it('round-trips with localInputToIso', () => {
    for (const zone of ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Pacific/Auckland']) {
      for (const value of ['2026-01-15T08:05', '2026-06-30T23:59', '2026-12-31T00:00']) {
        const iso = localInputToIso(value, zone);
        expect(iso, `${zone} ${value}`).not.toBeNull();
        expect(isoToLocalInput(iso ?? '', zone), `${zone} ${value}`).toBe(value);
      }
    }
  });
});

describe('offsets', () => {
  it('are minutes east of UTC, and format with their sign', () => {
    expect(offsetMinutes(Date.parse('2026-01-01T00:00:00Z'), 'Europe/Paris')).toBe(60);
    expect(offsetMinutes(Date.parse('2026-01-01T00:00:00Z'), 'America/Los_Angeles')).toBe(-480);
    expect(isoInZone(Date.parse('2026-01-01T00:00:00Z'), 'America/Los_Angeles')).toBe('2025-12-31T16:00:00-08:00');
  });
});
