import { AbMetric, AbStepResult, VariantResult } from '@app/contracts';
import { Counters } from '../ingestion/rollup-counters';
import { pct, reachedBase } from './metrics';
import { twoProportionZTest } from './z-test';

export type VariantRow = Counters & { step: string; stepPosition: number | null; variant: string };

const SUCCESS: Record<AbMetric, 'opened' | 'clicked' | 'converted'> = {
  open: 'opened',
  click: 'clicked',
  conversion: 'converted',
};

/**
 * A/B results per step. The leader is the variant with the highest rate on `metric` (unique
 * opens, unique clicks or conversions over messages reached); each other variant is tested
 * against it with a two-sided two-proportion z-test. The leader is the winner only when it is
 * significantly better than every other variant at `confidence`.
 */
export function abResults(rows: VariantRow[], metric: AbMetric, confidence = 0.95): AbStepResult[] {
  const bySteps = new Map<string, VariantRow[]>();
  for (const r of rows) {
    if (!r.variant) continue;
    bySteps.set(r.step, [...(bySteps.get(r.step) ?? []), r]);
  }
  const alpha = 1 - confidence;
  const out: AbStepResult[] = [];
  for (const [step, list] of bySteps) {
    const variants: VariantResult[] = list.map((r) => {
      const base = reachedBase(r);
      return {
        variantId: r.variant,
        sent: r.sent,
        delivered: base,
        opened: r.opened,
        clicked: r.clicked,
        converted: r.converted,
        revenue: r.revenue,
        openRate: pct(r.opened, base),
        clickRate: pct(r.clicked, base),
        conversionRate: pct(r.converted, base),
      };
    });
    const success = (v: VariantResult) => v[SUCCESS[metric]];
    const rate = (v: VariantResult) => (v.delivered > 0 ? success(v) / v.delivered : 0);
    const ordered = [...variants].sort(
      (a, b) => rate(b) - rate(a) || a.variantId.localeCompare(b.variantId),
    );
    const leader = ordered[0];
    let beatsAll = ordered.length >= 2 && leader.delivered > 0;
    for (const v of ordered.slice(1)) {
      const test = twoProportionZTest(success(leader), leader.delivered, success(v), v.delivered);
      const significant = !!test && test.pValue < alpha && rate(leader) > rate(v);
      if (test) v.vsLeader = { ...test, significant };
      beatsAll &&= significant;
    }
    out.push({
      stepId: step || null,
      stepPosition: list.find((r) => r.stepPosition !== null)?.stepPosition ?? null,
      metric,
      confidenceLevel: confidence,
      variants: ordered,
      leader: leader.delivered > 0 ? leader.variantId : null,
      winner: beatsAll ? leader.variantId : null,
      significant: beatsAll,
    });
  }
  return out.sort((a, b) => (a.stepPosition ?? 1e9) - (b.stepPosition ?? 1e9));
}
