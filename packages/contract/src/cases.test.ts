import { describe, expect, it } from 'vitest';

import {
  AnswerRequest,
  AssignRequest,
  CASE_BADGES,
  CaseItemParams,
  CaseParams,
  caseBadges,
  decideTransition,
  DeadlineRequest,
  DraftQuery,
  MAX_ANSWER_CHARS,
  MAX_NOTE_CHARS,
  MAX_OFFENCES_PER_CASE,
  MAX_QUEUE_PAGE,
  NoteRequest,
  OPEN_STATUSES,
  PRIORITY,
  priorityHours,
  QualificationRequest,
  QueueQuery,
  RESPONSE_TARGETS,
  ReviewRequest,
  Settings,
  STAFF_TRANSITIONS,
  staffMovesFrom,
  StatusRequest,
  urgencyAt,
  type BadgeFacts,
  type PriorityFacts,
  type TransitionActor,
  type TransitionDecision,
} from './cases.js';
import { CASE_STATUSES, type CaseStatus } from './domain.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-11-27T12:00:00.000Z');
const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);

// --- the workflow -------------------------------------------------------------------------------

/*
 * The specification, written out cell by cell (not derived from STAFF_TRANSITIONS): a row is the
 * status a case is in, a column the status asked for, in the order new, triaged, in_progress,
 * waiting, closed, withdrawn.
 */
const WORK: TransitionDecision = { allowed: true, permission: 'cases.work' };
const REOPEN: TransitionDecision = { allowed: true, permission: 'cases.reopen' };
const PERSON: TransitionDecision = { allowed: true, permission: null };
const SAME: TransitionDecision = { allowed: false, reason: 'same_status' };
const TERMINAL: TransitionDecision = { allowed: false, reason: 'terminal' };
const NO: TransitionDecision = { allowed: false, reason: 'not_allowed' };

const COLUMNS = ['new', 'triaged', 'in_progress', 'waiting', 'closed', 'withdrawn'] as const satisfies readonly CaseStatus[];

const EXPECTED: Record<TransitionActor, Record<CaseStatus, readonly TransitionDecision[]>> = {
  staff: {
    //            new       triaged   in_progress  waiting  closed  withdrawn
    new:         [SAME,     WORK,     WORK,        NO,      WORK,   NO],
    triaged:     [NO,       SAME,     WORK,        WORK,    WORK,   NO],
    in_progress: [NO,       NO,       SAME,        WORK,    WORK,   NO],
    waiting:     [NO,       NO,       WORK,        SAME,    WORK,   NO],
    closed:      [NO,       NO,       REOPEN,      NO,      SAME,   NO],
    withdrawn:   [TERMINAL, TERMINAL, TERMINAL,    TERMINAL, TERMINAL, TERMINAL],
  },
  person: {
    //            new       triaged   in_progress  waiting  closed  withdrawn
    new:         [SAME,     NO,       NO,          NO,      NO,     PERSON],
    triaged:     [NO,       SAME,     NO,          NO,      NO,     PERSON],
    in_progress: [NO,       NO,       SAME,        NO,      NO,     PERSON],
    waiting:     [NO,       NO,       NO,          SAME,    NO,     PERSON],
    // A person who writes to a closed case reopens it (docs/decisions/0017-case-work.md).
    closed:      [NO,       NO,       PERSON,      NO,      SAME,   PERSON],
    withdrawn:   [TERMINAL, TERMINAL, TERMINAL,    TERMINAL, TERMINAL, TERMINAL],
  },
};

const describeDecision = (d: TransitionDecision): string => (d.allowed ? `allowed (${d.permission ?? 'no permission'})` : `refused (${d.reason})`);

const CELLS = (['staff', 'person'] as const).flatMap((actor) =>
  COLUMNS.flatMap((from) =>
    COLUMNS.map((to, column) => {
      const expected = EXPECTED[actor][from][column];
      if (expected === undefined) throw new Error(`no expectation for ${actor} ${from} → ${to}`);
      return { actor, from, to, expected, outcome: describeDecision(expected) };
    }),
  ),
);

