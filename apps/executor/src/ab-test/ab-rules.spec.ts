import { StepView } from '@app/contracts';
import { CampaignRun } from '../runs/run-snapshot';
import { chooseVariant } from '../sending/variant';
import { abFlowOf, abStepIndex, decideAfterMs, inTestShare, pickWinner, statsOf } from './ab-rules';

const variant = (id: string, weight: number) => ({ id, name: id.toUpperCase(), weight });
const email = (id: string, variants: unknown[] = []) =>
  ({ id, type: 'email', position: 1, variants }) as unknown as StepView;
const abStep = email('s2', [variant('a', 50), variant('b', 50), variant('c', 0)]);

const run = (over: Partial<CampaignRun> = {}, abTest: unknown = defaults()): CampaignRun =>
  ({
    campaignId: 'c',
    tenantId: 't',
    workspaceId: 'w',
    status: 'active',
    campaignType: 'ab_test',
    testMode: false,
    targetPercentage: 100,
    snapshot: { settings: { abTest }, steps: [email('s1'), abStep] },
    ...over,
  }) as CampaignRun;

function defaults() {
  return {
    testPercentage: 30,
    winnerMetric: 'open_rate',
    decideAfter: { amount: 2, unit: 'hours' },
  };
}

describe('A/B winner flow rules', () => {
  it('finds the first email step with two or more weighted variants', () => {
    expect(abStepIndex([email('x', [variant('a', 100), variant('b', 0)]), abStep])).toBe(1);
    expect(abStepIndex([email('x')])).toBe(-1);
  });

  it('has a flow only for ab_test runs with settings.abTest, outside test mode', () => {
    expect(abFlowOf(run())?.stepIndex).toBe(1);
    expect(abFlowOf(run({ campaignType: 'broadcast' }))).toBeNull();
    expect(abFlowOf(run({ testMode: true }))).toBeNull();
    expect(abFlowOf(run({}, null))).toBeNull();
  });

  it('draws the test share stably, near its percentage, independently of the variant draw', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `enr-${i}`);
    const test = ids.filter((id) => inTestShare(id, 30));
    expect(test.length / ids.length).toBeGreaterThan(0.27);
    expect(test.length / ids.length).toBeLessThan(0.33);
    expect(ids.filter((id) => inTestShare(id, 30))).toEqual(test);
    const inTestA = test.filter(
      (id) => chooseVariant([variant('a', 50), variant('b', 50)], id)!.id === 'a',
    );
    expect(inTestA.length / test.length).toBeGreaterThan(0.45);
    expect(inTestA.length / test.length).toBeLessThan(0.55);
  });

  it('converts decideAfter on the executor time scale', () => {
    expect(decideAfterMs({ amount: 2, unit: 'hours' }, 60000)).toBe(7_200_000);
    expect(decideAfterMs({ amount: 5, unit: 'seconds' }, 60000)).toBe(5000);
    expect(decideAfterMs({ amount: 3, unit: 'minutes' }, 1000)).toBe(3000);
    expect(decideAfterMs({ amount: 1, unit: 'days' }, 60000)).toBe(86_400_000);
  });

  it('picks the best rate of the metric among tested variants', () => {
    const stats = statsOf(abStep, [
      { variantId: 'a', sent: 10, opens: 2, clicks: 3 },
      { variantId: 'b', sent: 20, opens: 6, clicks: 1 },
      { variantId: 'c', sent: 1, opens: 1, clicks: 1 },
    ]);
    expect(stats.map((s) => s.openRate)).toEqual([0.2, 0.3, 1]);
    expect(pickWinner(abStep, stats, 'open_rate')).toEqual({
      variantId: 'b',
      reason: 'highest_rate',
    });
    expect(pickWinner(abStep, stats, 'click_rate')).toEqual({
      variantId: 'a',
      reason: 'highest_rate',
    });
  });

  it('gives ties to the first variant in step order, and no data to the first one', () => {
    const tie = statsOf(abStep, [
      { variantId: 'a', sent: 10, opens: 3, clicks: 0 },
      { variantId: 'b', sent: 20, opens: 6, clicks: 0 },
    ]);
    expect(pickWinner(abStep, tie, 'open_rate')).toEqual({ variantId: 'a', reason: 'tie' });
    expect(pickWinner(abStep, tie, 'click_rate')).toEqual({ variantId: 'a', reason: 'no_data' });
    expect(pickWinner(abStep, statsOf(abStep, []), 'open_rate')).toEqual({
      variantId: 'a',
      reason: 'no_data',
    });
  });
});
