import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counters as this migration created them (later migrations add columns: a migration's
 * result must not change when the code's list of counters does).
 */
const COUNTER_COLUMNS = [
  'queued',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'uncertain',
  'opened',
  'opens',
  'clicked',
  'clicks',
  'replied',
  'unsubscribed',
  'complained',
  'converted',
  'revenue',
];
const counters = COUNTER_COLUMNS.map((c) =>
  c === 'revenue' ? 'revenue numeric(18,4) NOT NULL DEFAULT 0' : `${c} bigint NOT NULL DEFAULT 0`,
).join(',\n  ');

/**
 * Raw events (idempotency by event_id, retention-purged by received_at), the offsets consumed
 * per partition (moved in the same transaction as the rollups), four rollups sized for their
 * readers, and the projections and inputs the read side needs. Dimension columns use '' rather
 * than NULL so they can be part of a primary key that ON CONFLICT targets.
 */
export class AnalyticsRollups1732690200100 implements MigrationInterface {
  name = 'AnalyticsRollups1732690200100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE analytics.events (
      event_id uuid PRIMARY KEY,
      received_at timestamptz NOT NULL DEFAULT now(),
      occurred_at timestamptz NOT NULL,
      type text NOT NULL,
      tenant_id uuid NOT NULL,
      workspace_id uuid NOT NULL,
      campaign_id uuid,
      lead_id uuid,
      test_mode boolean NOT NULL DEFAULT false,
      delivery_id text,
      step_id text,
      step_position int,
      variant_id text,
      segment_id text,
      source text,
      channel text,
      value numeric(18,4),
      currency text
    )`);
    // BRIN: received_at grows with insertion order, so the purge index costs almost nothing.
    await q.query('CREATE INDEX events_received_brin ON analytics.events USING brin (received_at)');
    // Only the touches conversions are attributed to pay for this index.
    await q.query(`CREATE INDEX events_touches ON analytics.events
      (workspace_id, lead_id, occurred_at DESC)
      WHERE lead_id IS NOT NULL AND NOT test_mode
        AND type IN ('engagement.opened', 'engagement.clicked')`);
    await q.query(`CREATE TABLE analytics.engagement_firsts (
      delivery_id text NOT NULL,
      kind text NOT NULL,
      PRIMARY KEY (delivery_id, kind)
    )`);
    await q.query(`CREATE TABLE analytics.consumer_offsets (
      group_id text NOT NULL,
      topic text NOT NULL,
      partition int NOT NULL,
      next_offset bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (group_id, topic, partition)
    )`);
    const scope = 'tenant_id uuid NOT NULL, workspace_id uuid NOT NULL';
    await q.query(`CREATE TABLE analytics.rollup_hourly (
      ${scope}, campaign_id uuid NOT NULL, bucket timestamptz NOT NULL,
      step_id text NOT NULL, variant_id text NOT NULL, segment_id text NOT NULL, source text NOT NULL,
      step_position int,
      ${counters},
      PRIMARY KEY (tenant_id, workspace_id, campaign_id, bucket, step_id, variant_id, segment_id, source)
    )`);
    await q.query(`CREATE TABLE analytics.campaign_daily (
      ${scope}, day date NOT NULL, campaign_id uuid NOT NULL,
      ${counters},
      PRIMARY KEY (tenant_id, workspace_id, day, campaign_id)
    )`);
    await q.query(`CREATE TABLE analytics.variant_daily (
      ${scope}, day date NOT NULL, campaign_id uuid NOT NULL, step_id text NOT NULL,
      variant_id text NOT NULL,
      ${counters},
      PRIMARY KEY (tenant_id, workspace_id, day, campaign_id, step_id, variant_id)
    )`);
    await q.query(`CREATE TABLE analytics.workspace_hourly (
      ${scope}, bucket timestamptz NOT NULL, segment_id text NOT NULL,
      ${counters},
      PRIMARY KEY (tenant_id, workspace_id, bucket, segment_id)
    )`);
    await q.query(`CREATE TABLE analytics.campaigns (
      id uuid PRIMARY KEY,
      ${scope},
      name text NOT NULL,
      type text,
      status text,
      deleted boolean NOT NULL DEFAULT false,
      last_event_at timestamptz NOT NULL
    )`);
    await q.query(`CREATE TABLE analytics.leads (
      id uuid PRIMARY KEY,
      ${scope},
      email text,
      last_event_at timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX leads_email ON analytics.leads (workspace_id, email)');
    await q.query(`CREATE TABLE analytics.external_metrics (
      ${scope}, campaign_id uuid NOT NULL, day date NOT NULL, source text NOT NULL,
      impressions bigint NOT NULL DEFAULT 0,
      clicks bigint NOT NULL DEFAULT 0,
      conversions bigint NOT NULL DEFAULT 0,
      cost numeric(18,4) NOT NULL DEFAULT 0,
      revenue numeric(18,4) NOT NULL DEFAULT 0,
      custom_metrics jsonb NOT NULL DEFAULT '{}',
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, workspace_id, campaign_id, day, source)
    )`);
    await q.query(`CREATE TABLE analytics.conversions (
      id uuid PRIMARY KEY,
      ${scope},
      external_id text,
      lead_id uuid,
      email text,
      campaign_id uuid,
      value numeric(18,4) NOT NULL,
      currency text NOT NULL,
      occurred_at timestamptz NOT NULL,
      attribution jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, workspace_id, external_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'conversions',
      'external_metrics',
      'leads',
      'campaigns',
      'workspace_hourly',
      'variant_daily',
      'campaign_daily',
      'rollup_hourly',
      'consumer_offsets',
      'engagement_firsts',
      'events',
    ])
      await q.query(`DROP TABLE IF EXISTS analytics.${t}`);
  }
}