describe('the case workflow', () => {
  it('has the six statuses of the table, in its order, and the four open ones', () => {
    expect(CASE_STATUSES).toEqual(COLUMNS);
    expect(OPEN_STATUSES).toEqual(['new', 'triaged', 'in_progress', 'waiting']);
    expect(CELLS).toHaveLength(6 * 6 * 2);
  });

  it.each(CELLS)('$actor: $from → $to is $outcome', ({ actor, from, to, expected }) => {
    expect(decideTransition(from, to, actor)).toEqual(expected);
  });

  it.each([
    ['new', ['triaged', 'in_progress', 'closed']],
    ['triaged', ['in_progress', 'waiting', 'closed']],
    ['in_progress', ['waiting', 'closed']],
    ['waiting', ['in_progress', 'closed']],
    ['closed', ['in_progress']],
    ['withdrawn', []],
  ] as const)('staff may move a %s case to %j', (from, moves) => {
    expect(staffMovesFrom(from)).toEqual(moves);
  });

  it('lists in STAFF_TRANSITIONS exactly the staff moves of the table', () => {
    for (const from of COLUMNS) {
      const listed: Partial<Record<CaseStatus, string>> = {};
      COLUMNS.forEach((to, column) => {
        const d = EXPECTED.staff[from][column];
        if (d?.allowed === true && d.permission !== null) listed[to] = d.permission;
      });
      expect(STAFF_TRANSITIONS[from], from).toEqual(listed);
    }
  });
});

// --- priority -----------------------------------------------------------------------------------

const facts = (over: Partial<PriorityFacts> = {}): PriorityFacts => ({
  createdAt: NOW,
  immediateDanger: false,
  involvesMinor: false,
  sextortion: false,
  deadlineAt: null,
  lastAnsweredAt: null,
  personWaitingSince: null,
  ...over,
});

/** A small seeded PRNG (mulberry32): the same cases on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Random facts that could describe a real case: answers after the report, messages after answers. */
function randomFacts(random: () => number): PriorityFacts {
  const ms = (maxMs: number) => Math.floor(random() * maxMs);
  const createdAt = at(-ms(60 * DAY));
  const lastAnsweredAt = random() < 0.5 ? null : new Date(createdAt.getTime() + ms(30 * DAY));
  const personWaitingSince = random() < 0.5 ? null : new Date((lastAnsweredAt ?? createdAt).getTime() + ms(10 * DAY));
  const deadlineAt = random() < 0.4 ? null : at(ms(30 * DAY) - 10 * DAY);
  return {
    createdAt,
    immediateDanger: random() < 0.3,
    involvesMinor: random() < 0.3,
    sextortion: random() < 0.3,
    deadlineAt,
    lastAnsweredAt,
    personWaitingSince,
  };
}

const SAMPLES = 400;

