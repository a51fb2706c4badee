import { StepView } from '@app/contracts';
import { simulate, SimContact } from './simulation';

const step = (id: string, position: number, extra: Partial<StepView> = {}): StepView =>
  ({ id, position, type: 'email', name: id, delay: null, variants: [], ...extra }) as StepView;
const wait = (id: string, position: number, amount: number, unit: string) =>
  step(id, position, { type: 'wait', delay: { amount, unit } });
const contacts = (n: number, tz: string | null = null): SimContact[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    email: `c${i}@x.test`,
    timezone: tz,
  }));
const start = new Date('2030-01-07T10:00:00Z'); // a Monday
const base = { minuteMs: 60000, frequencyCapPerDay: 0, sampleIds: new Set<string>(), start };

describe('simulate', () => {
  it('sends every step to every contact, waits included', () => {
    const out = simulate({
      ...base,
      steps: [step('a', 1), wait('w', 2, 2, 'days'), step('b', 3)],
      settings: {},
      contacts: contacts(5),
    });
    expect(out.steps.map((s) => [s.stepId, s.sends])).toEqual([
      ['a', 5],
      ['b', 5],
    ]);
    expect([...out.perDay.keys()]).toEqual(['2030-01-07', '2030-01-09']);
    expect(new Date(out.lastSendAt!).toISOString()).toBe('2030-01-09T10:00:00.000Z');
  });

  it('spreads a daily limit over UTC days, held steps first each day', () => {
    const out = simulate({
      ...base,
      steps: [step('a', 1), step('b', 2)],
      settings: { dailyLimit: 4 },
      contacts: contacts(5),
    });
    const days = [...out.perDay].map(([day, counts]) => [
      day,
      counts.map((c) => `${c.stepId}:${c.sends}`).join(' '),
    ]);
    expect(days).toEqual([
      ['2030-01-07', 'a:4'],
      ['2030-01-08', 'a:1 b:3'],
      ['2030-01-09', 'b:2'],
    ]);
    expect(out.sends).toBe(10);
  });

  it('counts dailyLimit days in the campaign’s zone (schedule.timezone)', () => {
    // 10:00 UTC on Monday is 19:00 in Tokyo: the Tokyo day ends at 15:00 UTC.
    const out = simulate({
      ...base,
      steps: [step('a', 1)],
      settings: { dailyLimit: 2 },
      quotaTimezone: 'Asia/Tokyo',
      contacts: contacts(5),
      sampleIds: new Set(contacts(5).map((c) => c.id)),
    });
    expect([...out.perDay].map(([day, c]) => [day, c[0].sends])).toEqual([
      ['2030-01-07', 2],
      ['2030-01-08', 2],
      ['2030-01-09', 1],
    ]);
    const times = [...out.timelines.values()].map((l) => new Date(l[0].at).toISOString()).sort();
    expect(times.slice(2)).toEqual([
      '2030-01-07T15:00:00.000Z',
      '2030-01-07T15:00:00.000Z',
      '2030-01-08T15:00:00.000Z',
    ]);
  });

  it('waits for the send window in each contact’s own zone', () => {
    const late = new Date('2030-01-07T23:00:00Z');
    const out = simulate({
      ...base,
      start: late,
      steps: [step('a', 1)],
      settings: {
        sendWindow: { start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      },
      contacts: [
        ...contacts(1, 'America/New_York'),
        ...contacts(1, 'Asia/Tokyo').map((c) => ({ ...c, id: c.id.replace(/0$/, '9') })),
      ],
      sampleIds: new Set(contacts(1).map((c) => c.id)),
    });
    const times = [...out.timelines.values()].flat().map((t) => new Date(t.at).toISOString());
    expect(times).toEqual(['2030-01-08T14:00:00.000Z']); // 09:00 in New York (UTC-5)
    expect(out.sends).toBe(2);
    expect(new Date(out.firstSendAt!).toISOString()).toBe('2030-01-08T00:00:00.000Z'); // 09:00 in Tokyo
  });

  it('splits variants by weight', () => {
    const ab = step('a', 1, {
      variants: [
        { id: 'va', name: 'A', weight: 70 },
        { id: 'vb', name: 'B', weight: 30 },
      ],
    });
    const out = simulate({ ...base, steps: [ab], settings: {}, contacts: contacts(2000) });
    const [a, b] = out.steps[0].variants.map((v) => v.sends);
    expect(a + b).toBe(2000);
    expect(a / 2000).toBeGreaterThan(0.65);
    expect(a / 2000).toBeLessThan(0.75);
  });

  it('holds a contact back by the frequency cap', () => {
    const [c] = contacts(1);
    const out = simulate({
      ...base,
      frequencyCapPerDay: 1,
      steps: [step('a', 1)],
      settings: {},
      contacts: [{ ...c, recentSends: [start.getTime() - 3600_000] }],
      sampleIds: new Set([c.id]),
    });
    expect(new Date(out.firstSendAt!).toISOString()).toBe('2030-01-08T09:00:00.000Z');
  });

  it('A/B winner flow: the test share goes first, the rest at the decision time with the winner', () => {
    const ab = step('a', 1, {
      variants: [
        { id: 'va', name: 'A', weight: 50 },
        { id: 'vb', name: 'B', weight: 50 },
      ],
    });
    const all = contacts(1000);
    const out = simulate({
      ...base,
      steps: [ab, wait('w', 2, 1, 'days'), step('b', 3)],
      settings: {},
      contacts: all,
      sampleIds: new Set(all.map((c) => c.id)),
      abTest: { stepIndex: 0, testPercentage: 20, decideAfterMs: 4 * 3600_000 },
    });
    const decideAt = start.getTime() + 4 * 3600_000;
    expect(out.abTest!.decideAt).toBe(decideAt);
    expect(out.abTest!.testShare + out.abTest!.afterDecision).toBe(1000);
    expect(out.abTest!.testShare).toBeGreaterThan(160);
    expect(out.abTest!.testShare).toBeLessThan(240);
    const [a, b] = out.steps[0].variants.map((v) => v.sends);
    expect(a + b).toBe(out.abTest!.testShare);
    expect(out.steps.map((s) => s.sends)).toEqual([1000, 1000]);
    const firstSteps = [...out.timelines.values()].map((line) => line[0]);
    const late = firstSteps.filter((t) => t.variant === 'winner');
    expect(late).toHaveLength(out.abTest!.afterDecision);
    expect(late.every((t) => t.at === decideAt)).toBe(true);
    expect(
      firstSteps.filter((t) => t.variant !== 'winner').every((t) => t.at === start.getTime()),
    ).toBe(true);
    expect(new Date(out.lastSendAt!).getTime()).toBe(decideAt + 86_400_000);
  });
});
