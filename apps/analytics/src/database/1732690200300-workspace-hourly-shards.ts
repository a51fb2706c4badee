import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * workspace_hourly rows are shared by every campaign of a workspace, so the partitions being
 * ingested in parallel all updated the same few rows and queued behind each other's row locks.
 * A shard column (the Kafka topic and partition that wrote the row) gives each partition its
 * own rows; readers sum over shards.
 */
export class AnalyticsWorkspaceHourlyShards1732690200300 implements MigrationInterface {
  name = 'AnalyticsWorkspaceHourlyShards1732690200300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE analytics.workspace_hourly ADD COLUMN shard int NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE analytics.workspace_hourly DROP CONSTRAINT workspace_hourly_pkey');
    await q.query(`ALTER TABLE analytics.workspace_hourly ADD PRIMARY KEY
      (tenant_id, workspace_id, bucket, segment_id, shard)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE analytics.workspace_hourly DROP CONSTRAINT workspace_hourly_pkey');
    await q.query(`DELETE FROM analytics.workspace_hourly WHERE shard <> 0`);
    await q.query('ALTER TABLE analytics.workspace_hourly DROP COLUMN shard');
    await q.query(`ALTER TABLE analytics.workspace_hourly ADD PRIMARY KEY
      (tenant_id, workspace_id, bucket, segment_id)`);
  }
}
