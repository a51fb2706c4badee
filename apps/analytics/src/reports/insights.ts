import { Insight } from '@app/contracts';
import { Counters } from '../ingestion/rollup-counters';
import { abResults, VariantRow } from './ab-results';
import { pct, reachedBase, round2 } from './metrics';
import { twoProportionZTest } from './z-test';

export type HourRow = Counters & { weekday: number; hour: number; segmentId: string };
export type CampaignVariantRow = VariantRow & { campaignId: string };

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** Below this many messages reached, a group's rate is noise and takes no part. */
export const MIN_BASE = 30;
const ALPHA = 0.05;
/** The strongest few of a kind; a list of 1,000 winners is a report, not an insight. */
const MAX_PER_TYPE = 5;

interface Tally {
  reached: number;
  opened: number;
}

function tally<K>(rows: HourRow[], keyOf: (r: HourRow) => K): Map<K, Tally> {
  const out = new Map<K, Tally>();
  for (const r of rows) {
    const t = out.get(keyOf(r)) ?? { reached: 0, opened: 0 };
    t.reached += reachedBase(r);
    t.opened += r.opened;
    out.set(keyOf(r), t);
  }
  return out;
}

/** Best slot by open rate (unique opens over messages reached in that slot), with its lift. */
function bestSlot<K>(
  groups: Map<K, Tally>,
  label: (k: K) => string,
  type: Insight['type'],
  what: string,
): Insight | null {
  const eligible = [...groups].filter(([, t]) => t.reached >= MIN_BASE);
  if (eligible.length < 2) return null;
  const total = eligible.reduce(
    (a, [, t]) => ({ reached: a.reached + t.reached, opened: a.opened + t.opened }),
    { reached: 0, opened: 0 },
  );
  const average = pct(total.opened, total.reached);
  const [key, best] = eligible.sort(
    (a, b) => b[1].opened / b[1].reached - a[1].opened / a[1].reached,
  )[0];
  const rate = pct(best.opened, best.reached);
  if (rate <= average) return null;
  const lift = round2(((rate - average) / (average || 1)) * 100);
  return {
    type,
    message: `${what} ${label(key)} show a ${rate}% open rate, ${lift}% above the ${average}% average`,
    recommendation: `Consider scheduling sends for ${label(key)}`,
    data: {
      [type === 'best_weekday' ? 'weekday' : 'hourUtc']: label(key),
      openRate: rate,
      averageOpenRate: average,
      liftPercent: lift,
      slots: eligible.map(([k, t]) => ({
        slot: label(k),
        reached: t.reached,
        opened: t.opened,
        openRate: pct(t.opened, t.reached),
      })),
    },
  };
}

function segmentInsights(rows: HourRow[]): Insight[] {
  const groups = tally(rows, (r) => r.segmentId);
  const all = [...groups.values()].reduce(
    (a, t) => ({ reached: a.reached + t.reached, opened: a.opened + t.opened }),
    { reached: 0, opened: 0 },
  );
  const out: Insight[] = [];
  for (const [segmentId, t] of groups) {
    if (!segmentId || t.reached < MIN_BASE) continue;
    const rest = { reached: all.reached - t.reached, opened: all.opened - t.opened };
    const test = twoProportionZTest(t.opened, t.reached, rest.opened, rest.reached);
    if (!test || test.pValue >= ALPHA) continue;
    const rate = pct(t.opened, t.reached);
    const restRate = pct(rest.opened, rest.reached);
    const over = rate > restRate;
    out.push({
      type: over ? 'segment_outperforming' : 'segment_underperforming',
      message: `Segment ${segmentId} opens at ${rate}% vs ${restRate}% for everyone else`,
      recommendation: over
        ? 'Prioritise this segment and look at what it has in common'
        : 'Review targeting or content for this segment, or reduce its send frequency',
      data: {
        segmentId,
        reached: t.reached,
        opened: t.opened,
        openRate: rate,
        othersOpenRate: restRate,
        ...test,
      },
    });
  }
  return out;
}

function variantInsights(rows: CampaignVariantRow[], names: Map<string, string | null>): Insight[] {
  const byCampaign = new Map<string, CampaignVariantRow[]>();
  for (const r of rows) byCampaign.set(r.campaignId, [...(byCampaign.get(r.campaignId) ?? []), r]);
  const out: Insight[] = [];
  for (const [campaignId, list] of byCampaign) {
    for (const step of abResults(list, 'click')) {
      if (!step.winner) continue;
      const [win, runnerUp] = step.variants;
      out.push({
        type: 'best_variant',
        message: `Variant ${win.variantId} of ${names.get(campaignId) ?? campaignId} wins on clicks: ${win.clickRate}% vs ${runnerUp.clickRate}%`,
        recommendation: `Send variant ${win.variantId} to the rest of the audience`,
        data: { campaignId, stepId: step.stepId, winner: win.variantId, variants: step.variants },
      });
    }
  }
  const pOf = (i: Insight) =>
    (i.data.variants as { vsLeader?: { pValue: number } }[])[1]?.vsLeader?.pValue ?? 1;
  return out.sort((a, b) => pOf(a) - pOf(b));
}

/** Insights computed from the rollups, each carrying the figures it is based on. */
export function computeInsights(
  hours: HourRow[],
  variants: CampaignVariantRow[],
  names: Map<string, string | null>,
): Insight[] {
  const weekday = bestSlot(
    tally(hours, (r) => r.weekday),
    (d) => `${WEEKDAYS[d - 1]}s`,
    'best_weekday',
    'Messages on',
  );
  const hour = bestSlot(
    tally(hours, (r) => r.hour),
    (h) => `${String(h).padStart(2, '0')}:00 UTC`,
    'best_hour',
    'Messages at',
  );
  return [
    ...(weekday ? [weekday] : []),
    ...(hour ? [hour] : []),
    ...variantInsights(variants, names).slice(0, MAX_PER_TYPE),
    ...segmentInsights(hours).slice(0, MAX_PER_TYPE * 2),
  ];
}
