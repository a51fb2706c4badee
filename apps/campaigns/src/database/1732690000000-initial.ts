import { outboxTableSql } from '@app/database';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1732690000000 implements MigrationInterface {
  name = 'Initial1732690000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE campaigns.tenants (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         slug text NOT NULL UNIQUE,
         name text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE campaigns.workspaces (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL REFERENCES campaigns.tenants(id),
         slug text NOT NULL,
         name text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (tenant_id, slug)
       )`,
      `CREATE TABLE campaigns.api_keys (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL REFERENCES campaigns.tenants(id),
         workspace_id uuid REFERENCES campaigns.workspaces(id),
         name text NOT NULL,
         scope text NOT NULL CHECK (scope IN ('workspace', 'admin')),
         prefix text NOT NULL UNIQUE,
         key_hash text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         last_used_at timestamptz,
         revoked_at timestamptz,
         CHECK ((scope = 'admin') = (workspace_id IS NULL))
       )`,
      `CREATE TABLE campaigns.campaigns (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         name text NOT NULL,
         description text,
         type text NOT NULL,
         goal text,
         channel text NOT NULL DEFAULT 'email',
         status text NOT NULL DEFAULT 'draft',
         target_audience jsonb NOT NULL DEFAULT '{}',
         from_email text,
         from_name text,
         reply_to text,
         content jsonb NOT NULL DEFAULT '{}',
         schedule jsonb NOT NULL DEFAULT '{}',
         budget numeric(14,2),
         currency text NOT NULL DEFAULT 'USD',
         goals jsonb NOT NULL DEFAULT '{}',
         kpis jsonb NOT NULL DEFAULT '[]',
         channels jsonb NOT NULL DEFAULT '[]',
         strategy jsonb NOT NULL DEFAULT '{}',
         settings jsonb NOT NULL DEFAULT '{}',
         integration_settings jsonb NOT NULL DEFAULT '{}',
         launch jsonb,
         status_reason text,
         statistics jsonb NOT NULL DEFAULT '{}',
         created_by text,
         cloned_from uuid,
         scheduled_at timestamptz,
         launched_at timestamptz,
         paused_at timestamptz,
         completed_at timestamptz,
         cancelled_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      // The list endpoint filters by workspace and tenant and sorts by creation time; with
      // both in the index its count(*) is an index-only scan.
      `CREATE INDEX campaigns_ws_created ON campaigns.campaigns (workspace_id, tenant_id, created_at DESC, id DESC)`,
      `CREATE INDEX campaigns_ws_status ON campaigns.campaigns (workspace_id, status)`,
      `CREATE INDEX campaigns_due ON campaigns.campaigns (scheduled_at) WHERE status = 'scheduled'`,
      `CREATE TABLE campaigns.steps (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         campaign_id uuid NOT NULL REFERENCES campaigns.campaigns(id) ON DELETE CASCADE,
         position int NOT NULL,
         type text NOT NULL,
         name text,
         subject text,
         body_html text,
         body_text text,
         template_id text,
         delay jsonb,
         condition jsonb,
         webhook jsonb,
         variants jsonb NOT NULL DEFAULT '[]',
         metadata jsonb NOT NULL DEFAULT '{}',
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX steps_campaign ON campaigns.steps (campaign_id, position)`,
      `CREATE TABLE campaigns.tasks (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         campaign_id uuid NOT NULL REFERENCES campaigns.campaigns(id) ON DELETE CASCADE,
         title text NOT NULL,
         description text,
         assignee text,
         due_date timestamptz,
         status text NOT NULL DEFAULT 'pending',
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX tasks_campaign ON campaigns.tasks (campaign_id, created_at)`,
      `CREATE TABLE campaigns.content_items (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         campaign_id uuid NOT NULL REFERENCES campaigns.campaigns(id) ON DELETE CASCADE,
         title text NOT NULL,
         content_type text,
         platform text,
         scheduled_date timestamptz,
         status text NOT NULL DEFAULT 'draft',
         body text,
         assignee text,
         media_key text,
         media_name text,
         media_type text,
         media_size int,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX content_campaign ON campaigns.content_items (campaign_id, scheduled_date NULLS LAST, created_at)`,
      ...outboxTableSql('campaigns'),
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'outbox',
      'content_items',
      'tasks',
      'steps',
      'campaigns',
      'api_keys',
      'workspaces',
      'tenants',
    ]) {
      await q.query(`DROP TABLE IF EXISTS campaigns.${table}`);
    }
  }
}
