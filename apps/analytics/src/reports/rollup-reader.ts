import { Scope } from '@app/common';
import { ExternalTotals } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { COUNTER_COLUMNS, Counters, sumCounters } from '../ingestion/rollup-counters';
import { TimeRange } from './period';

/*
 * Read queries over the rollups, in one place. Every query filters by tenant and workspace
 * first (they lead every rollup's primary key). Per-campaign reads use rollup_hourly (all
 * dimensions); cross-campaign reads use the compact daily tables so 1,000 campaigns x 30 days
 * stay a few tens of thousands of rows.
 */

export type Dim = 'step' | 'variant' | 'segment' | 'source';
const DIM_COLUMN: Record<Dim, string> = {
  step: 'step_id',
  variant: 'variant_id',
  segment: 'segment_id',
  source: 'source',
};

export type CounterRow = Counters & Record<string, unknown>;

/** What cross-campaign reports read: rates need sent, delivered and bounced for their base. */
const OVERVIEW_COUNTERS = [
  'sent',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'converted',
  'revenue',
];

const DAY = 86400_000;
const dayOf = (d: Date) => new Date(Math.floor(d.getTime() / DAY) * DAY).toISOString().slice(0, 10);
const dayAfter = (d: Date) =>
  new Date(Math.ceil(d.getTime() / DAY) * DAY).toISOString().slice(0, 10);

export function toCounters(row: Record<string, unknown>): Counters {
  return Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, Number(row[c] ?? 0)])) as Counters;
}

@Injectable()
export class RollupReader {
  constructor(private readonly ds: DataSource) {}

  /** Filters on rollup_hourly for one campaign: scope, campaign, optional range and source. */
  private hourly(scope: Scope, campaignId: string, range: TimeRange, source?: string) {
    const params: unknown[] = [scope.tenantId, scope.workspaceId, campaignId, range.to];
    let where = 'tenant_id = $1 AND workspace_id = $2 AND campaign_id = $3 AND bucket < $4';
    if (range.from) where += ` AND bucket >= $${params.push(range.from)}`;
    if (source !== undefined) where += ` AND source = $${params.push(source)}`;
    return { where, params };
  }

  async totals(scope: Scope, campaignId: string, range: TimeRange, source?: string) {
    const { where, params } = this.hourly(scope, campaignId, range, source);
    const [row] = await this.ds.query(
      `SELECT ${sumCounters()} FROM analytics.rollup_hourly WHERE ${where}`,
      params,
    );
    return toCounters(row);
  }

