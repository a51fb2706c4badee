import { isUuid, Scope } from '@app/common';
import {
  AbMetric,
  AbResultsQuery,
  CampaignAnalyticsQuery,
  CampaignStatistics,
  DateRangeQuery,
  PerformanceView,
  StatisticsQuery,
  TimelinePoint,
} from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { Counters, zeroCounters } from '../ingestion/rollup-counters';
import { abResults, VariantRow } from './ab-results';
import {
  campaignStatistics,
  figures,
  NO_EXTERNAL,
  pct,
  rates,
  reachedBase,
  round2,
  metricCounts,
} from './metrics';
import { END_OF_TIME, parsePeriod, parseRange, parseSections, TimeRange } from './period';
import { CounterRow, RollupReader } from './rollup-reader';

const ALL_TIME = (): TimeRange => ({ from: null, to: END_OF_TIME });

function point(r: CounterRow): TimelinePoint {
  return {
    date: new Date(r.at as string).toISOString(),
    sent: r.sent,
    delivered: reachedBase(r),
    opened: r.opened,
    clicked: r.clicked,
    conversions: r.converted,
    revenue: round2(r.revenue),
  };
}

/** Steps in sequence order; events without a position last. */
const byPosition = (a: CounterRow, b: CounterRow) =>
  ((a.stepPosition as number | null) ?? 1e9) - ((b.stepPosition as number | null) ?? 1e9) ||
  String(a.step).localeCompare(String(b.step));

const rangeView = (r: TimeRange) => ({
  from: r.from?.toISOString() ?? null,
  to: r.to.toISOString(),
});

/** The per-campaign reports. The gateway has already checked the campaign is the caller's. */
@Injectable()
export class CampaignReportsService {
  constructor(private readonly reader: RollupReader) {}

  async performance(scope: Scope, campaignId: string): Promise<PerformanceView> {
    const range = ALL_TIME();
    const [totals, ext] = await Promise.all([
      this.reader.totals(scope, campaignId, range),
      this.reader.external(scope, campaignId, range),
    ]);
    return { campaignId, ...figures(totals, ext.get(campaignId) ?? NO_EXTERNAL) };
  }

  /**
   * Several campaigns' all-time figures at once, by id (a campaign without events has zeros).
   * The caller (the gateway, for campaign views) has the ids from the campaigns service, which
   * checked they are the caller's; the query is scoped to the caller's workspace anyway.
   */
  async campaignStatistics(
    scope: Scope,
    campaignIds: string[],
  ): Promise<Record<string, CampaignStatistics>> {
    const ids = [...new Set(campaignIds)].filter(isUuid);
    if (!ids.length) return {};
    const [totals, ext] = await Promise.all([
      this.reader.campaignTotals(scope, ids),
      this.reader.external(scope, ids, ALL_TIME()),
    ]);
    return Object.fromEntries(
      ids.map((id) => [
        id,
        campaignStatistics(totals.get(id) ?? zeroCounters(), ext.get(id) ?? NO_EXTERNAL),
      ]),
    );
  }

  async statistics(scope: Scope, campaignId: string, q: StatisticsQuery) {
    const period = parsePeriod(q.period);
    const sections = parseSections(q.metrics);
    const [totals, ext, timeline, segments] = await Promise.all([
      this.reader.totals(scope, campaignId, period),
      this.reader.external(scope, campaignId, period),
      sections.has('timeline')
        ? this.reader.timeline(scope, campaignId, period, period.bucket)
        : [],
      sections.has('segments') ? this.reader.breakdown(scope, campaignId, period, ['segment']) : [],
    ]);
    const f = figures(totals, ext.get(campaignId) ?? NO_EXTERNAL);
    return {
      campaignId,
      period: period.period,
      range: rangeView(period),
      ...(sections.has('overview') && {
        overview: {
          messagesSent: totals.sent,
          read: totals.opened,
          ...f.metrics,
          revenue: f.revenue.totalRevenue,
        },
      }),
      ...(sections.has('performance') && {
        performance: { ...f.rates, readRate: f.rates.openRate },
      }),
      ...(sections.has('timeline') && {
        timelineBucket: period.bucket,
        timeline: timeline.map(point),
      }),
      ...(sections.has('segments') && {
        segments: segments.map((s) => {
          const r = rates(s);
          return {
            segmentId: (s.segment as string) || null,
            performance: { ...metricCounts(s), ...r, revenue: round2(s.revenue) },
            openRateDelta: round2(r.openRate - f.rates.openRate),
          };
        }),
      }),
    };
  }

  async analytics(scope: Scope, campaignId: string, q: CampaignAnalyticsQuery) {
    const range = parseRange(q.startDate, q.endDate, null);
    const [totals, ext, steps, variants, sources, daily] = await Promise.all([
      this.reader.totals(scope, campaignId, range, q.source),
      this.reader.external(scope, campaignId, range, q.source),
      this.reader.breakdown(scope, campaignId, range, ['step'], q.source),
      this.reader.breakdown(scope, campaignId, range, ['step', 'variant'], q.source),
      this.reader.breakdown(scope, campaignId, range, ['source'], q.source),
      this.reader.timeline(scope, campaignId, range, 'day', q.source),
    ]);
    return {
      campaignId,
      range: rangeView(range),
      source: q.source ?? null,
      overall: figures(totals, ext.get(campaignId) ?? NO_EXTERNAL),
      byStep: steps.sort(byPosition).map((s) => ({
        stepId: (s.step as string) || null,
        stepPosition: (s.stepPosition as number | null) ?? null,
        metrics: metricCounts(s),
        rates: rates(s),
        revenue: round2(s.revenue),
      })),
      byVariant: abResults(variants as unknown as VariantRow[], 'click'),
      bySource: sources.map((s) => ({
        source: (s.source as string) || null,
        metrics: metricCounts(s),
        rates: rates(s),
        revenue: round2(s.revenue),
      })),
      daily: daily.map(point),
    };
  }

  async summary(scope: Scope, campaignId: string, q: DateRangeQuery) {
    const range = parseRange(q.startDate, q.endDate, null);
    const [daily, ext] = await Promise.all([
      this.reader.timeline(scope, campaignId, range, 'day'),
      this.reader.external(scope, campaignId, range),
    ]);
    const totals = daily.reduce<Counters>((acc, d) => {
      for (const k of Object.keys(acc) as (keyof Counters)[]) acc[k] += d[k];
      return acc;
    }, zeroCounters());
    const best = [...daily].sort((a, b) => b.opened - a.opened || b.sent - a.sent)[0];
    const f = figures(totals, ext.get(campaignId) ?? NO_EXTERNAL);
    return {
      campaignId,
      range: rangeView(range),
      ...f,
      activeDays: daily.length,
      firstActivity: daily[0] ? point(daily[0]).date : null,
      lastActivity: daily.length ? point(daily[daily.length - 1]).date : null,
      bestDay: best ? { ...point(best), openRate: pct(best.opened, reachedBase(best)) } : null,
    };
  }

  async abResults(scope: Scope, campaignId: string, q: AbResultsQuery) {
    const range = parseRange(q.startDate, q.endDate, null);
    const metric: AbMetric = q.metric ?? 'click';
    const rows = await this.reader.breakdown(scope, campaignId, range, ['step', 'variant']);
    return { campaignId, metric, steps: abResults(rows as unknown as VariantRow[], metric) };
  }
}
