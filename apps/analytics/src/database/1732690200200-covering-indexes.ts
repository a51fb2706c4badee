import { MigrationInterface, QueryRunner } from 'typeorm';

const OVERVIEW = 'sent, delivered, bounced, opened, clicked, converted, revenue';

/**
 * Cross-campaign reads scan 30 days x every campaign of a workspace. Covering indexes in
 * (tenant, workspace, day) order let them run as index-only scans over a few hundred pages
 * instead of one heap page per row (rollup rows are scattered by their many updates). The
 * price is that counter updates on these two tables are no longer HOT: a few hundred index
 * writes per ingestion batch.
 */
export class AnalyticsCoveringIndexes1732690200200 implements MigrationInterface {
  name = 'AnalyticsCoveringIndexes1732690200200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX campaign_daily_overview ON analytics.campaign_daily
      (tenant_id, workspace_id, day) INCLUDE (campaign_id, ${OVERVIEW})`);
    await q.query(`CREATE INDEX variant_daily_overview ON analytics.variant_daily
      (tenant_id, workspace_id, day) INCLUDE (campaign_id, step_id, variant_id, ${OVERVIEW})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS analytics.variant_daily_overview');
    await q.query('DROP INDEX IF EXISTS analytics.campaign_daily_overview');
  }
}