describe('the queue priority', () => {
  it('puts a person in immediate danger who wrote a minute ago before an adult’s harassment report of yesterday', () => {
    const danger = urgencyAt(facts({ createdAt: at(-MINUTE), immediateDanger: true }));
    const harassment = urgencyAt(facts({ createdAt: at(-DAY) }));
    expect(danger.getTime()).toBeLessThan(harassment.getTime());
    expect(priorityHours(danger, NOW)).toBe(72);
    expect(priorityHours(harassment, NOW)).toBe(24);
  });

  it('counts a minor’s case as if it had waited 24 h longer, sextortion 12 h, and adds the boosts', () => {
    expect(urgencyAt(facts({ involvesMinor: true }))).toEqual(at(-24 * HOUR));
    expect(urgencyAt(facts({ involvesMinor: true }))).toEqual(urgencyAt(facts({ createdAt: at(-DAY) })));
    expect(urgencyAt(facts({ sextortion: true }))).toEqual(at(-12 * HOUR));
    expect(urgencyAt(facts({ immediateDanger: true }))).toEqual(at(-72 * HOUR));
    expect(urgencyAt(facts({ immediateDanger: true, involvesMinor: true, sextortion: true }))).toEqual(at(-108 * HOUR));
    expect(PRIORITY).toMatchObject({ immediateDangerHours: 72, minorHours: 24, sextortionHours: 12, deadlineLeadHours: 96, revisitDays: 7 });
  });

  it('ranks a sextortion deadline 24 h away with an immediate danger of now, and a passed one above it', () => {
    const danger = urgencyAt(facts({ immediateDanger: true }));
    expect(urgencyAt(facts({ sextortion: true, deadlineAt: at(24 * HOUR) }))).toEqual(danger);
    expect(urgencyAt(facts({ deadlineAt: at(24 * HOUR) }))).toEqual(danger);
    const passed = urgencyAt(facts({ sextortion: true, deadlineAt: at(-MINUTE) }));
    expect(passed.getTime()).toBeLessThan(danger.getTime());
    expect(priorityHours(passed, NOW)).toBe(96);
  });

  it('ignores a deadline further away than the case’s own waiting', () => {
    expect(urgencyAt(facts({ sextortion: true, deadlineAt: at(10 * DAY) }))).toEqual(urgencyAt(facts({ sextortion: true })));
  });

  it('waits from the report while nobody has answered, even if the person wrote since', () => {
    expect(urgencyAt(facts({ createdAt: at(-5 * HOUR), personWaitingSince: at(-HOUR) }))).toEqual(at(-5 * HOUR));
  });

  it('brings an answered case with nothing pending back 7 days after the last answer', () => {
    const answered = at(-2 * DAY);
    const u = urgencyAt(facts({ createdAt: at(-10 * DAY), lastAnsweredAt: answered }));
    expect(u).toEqual(new Date(answered.getTime() + 7 * DAY));
    expect(priorityHours(u, NOW)).toBe(-120);
    expect(priorityHours(u, u)).toBe(0);
    // the boosts still apply to the revisit
    expect(urgencyAt(facts({ createdAt: at(-10 * DAY), lastAnsweredAt: answered, immediateDanger: true }))).toEqual(new Date(answered.getTime() + 7 * DAY - 72 * HOUR));
  });

  it('anchors at the person’s oldest unanswered message after an answer', () => {
    const u = urgencyAt(facts({ createdAt: at(-30 * DAY), lastAnsweredAt: at(-10 * HOUR), personWaitingSince: at(-2 * HOUR) }));
    expect(u).toEqual(at(-2 * HOUR));
    expect(priorityHours(u, NOW)).toBe(2);
  });

  it('shows the priority in hours with one decimal', () => {
    expect(priorityHours(at(-90 * MINUTE), NOW)).toBe(1.5);
    expect(priorityHours(at(-(HOUR + 2 * MINUTE)), NOW)).toBe(1);
    expect(priorityHours(at(-(HOUR + 4 * MINUTE)), NOW)).toBe(1.1);
    expect(priorityHours(at(30 * MINUTE), NOW)).toBe(-0.5);
  });

  it(`never makes a case less urgent by a boost (${SAMPLES} generated cases)`, () => {
    const random = prng(0x5eed_0001);
    for (let i = 0; i < SAMPLES; i++) {
      const f = randomFacts(random);
      const base = urgencyAt(f).getTime();
      for (const [flag, hours] of [
        ['immediateDanger', PRIORITY.immediateDangerHours],
        ['involvesMinor', PRIORITY.minorHours],
        ['sextortion', PRIORITY.sextortionHours],
      ] as const) {
        const on = urgencyAt({ ...f, [flag]: true }).getTime();
        const off = urgencyAt({ ...f, [flag]: false }).getTime();
        const label = `${flag} ${JSON.stringify(f)}`;
        expect(on, label).toBeLessThanOrEqual(off);
        expect(off - on, label).toBeLessThanOrEqual(hours * HOUR);
        if (f.deadlineAt === null) expect(off - on, label).toBe(hours * HOUR);
        expect(f[flag] ? on : off, label).toBe(base);
      }
    }
  });

  it(`never makes a case less urgent by a deadline, nor by an earlier one (${SAMPLES} generated cases)`, () => {
    const random = prng(0x5eed_0002);
    for (let i = 0; i < SAMPLES; i++) {
      const f = randomFacts(random);
      const without = urgencyAt({ ...f, deadlineAt: null }).getTime();
      const deadline = at(Math.floor(random() * 40 * DAY) - 20 * DAY);
      const withDeadline = urgencyAt({ ...f, deadlineAt: deadline }).getTime();
      const earlier = urgencyAt({ ...f, deadlineAt: new Date(deadline.getTime() - Math.floor(random() * 5 * DAY)) }).getTime();
      const label = `${deadline.toISOString()} ${JSON.stringify(f)}`;
      expect(withDeadline, label).toBeLessThanOrEqual(without);
      expect(withDeadline, label).toBeLessThanOrEqual(deadline.getTime() - PRIORITY.deadlineLeadHours * HOUR);
      expect(earlier, label).toBeLessThanOrEqual(withDeadline);
    }
  });

  it(`grows the shown priority by exactly one per hour as time passes (${SAMPLES} generated cases)`, () => {
    const random = prng(0x5eed_0003);
    for (let i = 0; i < SAMPLES; i++) {
      const u = urgencyAt(randomFacts(random));
      const now = at(Math.floor(random() * 20 * DAY) - 10 * DAY);
      const hours = 1 + Math.floor(random() * 500);
      const before = priorityHours(u, now);
      const after = priorityHours(u, new Date(now.getTime() + hours * HOUR));
      const label = `${u.toISOString()} at ${now.toISOString()} + ${hours} h`;
      // in tenths, an integer: exact (the difference of two one-decimal floats need not be)
      expect(Math.round(after * 10) - Math.round(before * 10), label).toBe(hours * 10);
      expect(after - before, label).toBeCloseTo(hours, 9);
      expect(priorityHours(u, new Date(now.getTime() + HOUR)) - before, label).toBeCloseTo(1, 9);
    }
  });
});

