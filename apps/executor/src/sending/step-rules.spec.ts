import { StepView } from '@app/contracts';
import { conditionHolds } from './step-rules';

const step = (kind: string) => ({ condition: { kind } }) as unknown as StepView;

describe('step rules', () => {
  it('evaluates conditions on the previous email', () => {
    const opened = { opened_at: new Date(), clicked_at: null, replied_at: null };
    expect(conditionHolds(step('opened'), opened)).toBe(true);
    expect(conditionHolds(step('not_opened'), opened)).toBe(false);
    expect(conditionHolds(step('clicked'), opened)).toBe(false);
    expect(conditionHolds(step('not_replied'), null)).toBe(true);
  });
});
