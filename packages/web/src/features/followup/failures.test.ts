import { describe, expect, it } from 'vitest';

import { caseFailure } from './failures';

describe('caseFailure', () => {
  it('goes back to reference + PIN when the session is gone', () => {
    expect(caseFailure({ kind: 'http', status: 401, code: 'SESSION_REQUIRED' })).toEqual({ next: 'login' });
    expect(caseFailure({ kind: 'http', status: 401, code: null })).toEqual({ next: 'login' });
  });

  it('says a withdrawn case can take nothing more, and loads it again', () => {
    expect(caseFailure({ kind: 'http', status: 409, code: 'CASE_WITHDRAWN' })).toEqual({ next: 'reload', messages: ['error.caseWithdrawn'] });
  });

  it('stays on the case for anything else, with words the person can act on', () => {
    expect(caseFailure({ kind: 'network' })).toEqual({ next: 'stay', messages: ['error.network'] });
    expect(caseFailure({ kind: 'timeout' })).toEqual({ next: 'stay', messages: ['error.timeout'] });
    expect(caseFailure({ kind: 'http', status: 400, code: 'VALIDATION_FAILED' })).toEqual({ next: 'stay', messages: ['error.validation'] });
    expect(caseFailure({ kind: 'http', status: 503, code: null })).toEqual({ next: 'stay', messages: ['error.unavailable'] });
    expect(caseFailure({ kind: 'unexpected-response', status: 200 })).toEqual({ next: 'stay', messages: ['error.unexpected'] });
  });
});
