import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  areaOf,
  ChatClientFrame,
  ChatStartRequest,
  compareQueued,
  decideControl,
  estimateWaitMinutes,
  followUpTeamFor,
  mentionsSelfHarm,
  orderQueue,
  queueScore,
  riskReasons,
  type QueuedChat,
  type RiskReason,
} from './chat.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const chat = (id: number, reasons: RiskReason[], waitedMinutes: number): QueuedChat => ({ id, reasons, waitingSince: ago(waitedMinutes) });

describe('the three questions', () => {
  const ok = { situation: 'sextortion', ageGroup: 'minor', inDanger: false, country: 'FR', language: 'fr' } as const;
  it('takes them, with an optional postal code checked for the country', () => {
    expect(ChatStartRequest.safeParse(ok).success).toBe(true);
    expect(ChatStartRequest.safeParse({ ...ok, postalCode: '75011' }).success).toBe(true);
    expect(ChatStartRequest.safeParse({ ...ok, postalCode: '2A004' }).success).toBe(true);
    for (const bad of [{ ...ok, postalCode: '1000' }, { ...ok, country: 'BE', postalCode: '75011' }, { ...ok, situation: 'nope' }, { ...ok, inDanger: 'yes' }, { ...ok, extra: 1 }, { ...ok, postalCode: 'x'.repeat(40) }]) {
      expect(ChatStartRequest.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('risk', () => {
  it('names every reason that applies', () => {
    expect(riskReasons({ inDanger: true, ageGroup: 'minor', situation: 'sextortion', deadline: true })).toEqual(['in_danger', 'minor', 'sextortion_deadline']);
    expect(riskReasons({ inDanger: false, ageGroup: 'adult', situation: 'cyberharassment' })).toEqual([]);
    expect(riskReasons({ inDanger: false, ageGroup: 'adult', situation: 'suicidal_crisis' })).toEqual(['self_harm']);
    expect(riskReasons({ inDanger: false, ageGroup: 'adult', situation: 'sextortion', texts: ['Je veux en finir ce soir'] })).toEqual(['self_harm']);
  });

  it('reads self-harm words in French and English, accents and case aside, and not ordinary words', () => {
    for (const text of ['je pense au SUICIDE', 'j’ai plus envie de vivre', 'Je vais me faire du mal', 'i want to die', 'I might kill myself', 'self-harm again', 'je me scarifie']) {
      expect(mentionsSelfHarm(text), text).toBe(true);
    }
    for (const text of ['mort de rire', 'il a tué le game', 'the deadline is tonight', 'je suis morte de honte', 'killing it at work']) {
      expect(mentionsSelfHarm(text), text).toBe(false);
    }
  });
});

describe('the queue', () => {
  it('puts immediate danger first, then risk, with ageing', () => {
    const queue = [chat(1, [], 5), chat(2, ['minor'], 1), chat(3, ['in_danger'], 0), chat(4, ['self_harm'], 2), chat(5, ['in_danger'], 3)];
    expect(orderQueue(queue, NOW).map((c) => c.id)).toEqual([5, 3, 4, 2, 1]);
  });

  it('lets a chat without risk overtake a newer risky one once it has waited long enough', () => {
    const old = chat(1, [], 61);
    const fresh = chat(2, ['self_harm'], 0);
    expect(compareQueued(old, fresh, NOW)).toBeLessThan(0);
    expect(compareQueued(chat(1, [], 59), fresh, NOW)).toBeGreaterThan(0);
  });

  it('never lets anyone wait forever: a chat reaches the front once it has waited past every other score (property)', () => {
    const reasons = fc.subarray(['self_harm', 'minor', 'sextortion_deadline'] as RiskReason[]);
    fc.assert(
      fc.property(fc.array(fc.record({ reasons, waited: fc.integer({ min: 0, max: 240 }) }), { minLength: 1, maxLength: 30 }), (others) => {
        const queue = others.map((o, i) => chat(i + 2, o.reasons, o.waited));
        const maxScore = Math.max(...queue.map((c) => queueScore(c, NOW)));
        const patient = chat(1, [], Math.ceil(maxScore) + 1);
        return orderQueue([...queue, patient], NOW)[0]?.id === 1;
      }),
    );
  });

  it('orders the same whatever the input order (a total order)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ danger: fc.boolean(), waited: fc.integer({ min: 0, max: 100 }) }), { minLength: 2, maxLength: 20 }), (specs) => {
        const queue = specs.map((s, i) => chat(i + 1, s.danger ? ['in_danger'] : [], s.waited));
        const once = orderQueue(queue, NOW).map((c) => c.id);
        return JSON.stringify(orderQueue([...queue].reverse(), NOW).map((c) => c.id)) === JSON.stringify(once);
      }),
    );
  });

  it('estimates the wait, or says nobody is on duty', () => {
    expect(estimateWaitMinutes(1, 2, 20)).toBe(10);
    expect(estimateWaitMinutes(3, 1, 15)).toBe(45);
    expect(estimateWaitMinutes(1, 10, 1)).toBe(1);
    expect(estimateWaitMinutes(1, 0, 20)).toBeNull();
  });
});

describe('the follow-up team', () => {
  it('reads the French department and the Belgian province from the postal code', () => {
    expect(areaOf('FR', '75011')).toBe('75');
    expect(areaOf('FR', '13001')).toBe('13');
    expect(areaOf('FR', '97110')).toBe('971');
    expect(areaOf('FR', '20000')).toBe('2A');
    expect(areaOf('FR', '20200')).toBe('2B');
    expect(areaOf('FR', '2b200')).toBe('2B');
    expect(areaOf('BE', '1000')).toBe('BE-BRU');
    expect(areaOf('BE', '1348')).toBe('BE-WBR');
    expect(areaOf('BE', '3000')).toBe('BE-VBR');
    expect(areaOf('BE', '4000')).toBe('BE-WLG');
    expect(areaOf('BE', '6700')).toBe('BE-WLX');
    expect(areaOf('BE', '9000')).toBe('BE-VOV');
    expect(areaOf('BE', '0999')).toBeNull();
    expect(areaOf('FR', '7501')).toBeNull();
    expect(areaOf('other', '10115')).toBeNull();
    expect(areaOf('FR', undefined)).toBeNull();
  });

  it('chooses the team covering the area, else the national one', () => {
    const teams = [
      { id: 'paris', name: 'Paris', areas: ['75', '92', '93', '94'] },
      { id: 'bruxelles', name: 'Bruxelles', areas: ['BE-BRU'] },
      { id: 'national', name: 'National', areas: ['*'] },
    ];
    expect(followUpTeamFor(teams, 'FR', '75011')?.id).toBe('paris');
    expect(followUpTeamFor(teams, 'BE', '1050')?.id).toBe('bruxelles');
    expect(followUpTeamFor(teams, 'FR', '69001')?.id).toBe('national');
    expect(followUpTeamFor(teams, 'FR', undefined)?.id).toBe('national');
    expect(followUpTeamFor(teams.slice(0, 2), 'FR', '69001')).toBeNull();
  });
});

describe('controls on abuse', () => {
  it('go up one step at a time, down freely', () => {
    expect(decideControl('none', 'slow_down', [])).toEqual({ allowed: true, control: 'slow_down' });
    expect(decideControl('slow_down', 'muted', [])).toEqual({ allowed: true, control: 'muted' });
    expect(decideControl('none', 'blocked', [])).toEqual({ allowed: false, reason: 'not_a_step' });
    expect(decideControl('blocked', 'none', [])).toEqual({ allowed: true, control: 'none' });
  });

  it('never mute or block someone who may be in danger: at most slow them down', () => {
    for (const reasons of [['in_danger'], ['self_harm'], ['minor', 'self_harm']] as RiskReason[][]) {
      expect(decideControl('slow_down', 'muted', reasons)).toEqual({ allowed: false, reason: 'person_at_risk' });
      expect(decideControl('muted', 'blocked', reasons)).toEqual({ allowed: false, reason: 'person_at_risk' });
      expect(decideControl('none', 'slow_down', reasons)).toEqual({ allowed: true, control: 'slow_down' });
    }
  });
});

describe('the WebSocket frames', () => {
  it('bound and check what the browser sends', () => {
    const token = 'a'.repeat(43);
    expect(ChatClientFrame.safeParse({ type: 'hello', token, lastSeq: 0 }).success).toBe(true);
    expect(ChatClientFrame.safeParse({ type: 'message', clientId: 'c-12345678', body: 'bonjour' }).success).toBe(true);
    for (const bad of [
      { type: 'hello', token: 'short', lastSeq: 0 },
      { type: 'hello', token, lastSeq: -1 },
      { type: 'message', clientId: 'c-12345678', body: ' ' },
      { type: 'message', clientId: 'c-12345678', body: 'x'.repeat(2001) },
      { type: 'message', clientId: 'bad id!', body: 'x' },
      { type: 'message', clientId: 'c-12345678', body: 'x', extra: true },
      { type: 'shout' },
    ]) {
      expect(ChatClientFrame.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });
});
