import { Scope } from '@app/common';
import { CampaignAnalyticsQuery, RecordExternalMetricsDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parseRange } from '../reports/period';
import { externalFilter } from '../reports/rollup-reader';

const FIELDS = ['impressions', 'clicks', 'conversions', 'cost', 'revenue'] as const;

/**
 * Metrics reported from outside (ad platforms, CRM) per campaign, day and source. One row per
 * (campaign, day, source): posting again replaces the row, and the answer says it did.
 */
@Injectable()
export class ExternalMetricsService {
  constructor(private readonly ds: DataSource) {}

  async record(scope: Scope, campaignId: string, dto: RecordExternalMetricsDto) {
    const m = dto.metrics ?? {};
    // The CTE reads the row as it was before this statement, so the answer can show what was
    // replaced; xmax = 0 only for a freshly inserted row.
    // The same statement bumps the workspace's change counter (cached reports are stale).
    const [row] = await this.ds.query(
      `WITH changed AS (
         INSERT INTO analytics.workspace_changes AS w (tenant_id, workspace_id, shard)
         VALUES ($1, $2, -1)
         ON CONFLICT (tenant_id, workspace_id, shard) DO UPDATE SET seq = w.seq + 1),
       prev AS (
         SELECT impressions, clicks, conversions, cost::float8 AS cost, revenue::float8 AS revenue,
                custom_metrics FROM analytics.external_metrics
         WHERE tenant_id = $1 AND workspace_id = $2 AND campaign_id = $3 AND day = $4 AND source = $5)
       INSERT INTO analytics.external_metrics AS e (tenant_id, workspace_id, campaign_id, day, source,
         impressions, clicks, conversions, cost, revenue, custom_metrics)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, workspace_id, campaign_id, day, source) DO UPDATE SET
         impressions = excluded.impressions, clicks = excluded.clicks,
         conversions = excluded.conversions, cost = excluded.cost, revenue = excluded.revenue,
         custom_metrics = excluded.custom_metrics, recorded_at = now()
       RETURNING (e.xmax <> 0) AS replaced, e.recorded_at AS "recordedAt",
         (SELECT row_to_json(prev) FROM prev) AS previous`,
      [
        scope.tenantId,
        scope.workspaceId,
        campaignId,
        dto.date,
        dto.source,
        m.impressions ?? 0,
        m.clicks ?? 0,
        m.conversions ?? 0,
        m.cost ?? 0,
        m.revenue ?? 0,
        JSON.stringify(m.customMetrics ?? {}),
      ],
    );
    const metrics = {
      ...Object.fromEntries(FIELDS.map((f) => [f, m[f] ?? 0])),
      customMetrics: m.customMetrics ?? {},
    };
    const previous = row.previous
      ? { ...row.previous, customMetrics: row.previous.custom_metrics, custom_metrics: undefined }
      : null;
    return {
      campaignId,
      date: dto.date,
      source: dto.source,
      metrics,
      replaced: row.replaced as boolean,
      previous,
      recordedAt: new Date(row.recordedAt).toISOString(),
      message: row.replaced
        ? `Replaced the metrics recorded for ${dto.source} on ${dto.date}`
        : `Recorded metrics for ${dto.source} on ${dto.date}`,
    };
  }

  /**
   * What was recorded, as recorded: one row per day and source (custom metrics included), days
   * in order, optionally only a date range and one source. The totals are in GET .../analytics.
   */
  async list(scope: Scope, campaignId: string, q: CampaignAnalyticsQuery) {
    const range = parseRange(q.startDate, q.endDate, null);
    const { where, params } = externalFilter(scope, campaignId, range, q.source);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS date, source, impressions::float8 AS impressions,
              clicks::float8 AS clicks, conversions::float8 AS conversions, cost::float8 AS cost,
              revenue::float8 AS revenue, custom_metrics, recorded_at
         FROM analytics.external_metrics WHERE ${where} ORDER BY day, source`,
      params,
    );
    return rows.map((r) => ({
      date: r.date as string,
      source: r.source as string,
      metrics: {
        ...Object.fromEntries(FIELDS.map((f) => [f, Number(r[f])])),
        customMetrics: r.custom_metrics,
      },
      recordedAt: new Date(r.recorded_at as string).toISOString(),
    }));
  }
}
