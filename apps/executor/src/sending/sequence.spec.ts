import { nextPosition } from './sequence';

const email = { type: 'email', delay: null };
const wait = (amount: number, unit: string) => ({ type: 'wait', delay: { amount, unit } });
const now = new Date('2026-03-01T10:00:00Z');

describe('nextPosition', () => {
  it('starts at the first sending step, now', () => {
    expect(nextPosition([email, wait(1, 'days'), email], -1, now, 60000)).toEqual({
      stepIndex: 0,
      runAt: now,
    });
  });

  it('adds up consecutive waits before the next step', () => {
    const steps = [email, wait(1, 'days'), wait(2, 'hours'), email];
    expect(nextPosition(steps, 0, now, 60000)).toEqual({
      stepIndex: 3,
      runAt: new Date('2026-03-02T12:00:00Z'),
    });
  });

  it('shortens minutes when told to (tests) and ends after the last step', () => {
    const steps = [email, wait(3, 'minutes'), email];
    expect(nextPosition(steps, 0, now, 1000).runAt).toEqual(new Date(now.getTime() + 3000));
    expect(nextPosition(steps, 2, now, 60000)).toEqual({ stepIndex: 3, runAt: null });
    expect(nextPosition([email, wait(1, 'days')], 0, now, 60000).runAt).toBeNull();
  });
});