// --- response targets ---------------------------------------------------------------------------

const badgeFacts = (over: Partial<BadgeFacts> = {}): BadgeFacts => ({
  status: 'in_progress',
  createdAt: at(-HOUR / 2),
  immediateDanger: false,
  firstAnsweredAt: null,
  personWaitingSince: null,
  deadlineAt: null,
  ...over,
});

describe('the queue badges', () => {
  it('has the promised targets', () => {
    expect(RESPONSE_TARGETS).toEqual({ firstAnswerHours: 24, dangerTriageHours: 1, personWaitingHours: 48, deadlineWarningHours: 24 });
  });

  it('shows none for a fresh case', () => {
    expect(caseBadges(badgeFacts({ status: 'new', immediateDanger: true }), NOW)).toEqual([]);
  });

  it('flags an immediate danger still new after more than 1 h', () => {
    const f = (createdAt: Date, over: Partial<BadgeFacts> = {}) => caseBadges(badgeFacts({ status: 'new', immediateDanger: true, createdAt, ...over }), NOW);
    expect(f(at(-HOUR + 1))).toEqual([]);
    expect(f(at(-HOUR))).toEqual([]);
    expect(f(at(-HOUR - 1))).toEqual(['danger_not_triaged']);
    // once triaged, or when not in danger, no badge
    expect(f(at(-2 * HOUR), { status: 'triaged' })).toEqual([]);
    expect(f(at(-2 * HOUR), { immediateDanger: false })).toEqual([]);
    // an answer does not triage: the case must leave `new`
    expect(f(at(-2 * HOUR), { firstAnsweredAt: at(-HOUR) })).toEqual(['danger_not_triaged']);
  });

  it('flags a report unanswered after more than 24 h', () => {
    const f = (createdAt: Date, over: Partial<BadgeFacts> = {}) => caseBadges(badgeFacts({ createdAt, ...over }), NOW);
    expect(f(at(-DAY + 1))).toEqual([]);
    expect(f(at(-DAY))).toEqual([]);
    expect(f(at(-DAY - 1))).toEqual(['first_answer_overdue']);
    expect(f(at(-10 * DAY), { firstAnsweredAt: at(-9 * DAY) })).toEqual([]);
  });

  it('flags a person’s message unanswered after more than 48 h', () => {
    const f = (personWaitingSince: Date | null) => caseBadges(badgeFacts({ createdAt: at(-10 * DAY), firstAnsweredAt: at(-9 * DAY), personWaitingSince }), NOW);
    expect(f(at(-48 * HOUR + 1))).toEqual([]);
    expect(f(at(-48 * HOUR))).toEqual([]);
    expect(f(at(-48 * HOUR - 1))).toEqual(['person_waiting']);
    expect(f(null)).toEqual([]);
  });

  it('flags a deadline less than 24 h away, or passed', () => {
    const f = (deadlineAt: Date | null) => caseBadges(badgeFacts({ deadlineAt }), NOW);
    expect(f(at(DAY + 1))).toEqual([]);
    expect(f(at(DAY))).toEqual([]);
    expect(f(at(DAY - 1))).toEqual(['deadline_near']);
    expect(f(NOW)).toEqual(['deadline_near']);
    expect(f(at(-5 * DAY))).toEqual(['deadline_near']);
    expect(f(null)).toEqual([]);
  });

  const everythingMissed = badgeFacts({ status: 'new', immediateDanger: true, createdAt: at(-10 * DAY), personWaitingSince: at(-5 * DAY), deadlineAt: at(-DAY) });

  it('lists them most serious first', () => {
    expect(caseBadges(everythingMissed, NOW)).toEqual(['danger_not_triaged', 'first_answer_overdue', 'person_waiting', 'deadline_near']);
    expect(CASE_BADGES).toEqual(['danger_not_triaged', 'first_answer_overdue', 'person_waiting', 'deadline_near']);
    expect(caseBadges({ ...everythingMissed, status: 'waiting' }, NOW)).toEqual(['first_answer_overdue', 'person_waiting', 'deadline_near']);
  });

  it.each(['closed', 'withdrawn'] as const)('shows none for a %s case, whatever it missed', (status) => {
    expect(caseBadges({ ...everythingMissed, status }, NOW)).toEqual([]);
  });
});

