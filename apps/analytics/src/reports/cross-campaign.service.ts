import { Scope } from '@app/common';
import { DateRangeQuery } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { zeroCounters } from '../ingestion/rollup-counters';
import { CampaignVariantRow, computeInsights, HourRow } from './insights';
import { NO_EXTERNAL, pct, reachedBase, revenueFigures, round2 } from './metrics';
import { parseRange } from './period';
import { RollupReader } from './rollup-reader';

const mean = (xs: number[]) => (xs.length ? round2(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);

/** `GET /api/v1/analytics/campaigns`: totals, one row per campaign, and insights. */
@Injectable()
export class CrossCampaignService {
  constructor(private readonly reader: RollupReader) {}

  async overview(scope: Scope, q: DateRangeQuery) {
    const { from, to } = parseRange(q.startDate, q.endDate, 30);
    const range = { from: from!, to };
    const [rows, ext, hours, variants] = await Promise.all([
      this.reader.campaignRows(scope, range),
      this.reader.external(scope, null, range),
      this.reader.workspaceHours(scope, range),
      this.reader.variants(scope, range),
    ]);
    const ids = new Set([...rows.map((r) => r.campaignId as string), ...ext.keys()]);
    const byId = new Map(rows.map((r) => [r.campaignId as string, r]));
    const campaigns = [...ids].map((id) => {
      const r = byId.get(id);
      const base = r ? reachedBase(r) : 0;
      const e = ext.get(id) ?? NO_EXTERNAL;
      const revenue = revenueFigures(r ?? zeroCounters(), e);
      return {
        campaignId: id,
        name: (r?.name as string | null) ?? null,
        status: (r?.status as string | null) ?? null,
        metrics: {
          sent: r?.sent ?? 0,
          delivered: base,
          opened: r?.opened ?? 0,
          clicked: r?.clicked ?? 0,
          converted: r?.converted ?? 0,
          revenue: revenue.totalRevenue,
          cost: revenue.cost,
        },
        rates: { openRate: pct(r?.opened ?? 0, base), clickRate: pct(r?.clicked ?? 0, base) },
        roi: revenue.roi,
      };
    });
    campaigns.sort(
      (a, b) => b.metrics.sent - a.metrics.sent || a.campaignId.localeCompare(b.campaignId),
    );
    const withSends = campaigns.filter((c) => c.metrics.delivered > 0);
    const totalRevenue = round2(campaigns.reduce((a, c) => a + c.metrics.revenue, 0));
    const totalCost = round2(campaigns.reduce((a, c) => a + c.metrics.cost, 0));
    const names = new Map(campaigns.map((c) => [c.campaignId, c.name]));
    return {
      range: { from: range.from.toISOString(), to: range.to.toISOString() },
      summary: {
        totalCampaigns: campaigns.length,
        totalRecipients: campaigns.reduce((a, c) => a + c.metrics.sent, 0),
        averageOpenRate: mean(withSends.map((c) => c.rates.openRate)),
        averageClickRate: mean(withSends.map((c) => c.rates.clickRate)),
        totalRevenue,
        totalCost,
        overallRoi: totalCost > 0 ? round2(((totalRevenue - totalCost) / totalCost) * 100) : null,
      },
      campaigns,
      insights: computeInsights(
        hours as HourRow[],
        variants as unknown as CampaignVariantRow[],
        names,
      ),
    };
  }
}