  /** All-time totals of several campaigns in one query (campaign views' statistics). */
  async campaignTotals(scope: Scope, campaignIds: string[]): Promise<Map<string, Counters>> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT campaign_id AS "campaignId", ${sumCounters()} FROM analytics.rollup_hourly
        WHERE tenant_id = $1 AND workspace_id = $2 AND campaign_id = ANY($3::uuid[])
        GROUP BY 1`,
      [scope.tenantId, scope.workspaceId, campaignIds],
    );
    return new Map(rows.map((r) => [r.campaignId as string, toCounters(r)]));
  }

  async breakdown(
    scope: Scope,
    campaignId: string,
    range: TimeRange,
    dims: Dim[],
    source?: string,
  ): Promise<CounterRow[]> {
    const { where, params } = this.hourly(scope, campaignId, range, source);
    const cols = dims.map((d) => `${DIM_COLUMN[d]} AS "${d}"`).join(', ');
    const group = dims.map((_, i) => i + 1).join(', ');
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT ${cols}, max(step_position) AS "stepPosition", ${sumCounters()}
       FROM analytics.rollup_hourly WHERE ${where} GROUP BY ${group} ORDER BY ${group}`,
      params,
    );
    return rows.map((r) => ({ ...r, ...toCounters(r) }));
  }

  async timeline(
    scope: Scope,
    campaignId: string,
    range: TimeRange,
    bucket: 'hour' | 'day',
    source?: string,
  ): Promise<CounterRow[]> {
    const { where, params } = this.hourly(scope, campaignId, range, source);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT date_trunc('${bucket}', bucket, 'UTC') AS "at", ${sumCounters()}
       FROM analytics.rollup_hourly WHERE ${where} GROUP BY 1 ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({ ...r, ...toCounters(r) }));
  }

  async external(
    scope: Scope,
    campaignId: string | string[] | null,
    range: TimeRange,
    source?: string,
  ) {
    const { where, params } = externalFilter(scope, campaignId, range, source);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT campaign_id AS "campaignId", sum(impressions)::float8 AS impressions,
         sum(clicks)::float8 AS clicks, sum(conversions)::float8 AS conversions,
         sum(cost)::float8 AS cost, sum(revenue)::float8 AS revenue
       FROM analytics.external_metrics WHERE ${where} GROUP BY 1`,
      params,
    );
    return new Map(rows.map((r) => [r.campaignId as string, toExternal(r)]));
  }

  /**
   * One row per campaign with activity in the range (daily granularity). Only the counters the
   * overview shows are summed, and names are joined after grouping (1,000 rows, not 30,000).
   */
  async campaignRows(scope: Scope, range: TimeRange & { from: Date }): Promise<CounterRow[]> {
    const cols = sumCounters(OVERVIEW_COUNTERS);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `WITH agg AS (
         SELECT campaign_id, ${cols} FROM analytics.campaign_daily
         WHERE tenant_id = $1 AND workspace_id = $2 AND day >= $3 AND day < $4
         GROUP BY campaign_id)
       SELECT agg.*, agg.campaign_id AS "campaignId", c.name, c.status
       FROM agg LEFT JOIN analytics.campaigns c ON c.id = agg.campaign_id AND c.tenant_id = $1`,
      [scope.tenantId, scope.workspaceId, dayOf(range.from), dayAfter(range.to)],
    );
    return rows.map((r) => ({ ...r, ...toCounters(r) }));
  }

  /** Workspace activity by hour bucket and segment, for time-of-week and segment insights. */
  async workspaceHours(scope: Scope, range: TimeRange & { from: Date }): Promise<CounterRow[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT extract(isodow FROM bucket AT TIME ZONE 'UTC')::int AS weekday,
         extract(hour FROM bucket AT TIME ZONE 'UTC')::int AS hour, segment_id AS "segmentId",
         ${sumCounters(OVERVIEW_COUNTERS)}
       FROM analytics.workspace_hourly
       WHERE tenant_id = $1 AND workspace_id = $2 AND bucket >= $3 AND bucket < $4
       GROUP BY 1, 2, 3`,
      [scope.tenantId, scope.workspaceId, range.from, range.to],
    );
    return rows.map((r) => ({ ...r, ...toCounters(r) }));
  }

  async variants(scope: Scope, range: TimeRange & { from: Date }): Promise<CounterRow[]> {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT campaign_id AS "campaignId", step_id AS "step", variant_id AS "variant",
         ${sumCounters(OVERVIEW_COUNTERS)}
       FROM analytics.variant_daily
       WHERE tenant_id = $1 AND workspace_id = $2 AND day >= $3 AND day < $4
       GROUP BY 1, 2, 3`,
      [scope.tenantId, scope.workspaceId, dayOf(range.from), dayAfter(range.to)],
    );
    return rows.map((r) => ({ ...r, ...toCounters(r) }));
  }
}

/**
 * Filters on analytics.external_metrics: scope, one campaign or several (or all), the whole UTC
 * days the range touches, optionally one source. Its reader and ExternalMetricsService's
 * listing use the same.
 */
export function externalFilter(
  scope: Scope,
  campaignId: string | string[] | null,
  range: TimeRange,
  source?: string,
): { where: string; params: unknown[] } {
  const params: unknown[] = [scope.tenantId, scope.workspaceId, dayAfter(range.to)];
  let where = 'tenant_id = $1 AND workspace_id = $2 AND day < $3';
  if (Array.isArray(campaignId))
    where += ` AND campaign_id = ANY($${params.push(campaignId)}::uuid[])`;
  else if (campaignId) where += ` AND campaign_id = $${params.push(campaignId)}`;
  if (range.from) where += ` AND day >= $${params.push(dayOf(range.from))}`;
  if (source !== undefined) where += ` AND source = $${params.push(source)}`;
  return { where, params };
}

export function toExternal(r: Record<string, unknown> | undefined): ExternalTotals {
  return {
    impressions: Number(r?.impressions ?? 0),
    clicks: Number(r?.clicks ?? 0),
    conversions: Number(r?.conversions ?? 0),
    cost: Number(r?.cost ?? 0),
    revenue: Number(r?.revenue ?? 0),
  };
}
