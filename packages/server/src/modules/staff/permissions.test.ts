import { STAFF_ACTIONS, STAFF_ROLES, type StaffAction, type StaffRole } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { can, CASE_ACTIONS, decide, involvesMinor, mayEver, permissionsOf, type Actor, type CaseAction, type CaseFacts, type GlobalAction, type Refusal } from './permissions.js';

const ME = 7;
const SOMEONE_ELSE = 8;

// The cases an action can meet: who has it, and whether it involves a minor.
const SCENARIOS: readonly (readonly [string, CaseFacts])[] = [
  ['unassigned adult', { involvesMinor: false, assigneeId: null }],
  ['own adult', { involvesMinor: false, assigneeId: ME }],
  ["someone else's adult", { involvesMinor: false, assigneeId: SOMEONE_ELSE }],
  ['unassigned minor', { involvesMinor: true, assigneeId: null }],
  ['own minor', { involvesMinor: true, assigneeId: ME }],
  ["someone else's minor", { involvesMinor: true, assigneeId: SOMEONE_ELSE }],
];

// Y allowed; refused for: r role, c child safety, n not the assignee, a already assigned.
// One column per scenario, in the order above.
const CODE: Readonly<Record<string, Refusal | 'allowed'>> = { Y: 'allowed', r: 'role', c: 'child_safety', n: 'not_assignee', a: 'already_assigned' };

type CaseTable = Readonly<Record<CaseAction, string>>;
const CASES: Readonly<Record<StaffRole, { readonly without: CaseTable; readonly with: CaseTable }>> = {
  analyst: {
    without: { 'cases.read': 'YYnccc', 'cases.claim': 'Yaaccc', 'cases.work': 'YYnccc', 'cases.reassign': 'rrrrrr', 'cases.reopen': 'rrrrrr' },
    with: { 'cases.read': 'YYnYYn', 'cases.claim': 'YaaYaa', 'cases.work': 'YYnYYn', 'cases.reassign': 'rrrrrr', 'cases.reopen': 'rrrrrr' },
  },
  supervisor: {
    without: { 'cases.read': 'YYYccc', 'cases.claim': 'Yaaccc', 'cases.work': 'YYYccc', 'cases.reassign': 'YYYccc', 'cases.reopen': 'YYYccc' },
    with: { 'cases.read': 'YYYYYY', 'cases.claim': 'YaaYaa', 'cases.work': 'YYYYYY', 'cases.reassign': 'YYYYYY', 'cases.reopen': 'YYYYYY' },
  },
  admin: {
    without: { 'cases.read': 'YYYccc', 'cases.claim': 'Yaaccc', 'cases.work': 'YYYccc', 'cases.reassign': 'YYYccc', 'cases.reopen': 'YYYccc' },
    with: { 'cases.read': 'YYYYYY', 'cases.claim': 'YaaYaa', 'cases.work': 'YYYYYY', 'cases.reassign': 'YYYYYY', 'cases.reopen': 'YYYYYY' },
  },
};

// Actions that are not about one case: by role (the child-safety permission changes none of them).
const GLOBAL: Readonly<Record<GlobalAction, Readonly<Record<StaffRole, boolean>>>> = {
  'cases.queue': { analyst: true, supervisor: true, admin: true },
  'statistics.read': { analyst: false, supervisor: true, admin: true },
  'audit.read': { analyst: false, supervisor: true, admin: true },
  'staff.manage': { analyst: false, supervisor: false, admin: true },
  'partners.manage': { analyst: false, supervisor: false, admin: true },
  'settings.manage': { analyst: false, supervisor: false, admin: true },
  'bank.review': { analyst: true, supervisor: true, admin: true },
  'hosts.manage': { analyst: false, supervisor: false, admin: true },
  'chat.counsel': { analyst: true, supervisor: true, admin: true },
};

const actor = (role: StaffRole, childSafety: boolean): Actor => ({ id: ME, role, childSafety });

describe('permissions', () => {
  it('has a row for every action of the contract', () => {
    expect([...CASE_ACTIONS, ...Object.keys(GLOBAL)].sort()).toEqual([...STAFF_ACTIONS].sort());
  });

  const caseRows = STAFF_ROLES.flatMap((role) =>
    [false, true].flatMap((childSafety) =>
      CASE_ACTIONS.flatMap((action) =>
        SCENARIOS.map(([scenario, facts], i) => {
          const expected = CODE[CASES[role][childSafety ? 'with' : 'without'][action].charAt(i)] as Refusal | 'allowed';
          return { role, childSafety, action, scenario, facts, expected };
        }),
      ),
    ),
  );

  it.each(caseRows)('$role (child safety: $childSafety) $action on $scenario case → $expected', ({ role, childSafety, action, facts, expected }) => {
    const a = actor(role, childSafety);
    const decision = decide(a, action, facts);
    expect(decision.allowed ? 'allowed' : decision.reason).toBe(expected);
    expect(can(a, action, facts)).toBe(expected === 'allowed');
    // a route's first check never refuses what the case-level check could allow
    if (expected === 'allowed') expect(mayEver(a, action)).toBe(true);
  });

  const globalRows = STAFF_ROLES.flatMap((role) =>
    [false, true].flatMap((childSafety) =>
      (Object.keys(GLOBAL) as GlobalAction[]).map((action) => ({ role, childSafety, action, expected: GLOBAL[action][role] })),
    ),
  );

  it.each(globalRows)('$role (child safety: $childSafety) $action → $expected', ({ role, childSafety, action, expected }) => {
    const a = actor(role, childSafety);
    expect(can(a, action)).toBe(expected);
    expect(mayEver(a, action)).toBe(expected);
    const decision = decide(a, action);
    expect(decision.allowed ? 'allowed' : decision.reason).toBe(expected ? 'allowed' : 'role');
  });

  it('refuses to decide a case action without the case (never allow by default)', () => {
    expect(() => (can as (a: Actor, x: StaffAction) => boolean)(actor('admin', true), 'cases.read')).toThrow(/per case/);
  });

  it('lists what each role may do at all', () => {
    expect(permissionsOf(actor('analyst', false))).toEqual(['cases.queue', 'cases.read', 'cases.claim', 'cases.work', 'bank.review', 'chat.counsel']);
    expect(permissionsOf(actor('supervisor', true))).toEqual([
      'cases.queue',
      'cases.read',
      'cases.claim',
      'cases.work',
      'cases.reassign',
      'cases.reopen',
      'statistics.read',
      'audit.read',
      'bank.review',
      'chat.counsel',
    ]);
    expect(permissionsOf(actor('admin', false))).toEqual([...STAFF_ACTIONS]);
  });

  it('counts a case as involving a minor when the person is one or the images were made when they were', () => {
    expect(involvesMinor({ ageGroup: 'minor', madeWhenMinor: false })).toBe(true);
    expect(involvesMinor({ ageGroup: 'adult', madeWhenMinor: true })).toBe(true);
    expect(involvesMinor({ ageGroup: 'adult', madeWhenMinor: false })).toBe(false);
  });
});
