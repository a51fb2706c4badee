import {
  CampaignStatistics,
  ExternalTotals,
  FiguresView,
  MetricCounts,
  RateSet,
  RevenueFigures,
} from '@app/contracts';
import { Counters } from '../ingestion/rollup-counters';

export const round2 = (n: number) => Math.round(n * 100) / 100;
/** Percentage with 2 decimals; 0 when nothing to divide by. */
export const pct = (part: number, whole: number) => (whole > 0 ? round2((part / whole) * 100) : 0);

/** Counts as reported: `delivered` is the reached base (see reachedBase). */
export function metricCounts(c: Counters): MetricCounts {
  const { revenue: _revenue, ...counts } = c;
  return { ...counts, delivered: reachedBase(c) };
}

/**
 * The base engagement rates are computed on: delivered when the channel confirms delivery,
 * else messages accepted (sent) minus bounces. SMTP acceptance is `message.sent`; a channel
 * that learns about delivery later emits `message.delivered`.
 */
export function reachedBase(c: Pick<Counters, 'sent' | 'delivered' | 'bounced'>): number {
  return c.delivered > 0 ? c.delivered : Math.max(0, c.sent - c.bounced);
}

export function rates(c: Counters): RateSet {
  const base = reachedBase(c);
  return {
    deliveryRate: pct(base, c.sent),
    openRate: pct(c.opened, base),
    clickRate: pct(c.clicked, base),
    clickToOpenRate: pct(c.clicked, c.opened),
    replyRate: pct(c.replied, base),
    conversionRate: pct(c.converted, base),
    bounceRate: pct(c.bounced, c.sent),
    unsubscribeRate: pct(c.unsubscribed, base),
  };
}

/** The figures a campaign view carries (CampaignStatistics). */
export function campaignStatistics(
  c: Counters,
  ext: ExternalTotals = NO_EXTERNAL,
): CampaignStatistics {
  const r = rates(c);
  const money = revenueFigures(c, ext);
  return {
    sent: c.sent,
    delivered: reachedBase(c),
    opened: c.opened,
    clicked: c.clicked,
    replied: c.replied,
    converted: c.converted,
    bounced: c.bounced,
    failed: c.failed,
    unsubscribed: c.unsubscribed,
    openRate: r.openRate,
    clickRate: r.clickRate,
    replyRate: r.replyRate,
    conversionRate: r.conversionRate,
    revenue: money.totalRevenue,
    cost: money.cost,
  };
}

/**
 * Revenue = attributed conversions + revenue reported with external metrics; cost only comes
 * from external metrics. CPA divides cost by all conversions (attributed + external).
 */
export function revenueFigures(c: Counters, ext: ExternalTotals): RevenueFigures {
  const totalRevenue = round2(c.revenue + ext.revenue);
  const conversions = c.converted + ext.conversions;
  return {
    attributedRevenue: round2(c.revenue),
    externalRevenue: round2(ext.revenue),
    totalRevenue,
    cost: round2(ext.cost),
    conversions,
    costPerAcquisition: conversions > 0 && ext.cost > 0 ? round2(ext.cost / conversions) : null,
    roi: ext.cost > 0 ? round2(((totalRevenue - ext.cost) / ext.cost) * 100) : null,
  };
}

export function figures(c: Counters, ext: ExternalTotals): FiguresView {
  return {
    metrics: metricCounts(c),
    rates: rates(c),
    revenue: revenueFigures(c, ext),
    external: ext,
  };
}

export const NO_EXTERNAL: ExternalTotals = {
  impressions: 0,
  clicks: 0,
  conversions: 0,
  cost: 0,
  revenue: 0,
};
