import { Scope } from '@app/common';
import { DateRangeQuery } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { zeroCounters } from '../ingestion/rollup-counters';
import { CampaignVariantRow, computeInsights, HourRow } from './insights';
import { NO_EXTERNAL, pct, reachedBase, revenueFigures, round2 } from './metrics';
import { parseRange } from './period';
import { RollupReader } from './rollup-reader';

const mean = (xs: number[]) => (xs.length ? round2(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Reports kept per process; each is a few hundred KB for 1,000 campaigns. */
const CACHE_ENTRIES = 64;

type Overview = Awaited<ReturnType<CrossCampaignService['compute']>>;

/**
 * `GET /api/v1/analytics/campaigns`: totals, one row per campaign, and insights.
 *
 * Reports are cached per workspace and range, and served only while the workspace's change
 * counter (analytics.workspace_changes, bumped in the transaction of every ingested batch and
 * external-metrics write for that workspace) still has the value read before computing them, so
 * a cached answer is never older than the data: exact across replicas and restarts. Ranges are
 * keyed by what the queries actually see (day and hour buckets), so `to = now` still hits.
 */
@Injectable()
export class CrossCampaignService {
  private readonly cache = new Map<string, { version: string; report: Overview }>();

  constructor(
    private readonly reader: RollupReader,
    private readonly ds: DataSource,
  ) {}

  async overview(scope: Scope, q: DateRangeQuery) {
    const { from, to } = parseRange(q.startDate, q.endDate, 30);
    const range = { from: from!, to };
    const key = [
      scope.tenantId,
      scope.workspaceId,
      Math.floor(range.from.getTime() / DAY),
      Math.ceil(range.to.getTime() / DAY),
      Math.ceil(range.from.getTime() / HOUR),
      Math.ceil(range.to.getTime() / HOUR),
    ].join(':');
    const [{ version }] = await this.ds.query(
      `SELECT coalesce(sum(seq), 0)::text AS version FROM analytics.workspace_changes
       WHERE tenant_id = $1 AND workspace_id = $2`,
      [scope.tenantId, scope.workspaceId],
    );
    const hit = this.cache.get(key);
    let report: Overview;
    if (hit && hit.version === version) report = hit.report;
    else {
      report = await this.compute(scope, range);
      this.cache.delete(key);
      this.cache.set(key, { version, report });
      if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    }
    return { range: { from: range.from.toISOString(), to: range.to.toISOString() }, ...report };
  }

  private async compute(scope: Scope, range: { from: Date; to: Date }) {
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