// --- schemas ------------------------------------------------------------------------------------

const refuses = (schema: { safeParse: (v: unknown) => { success: boolean } }, values: readonly unknown[]) => {
  for (const value of values) expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(false);
};

describe('the queue query', () => {
  it('takes an empty query (the defaults are the server’s)', () => {
    expect(QueueQuery.parse({})).toEqual({});
  });

  it('takes statuses comma-separated', () => {
    expect(QueueQuery.parse({ status: 'new' })).toEqual({ status: ['new'] });
    expect(QueueQuery.parse({ status: 'new,waiting,closed' })).toEqual({ status: ['new', 'waiting', 'closed'] });
    expect(QueueQuery.parse({ status: 'new,' })).toEqual({ status: ['new'] });
    expect(QueueQuery.parse({ status: CASE_STATUSES.join(',') })).toEqual({ status: [...CASE_STATUSES] });
    refuses(QueueQuery, [{ status: 'open' }, { status: 'new,open' }, { status: 'NEW' }, { status: 'new, triaged' }, { status: '' }, { status: ',' }, { status: 'new,'.repeat(7) }, { status: 'x'.repeat(101) }]);
  });

  it('takes the assignee as me, none or an account number', () => {
    expect(QueueQuery.parse({ assignee: 'me' })).toEqual({ assignee: 'me' });
    expect(QueueQuery.parse({ assignee: 'none' })).toEqual({ assignee: 'none' });
    expect(QueueQuery.parse({ assignee: '42' })).toEqual({ assignee: 42 });
    refuses(QueueQuery, [{ assignee: '0' }, { assignee: '-1' }, { assignee: 'ME' }, { assignee: 'someone' }, { assignee: '' }, { assignee: '1.5' }]);
  });

  it(`takes a page size from 1 to ${MAX_QUEUE_PAGE}`, () => {
    expect(MAX_QUEUE_PAGE).toBe(100);
    expect(QueueQuery.parse({ limit: '1' })).toEqual({ limit: 1 });
    expect(QueueQuery.parse({ limit: '100' })).toEqual({ limit: 100 });
    refuses(QueueQuery, ['0', '101', '999', '1000', 'abc', '', '-5', '1.5', '010', ' 5', '1e2'].map((limit) => ({ limit })));
  });

  it('takes a cursor of the form digits.digits', () => {
    expect(QueueQuery.parse({ cursor: '1764244800000.42' })).toEqual({ cursor: '1764244800000.42' });
    refuses(QueueQuery, ['', 'abc', '1.', '.1', '1.2.3', '1,2', '-1.2', ' 1.2', '1.2 ', '12345678901234567.1', '1.12345678901234567', "1.2' or 1=1"].map((cursor) => ({ cursor })));
  });

  it('takes a reference trimmed, at most 40 characters', () => {
    expect(QueueQuery.parse({ reference: ' HLT-7K3M-9QX2 ' })).toEqual({ reference: 'HLT-7K3M-9QX2' });
    expect(QueueQuery.parse({ reference: 'R'.repeat(40) })).toEqual({ reference: 'R'.repeat(40) });
    refuses(QueueQuery, [{ reference: 'R'.repeat(41) }, { reference: '' }, { reference: '   ' }]);
  });

  it('takes the situation and country filters of the domain, and no other key', () => {
    expect(QueueQuery.parse({ situation: 'sextortion', country: 'BE', status: 'triaged', assignee: 'none', limit: '20' })).toEqual({
      situation: 'sextortion',
      country: 'BE',
      status: ['triaged'],
      assignee: 'none',
      limit: 20,
    });
    refuses(QueueQuery, [{ situation: 'bad' }, { country: 'DE' }, { page: '2' }, { sort: 'created_at' }, { status: 'new', offset: '10' }]);
  });
});

