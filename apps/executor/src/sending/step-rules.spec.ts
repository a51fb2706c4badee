import { StepView } from '@app/contracts';
import { conditionHolds, nextUtcMidnight } from './step-rules';

const step = (kind: string) => ({ condition: { kind } }) as unknown as StepView;

describe('step rules', () => {
  it('evaluates conditions on the previous email', () => {
    const opened = { opened_at: new Date(), clicked_at: null, replied_at: null };
    expect(conditionHolds(step('opened'), opened)).toBe(true);
    expect(conditionHolds(step('not_opened'), opened)).toBe(false);
    expect(conditionHolds(step('clicked'), opened)).toBe(false);
    expect(conditionHolds(step('not_replied'), null)).toBe(true);
  });

  it('daily quotas roll over at the next UTC midnight', () => {
    expect(nextUtcMidnight(new Date('2026-03-31T23:59:59Z'))).toEqual(
      new Date('2026-04-01T00:00:00Z'),
    );
    expect(nextUtcMidnight(new Date('2026-12-31T00:00:00Z'))).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
  });
});
