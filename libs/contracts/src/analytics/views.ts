/** Response shapes of the analytics read API (camelCase, inside the `{success, data}` envelope). */
export interface MetricCounts {
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  bounced: number;
  uncertain: number;
  /** Unique per delivery; `opens`/`clicks`/`replies` count every event. */
  opened: number;
  opens: number;
  clicked: number;
  clicks: number;
  replied: number;
  replies: number;
  unsubscribed: number;
  complained: number;
  converted: number;
}

/**
 * A campaign's all-time figures as campaign views carry them (`statistics`), from the analytics
 * rollups: counts as in MetricCounts (`delivered` is the reached base), rates as in RateSet.
 */
export interface CampaignStatistics {
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  converted: number;
  bounced: number;
  failed: number;
  unsubscribed: number;
  openRate: number;
  clickRate: number;
  replyRate: number;
  conversionRate: number;
  /** Attributed conversions' revenue plus revenue reported with external metrics. */
  revenue: number;
  /** Cost reported with external metrics. */
  cost: number;
}

/** Percentages rounded to 2 decimals; 0 when the base is 0. */
export interface RateSet {
  deliveryRate: number;
  openRate: number;
  clickRate: number;
  clickToOpenRate: number;
  replyRate: number;
  conversionRate: number;
  bounceRate: number;
  unsubscribeRate: number;
}

export interface ExternalTotals {
  impressions: number;
  clicks: number;
  conversions: number;
  cost: number;
  revenue: number;
}

export interface RevenueFigures {
  /** From conversions attributed to the campaign (engagement.converted). */
  attributedRevenue: number;
  /** Reported with external metrics. */
  externalRevenue: number;
  totalRevenue: number;
  cost: number;
  conversions: number;
  /** cost / conversions; null without conversions. */
  costPerAcquisition: number | null;
  /** (totalRevenue - cost) / cost x 100; null without cost. */
  roi: number | null;
}

export interface FiguresView {
  metrics: MetricCounts;
  rates: RateSet;
  revenue: RevenueFigures;
  external: ExternalTotals;
}

export interface PerformanceView extends FiguresView {
  campaignId: string;
}

export interface TimelinePoint {
  date: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  conversions: number;
  revenue: number;
}

export interface SegmentPerformance {
  segmentId: string | null;
  performance: MetricCounts & RateSet & { revenue: number };
  /** Open rate minus the campaign's, in percentage points. */
  openRateDelta: number;
}

export interface ZTestResult {
  z: number;
  pValue: number;
}

export interface VariantResult {
  variantId: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  converted: number;
  revenue: number;
  openRate: number;
  clickRate: number;
  conversionRate: number;
  /** Against the leading variant on the test's metric (absent for the leader itself). */
  vsLeader?: ZTestResult & { significant: boolean };
}

export interface AbStepResult {
  stepId: string | null;
  stepPosition: number | null;
  metric: 'open' | 'click' | 'conversion';
  confidenceLevel: number;
  variants: VariantResult[];
  leader: string | null;
  /** Set when the leader beats every other variant at the confidence level. */
  winner: string | null;
  significant: boolean;
}

export interface StepResult {
  stepId: string | null;
  stepPosition: number | null;
  metrics: MetricCounts;
  rates: RateSet;
  revenue: number;
}

export interface Insight {
  type:
    | 'best_weekday'
    | 'best_hour'
    | 'best_variant'
    | 'segment_outperforming'
    | 'segment_underperforming';
  message: string;
  recommendation: string;
  data: Record<string, unknown>;
}
