import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change counter per workspace, bumped in the same transaction as every write the
 * cross-campaign report reads (ingestion, per topic-partition shard so partitions do not queue
 * on one row; external metrics, shard -1). Its sum is the workspace's data version: a cached
 * report is served only while the version it was computed at is still current.
 */
export class AnalyticsWorkspaceChanges1732690200400 implements MigrationInterface {
  name = 'AnalyticsWorkspaceChanges1732690200400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analytics.workspace_changes (
      tenant_id uuid NOT NULL,
      workspace_id uuid NOT NULL,
      shard int NOT NULL,
      seq bigint NOT NULL DEFAULT 1,
      PRIMARY KEY (tenant_id, workspace_id, shard)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS analytics.workspace_changes');
  }
}
