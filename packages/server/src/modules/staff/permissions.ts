// Who may do what. Pure: no I/O, no clock. Routes ask `mayEver` (does the role allow this at all?);
// services ask `can` again with the case's facts once they have loaded the case — a route-level yes is
// never enough for a case: a minor's case needs the child-safety permission, and an analyst works only
// unassigned cases and their own.
//
//   analyst     queue, read, claim, work — on unassigned cases and their own
//   supervisor  the analyst's, on every case, + reassign, reopen, statistics, audit
//   admin       the supervisor's + staff accounts, partners, settings, the host directory
//   any role    a case involving a minor only with the child-safety permission (admins included)
import { STAFF_ACTIONS, type StaffAction, type StaffRole } from '@halte/contract';

export interface Actor {
  readonly id: number;
  readonly role: StaffRole;
  /** may open cases involving a minor */
  readonly childSafety: boolean;
}

/** What a decision about a case depends on. */
export interface CaseFacts {
  /** the person is a minor, or the images were made when they were (see `involvesMinor`) */
  readonly involvesMinor: boolean;
  /** the staff account the case is assigned to; null = unassigned (in the queue) */
  readonly assigneeId: number | null;
}

const RANK: Readonly<Record<StaffRole, number>> = { analyst: 0, supervisor: 1, admin: 2 };

/** The least role an action needs. */
export const MIN_ROLE: Readonly<Record<StaffAction, StaffRole>> = {
  'cases.queue': 'analyst',
  'cases.read': 'analyst',
  'cases.claim': 'analyst',
  'cases.work': 'analyst',
  'cases.reassign': 'supervisor',
  'cases.reopen': 'supervisor',
  'statistics.read': 'supervisor',
  'audit.read': 'supervisor',
  'staff.manage': 'admin',
  'partners.manage': 'admin',
  'settings.manage': 'admin',
  'bank.review': 'analyst',
  'hosts.manage': 'admin',
  'chat.counsel': 'analyst',
};

/** Actions done to one case: decided with the case's facts. */
export const CASE_ACTIONS = ['cases.read', 'cases.claim', 'cases.work', 'cases.reassign', 'cases.reopen'] as const satisfies readonly StaffAction[];
export type CaseAction = (typeof CASE_ACTIONS)[number];
export type GlobalAction = Exclude<StaffAction, CaseAction>;

export function isCaseAction(action: StaffAction): action is CaseAction {
  return (CASE_ACTIONS as readonly StaffAction[]).includes(action);
}

export type Refusal =
  /** the role is below the action's */
  | 'role'
  /** the case involves a minor and the account lacks the child-safety permission */
  | 'child_safety'
  /** an analyst, on a case assigned to someone else */
  | 'not_assignee'
  /** claiming a case that already has an assignee (a supervisor reassigns instead) */
  | 'already_assigned';

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: Refusal };

const ALLOWED: Decision = { allowed: true };
const refuse = (reason: Refusal): Decision => ({ allowed: false, reason });

/** A case involves a minor when the person is one, or when the images were made while they were. */
export function involvesMinor(c: { readonly ageGroup: 'minor' | 'adult'; readonly madeWhenMinor: boolean }): boolean {
  return c.ageGroup === 'minor' || c.madeWhenMinor;
}

/** Whether the role allows the action at all (for some case): what a route checks before loading anything. */
export function mayEver(actor: Actor, action: StaffAction): boolean {
  return RANK[actor.role] >= RANK[MIN_ROLE[action]];
}

/** Whether the actor may list or open cases involving minors at all (queue filters use it). */
export function seesMinorCases(actor: Actor): boolean {
  return actor.childSafety;
}

/** The decision with its reason (for the audit log of refusals). */
export function decide(actor: Actor, action: GlobalAction): Decision;
export function decide(actor: Actor, action: CaseAction, facts: CaseFacts): Decision;
export function decide(actor: Actor, action: StaffAction, facts?: CaseFacts): Decision {
  if (!mayEver(actor, action)) return refuse('role');
  if (!isCaseAction(action)) return ALLOWED;
  // a case action without the case's facts: the caller forgot them — never allow by default
  if (facts === undefined) throw new TypeError(`@NOTE ${action} is decided per case: pass the case's facts`);
  if (facts.involvesMinor && !actor.childSafety) return refuse('child_safety');
  const supervises = RANK[actor.role] >= RANK.supervisor;
  switch (action) {
    case 'cases.claim':
      return facts.assigneeId === null ? ALLOWED : refuse('already_assigned');
    case 'cases.read':
    case 'cases.work':
      return supervises || facts.assigneeId === null || facts.assigneeId === actor.id ? ALLOWED : refuse('not_assignee');
    case 'cases.reassign':
    case 'cases.reopen':
      return ALLOWED;
  }
}

export function can(actor: Actor, action: GlobalAction): boolean;
export function can(actor: Actor, action: CaseAction, facts: CaseFacts): boolean;
export function can(actor: Actor, action: StaffAction, facts?: CaseFacts): boolean {
  return (decide as (a: Actor, x: StaffAction, f?: CaseFacts) => Decision)(actor, action, facts).allowed;
}

/** Every action the role allows at all, in the contract's order (GET /api/staff/me). */
export function permissionsOf(actor: Actor): StaffAction[] {
  return STAFF_ACTIONS.filter((action) => mayEver(actor, action));
}
