import { AbVariantStats, StepView } from '@app/contracts';
import { AbTestSettings, CampaignRun } from '../runs/run-snapshot';
import { bucketOf } from '../sending/variant';

/** Salt of the test-share draw, so it is independent of the variant draw (bucketOf(id)). */
export const TEST_SHARE_SALT = 'ab-test:';

const UNIT_MINUTES: Record<string, number> = {
  seconds: 1 / 60,
  minutes: 1,
  hours: 60,
  days: 1440,
};

export interface AbFlow {
  settings: AbTestSettings;
  stepIndex: number;
  step: StepView;
}

/** The A/B step: the first email step with two or more variants of positive weight. */
export function abStepIndex(steps: StepView[]): number {
  return steps.findIndex(
    (s) => s.type === 'email' && (s.variants ?? []).filter((v) => v.weight > 0).length >= 2,
  );
}

/**
 * The winner flow of a run, or null: only `ab_test` campaigns with `settings.abTest` and an
 * A/B step have one. Test mode has none (test recipients see each variant by weight).
 */
export function abFlowOf(run: CampaignRun): AbFlow | null {
  const settings = run.snapshot.settings?.abTest;
  if (run.campaignType !== 'ab_test' || !settings || run.testMode) return null;
  const stepIndex = abStepIndex(run.snapshot.steps);
  if (stepIndex < 0) return null;
  return { settings, stepIndex, step: run.snapshot.steps[stepIndex] };
}

/** Whether an enrollment is in the test share: a stable draw, like the variant's. */
export function inTestShare(enrollmentId: string, testPercentage: number): boolean {
  return bucketOf(TEST_SHARE_SALT + enrollmentId) * 100 < testPercentage;
}

/** `decideAfter` in milliseconds, on the executor's time scale (EXECUTOR_MINUTE_MS). */
export function decideAfterMs(d: AbTestSettings['decideAfter'], minuteMs: number): number {
  return Math.round(d.amount * (UNIT_MINUTES[d.unit] ?? 1) * minuteMs);
}

export interface VariantCounts {
  variantId: string;
  sent: number;
  opens: number;
  clicks: number;
}

/** Counts per variant, in the step's variant order, with rates. */
export function statsOf(step: StepView, counts: VariantCounts[]): AbVariantStats[] {
  return (step.variants ?? []).map((v) => {
    const c = counts.find((x) => x.variantId === v.id);
    const sent = c?.sent ?? 0;
    const rate = (n: number) => (sent ? Math.round((n / sent) * 10000) / 10000 : 0);
    return {
      variantId: v.id,
      name: v.name,
      sent,
      opens: c?.opens ?? 0,
      clicks: c?.clicks ?? 0,
      openRate: rate(c?.opens ?? 0),
      clickRate: rate(c?.clicks ?? 0),
    };
  });
}

/**
 * The winner: the best rate of the metric among the variants that were tested (positive
 * weight). Ties go to the first such variant in the step's order (the one listed first is the
 * control); when no tested variant was sent or engaged with at all, the first one wins too,
 * with reason `no_data`.
 */
export function pickWinner(
  step: StepView,
  stats: AbVariantStats[],
  metric: AbTestSettings['winnerMetric'],
): { variantId: string; reason: 'highest_rate' | 'tie' | 'no_data' } {
  const tested = new Set((step.variants ?? []).filter((v) => v.weight > 0).map((v) => v.id));
  const candidates = stats.filter((s) => tested.has(s.variantId));
  const rateOf = (s: AbVariantStats) => (metric === 'click_rate' ? s.clickRate : s.openRate);
  const engaged = candidates.some((s) => (metric === 'click_rate' ? s.clicks : s.opens) > 0);
  if (!engaged) return { variantId: candidates[0].variantId, reason: 'no_data' };
  const best = Math.max(...candidates.map(rateOf));
  const top = candidates.filter((s) => rateOf(s) === best);
  return { variantId: top[0].variantId, reason: top.length > 1 ? 'tie' : 'highest_rate' };
}
