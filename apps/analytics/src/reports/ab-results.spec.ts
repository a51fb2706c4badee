import { zeroCounters } from '../ingestion/rollup-counters';
import { abResults, VariantRow } from './ab-results';

const row = (variant: string, delivered: number, clicked: number, step = 's1'): VariantRow => ({
  ...zeroCounters(),
  step,
  stepPosition: step === 's1' ? 1 : 2,
  variant,
  sent: delivered,
  delivered,
  clicked,
});

describe('A/B results', () => {
  it('declares the leader the winner when it beats every other variant', () => {
    const [step] = abResults([row('A', 1000, 50), row('B', 1000, 90), row('C', 1000, 55)], 'click');
    expect(step).toMatchObject({ stepId: 's1', leader: 'B', winner: 'B', significant: true });
    expect(step.variants.map((v) => v.variantId)).toEqual(['B', 'C', 'A']);
    expect(step.variants[1].vsLeader!.significant).toBe(true);
  });

  it('has no winner when one rival is within noise', () => {
    const [step] = abResults([row('A', 1000, 88), row('B', 1000, 90), row('C', 1000, 40)], 'click');
    expect(step).toMatchObject({ leader: 'B', winner: null, significant: false });
  });

  it('ignores rows without a variant and orders steps by position', () => {
    const steps = abResults(
      [row('', 100, 1), row('A', 10, 1, 's2'), row('B', 10, 2, 's2')],
      'click',
    );
    expect(steps.map((s) => s.stepId)).toEqual(['s2']);
    expect(steps[0].winner).toBeNull();
  });
});
