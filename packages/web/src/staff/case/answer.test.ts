import { describe, expect, it } from 'vitest';

import { defaultTemplate } from './answer';

describe('defaultTemplate', () => {
  it('is a first answer until there is one, then an update, and closing once closed', () => {
    expect(defaultTemplate({ firstAnsweredAt: null, status: 'new' })).toBe('first_answer');
    expect(defaultTemplate({ firstAnsweredAt: null, status: 'closed' })).toBe('first_answer');
    expect(defaultTemplate({ firstAnsweredAt: '2026-11-26T10:00:00.000Z', status: 'in_progress' })).toBe('update');
    expect(defaultTemplate({ firstAnsweredAt: '2026-11-26T10:00:00.000Z', status: 'closed' })).toBe('closing');
  });
});