describe('the case URLs', () => {
  it('read case and item numbers strictly', () => {
    expect(CaseParams.parse({ id: '1' })).toEqual({ id: 1 });
    expect(CaseParams.parse({ id: '123456789012345' })).toEqual({ id: 123456789012345 });
    refuses(CaseParams, ['0', '-1', '1.5', 'abc', '1234567890123456', '9999999999999999', '', ' 1', '01', '1e3', '0x1f'].map((id) => ({ id })));
    refuses(CaseParams, [{}, { id: 1 }, { id: '1', extra: '2' }]);
    expect(CaseItemParams.parse({ id: '3', itemId: '7' })).toEqual({ id: 3, itemId: 7 });
    refuses(CaseItemParams, [{ id: '3' }, { id: '3', itemId: '0' }, { id: '0', itemId: '7' }, { id: '3', itemId: 'x' }]);
  });
});

describe('the case action bodies', () => {
  it('take a qualification of distinct offence ids, at most 20', () => {
    expect(MAX_OFFENCES_PER_CASE).toBe(20);
    expect(QualificationRequest.parse({ offenceIds: [] })).toEqual({ offenceIds: [] });
    expect(QualificationRequest.parse({ offenceIds: ['fr-chantage', 'be-harcelement', 'fr-diffusion-non-consentie'] })).toEqual({
      offenceIds: ['fr-chantage', 'be-harcelement', 'fr-diffusion-non-consentie'],
    });
    const twenty = Array.from({ length: 20 }, (_, i) => `fr-offence-${i}`);
    expect(QualificationRequest.safeParse({ offenceIds: twenty }).success).toBe(true);
    expect(QualificationRequest.safeParse({ offenceIds: [...twenty, 'fr-offence-20'] }).success).toBe(false);
    expect(QualificationRequest.safeParse({ offenceIds: ['fr-chantage', 'fr-extorsion', 'fr-chantage'] }).success).toBe(false);
    expect(QualificationRequest.safeParse({ offenceIds: [`fr-${'a'.repeat(80)}`] }).success).toBe(true);
    refuses(
      QualificationRequest,
      ['chantage', 'FR-chantage', 'fr-Chantage', 'fr-', 'fr_chantage', 'fra-chantage', 'f-chantage', ' fr-chantage', 'fr-chantage ', 'fr-chan tage', `fr-${'a'.repeat(81)}`, ''].map((id) => ({ offenceIds: [id] })),
    );
    refuses(QualificationRequest, [{}, { offenceIds: 'fr-chantage' }, { offenceIds: [1] }, { offenceIds: [], note: 'x' }]);
  });

  it('take a deadline in ISO 8601 with an offset, or null', () => {
    for (const deadlineAt of ['2026-11-28T09:00:00Z', '2026-11-28T09:00:00+01:00', '2026-11-28T09:00:00.123-05:00', '2028-02-29T23:59:59-12:00']) {
      expect(DeadlineRequest.parse({ deadlineAt }), deadlineAt).toEqual({ deadlineAt });
    }
    expect(DeadlineRequest.parse({ deadlineAt: null })).toEqual({ deadlineAt: null });
    refuses(
      DeadlineRequest,
      // seconds are required (zod's default; the staff app's isoInZone always writes them)
      ['2026-11-28T09:00:00', '2026-11-28T09:00Z', '2026-11-28', '2026-02-29T09:00:00Z', '2026-11-28 09:00:00Z', 'tomorrow', '', '28/11/2026 09:00', '2026-13-01T00:00:00Z', '2026-11-28T25:00:00Z', 1764320400000].map((deadlineAt) => ({ deadlineAt })),
    );
    refuses(DeadlineRequest, [{}, { deadlineAt: null, reason: 'x' }]);
  });

  it(`take a note trimmed, 1 to ${MAX_NOTE_CHARS} characters`, () => {
    expect(NoteRequest.parse({ body: '  called the host \n' })).toEqual({ body: 'called the host' });
    expect(NoteRequest.parse({ body: `  ${'n'.repeat(MAX_NOTE_CHARS)}  ` })).toEqual({ body: 'n'.repeat(MAX_NOTE_CHARS) });
    refuses(NoteRequest, [{ body: '' }, { body: '  \n\t ' }, { body: 'n'.repeat(MAX_NOTE_CHARS + 1) }, { body: 42 }, {}, { body: 'ok', visibleToPerson: true }]);
  });

  it(`take an answer trimmed, 1 to ${MAX_ANSWER_CHARS} characters`, () => {
    expect(AnswerRequest.parse({ body: '\n Bonjour,\n\nnous avons lu votre message. ' })).toEqual({ body: 'Bonjour,\n\nnous avons lu votre message.' });
    expect(AnswerRequest.parse({ body: 'a'.repeat(MAX_ANSWER_CHARS) })).toEqual({ body: 'a'.repeat(MAX_ANSWER_CHARS) });
    refuses(AnswerRequest, [{ body: '' }, { body: '   ' }, { body: 'a'.repeat(MAX_ANSWER_CHARS + 1) }, { body: null }, {}, { body: 'ok', template: 'update' }]);
  });

  it('take the other actions’ bodies strictly', () => {
    expect(AssignRequest.parse({ staffId: 3 })).toEqual({ staffId: 3 });
    expect(AssignRequest.parse({ staffId: null })).toEqual({ staffId: null });
    refuses(AssignRequest, [{}, { staffId: 0 }, { staffId: -1 }, { staffId: 1.5 }, { staffId: '3' }, { staffId: 3, note: 'x' }]);

    for (const to of CASE_STATUSES) expect(StatusRequest.parse({ to })).toEqual({ to });
    refuses(StatusRequest, [{}, { to: 'open' }, { to: 'new', reason: 'x' }]);

    expect(ReviewRequest.parse({ review: 'analyst_verified' })).toEqual({ review: 'analyst_verified' });
    expect(ReviewRequest.parse({ review: 'rejected' })).toEqual({ review: 'rejected' });
    refuses(ReviewRequest, [{}, { review: 'self_submitted' }, { review: 'verified' }]);

    expect(DraftQuery.parse({ template: 'first_answer' })).toEqual({ template: 'first_answer' });
    expect(DraftQuery.parse({ template: 'closing', language: 'en' })).toEqual({ template: 'closing', language: 'en' });
    refuses(DraftQuery, [{}, { template: 'goodbye' }, { template: 'update', language: 'de' }, { template: 'update', tone: 'warm' }]);

    const all = {
      shareSelfSubmittedBeforeReview: true,
      noticeReminderHours: 48,
      noticeEscalationHours: 168,
      noticeMinorReminderHours: 12,
      noticeMinorEscalationHours: 24,
      noticeNotifierName: 'Halte',
      noticeNotifierEmail: null,
    };
    expect(Settings.parse(all)).toEqual(all);
    expect(Settings.partial().parse({ noticeReminderHours: 72 })).toEqual({ noticeReminderHours: 72 });
    refuses(Settings, [
      {},
      { ...all, shareSelfSubmittedBeforeReview: 'true' },
      { ...all, other: 1 },
      { ...all, noticeReminderHours: 0 },
      { ...all, noticeEscalationHours: 1.5 },
      { ...all, noticeMinorEscalationHours: 24 * 61 },
      { ...all, noticeNotifierName: ' ' },
      { ...all, noticeNotifierEmail: 'not an address' },
    ]);
  });
});
