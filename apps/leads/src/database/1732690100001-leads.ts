import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leads, pipeline history, segments, suppression and import jobs. Contact, qualification and
 * tracking are columns (filtered, sorted and segmented on); customFields is jsonb with a GIN
 * index for containment rules. Every table carries tenant_id and workspace_id.
 */
export class Leads1732690100001 implements MigrationInterface {
  name = 'Leads1732690100001';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE leads.leads (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         email text NOT NULL,
         email_normalized text NOT NULL,
         email_hash text NOT NULL,
         first_name text, last_name text, company text, phone text, title text,
         company_size int, industry text, country text,
         source text NOT NULL DEFAULT 'api',
         campaign_id uuid,
         lead_score int, engagement_score int, interest_level text, budget_range text, timeline text,
         utm_source text, utm_medium text, utm_campaign text,
         status text NOT NULL DEFAULT 'new',
         sales_stage text, sales_rep text, notes text, follow_up_at timestamptz,
         timezone text,
         consent_email boolean NOT NULL DEFAULT true,
         consent_source text,
         consent_at timestamptz,
         custom_fields jsonb NOT NULL DEFAULT '{}',
         import_job_id uuid,
         import_line int,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      // One lead per normalised email per workspace: capture merges, import applies its policy.
      `CREATE UNIQUE INDEX leads_ws_email ON leads.leads (workspace_id, email_normalized)`,
      // Keyset paging for export and audience resolution walks (workspace_id, id).
      `CREATE INDEX leads_ws_id ON leads.leads (workspace_id, id)`,
      `CREATE INDEX leads_ws_created ON leads.leads (workspace_id, created_at DESC, id)`,
      `CREATE INDEX leads_ws_status ON leads.leads (workspace_id, status)`,
      `CREATE INDEX leads_ws_campaign ON leads.leads (workspace_id, campaign_id) WHERE campaign_id IS NOT NULL`,
      `CREATE INDEX leads_custom_fields ON leads.leads USING gin (custom_fields jsonb_path_ops)`,
      `CREATE TABLE leads.status_history (
         id bigserial PRIMARY KEY,
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         lead_id uuid NOT NULL REFERENCES leads.leads(id) ON DELETE CASCADE,
         from_status text,
         to_status text NOT NULL,
         sales_stage text,
         note text,
         changed_by text,
         changed_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX status_history_lead ON leads.status_history (lead_id, changed_at, id)`,
      `CREATE TABLE leads.segments (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         name text NOT NULL,
         description text,
         type text NOT NULL CHECK (type IN ('dynamic', 'static')),
         rules jsonb,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX segments_ws ON leads.segments (workspace_id, created_at DESC)`,
      `CREATE TABLE leads.segment_members (
         segment_id uuid NOT NULL REFERENCES leads.segments(id) ON DELETE CASCADE,
         lead_id uuid NOT NULL REFERENCES leads.leads(id) ON DELETE CASCADE,
         workspace_id uuid NOT NULL,
         added_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (segment_id, lead_id)
       )`,
      `CREATE INDEX segment_members_lead ON leads.segment_members (lead_id)`,
      `CREATE TABLE leads.suppressions (
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         email_hash text NOT NULL,
         email text,
         reason text NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'complained', 'manual', 'erased')),
         note text,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (workspace_id, email_hash)
       )`,
      `CREATE TABLE leads.import_jobs (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         campaign_id uuid,
         status text NOT NULL DEFAULT 'queued',
         file_path text NOT NULL,
         file_name text NOT NULL,
         file_bytes bigint NOT NULL,
         duplicate_policy text NOT NULL,
         source text NOT NULL,
         mapping jsonb NOT NULL,
         request_id text,
         lines_done int NOT NULL DEFAULT 0,
         rows_done int NOT NULL DEFAULT 0,
         bytes_done bigint NOT NULL DEFAULT 0,
         created int NOT NULL DEFAULT 0,
         updated int NOT NULL DEFAULT 0,
         skipped int NOT NULL DEFAULT 0,
         rejected int NOT NULL DEFAULT 0,
         error text,
         worker text,
         heartbeat_at timestamptz,
         started_at timestamptz,
         finished_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX import_jobs_ws ON leads.import_jobs (workspace_id, created_at DESC)`,
      `CREATE INDEX import_jobs_pending ON leads.import_jobs (created_at) WHERE status IN ('queued', 'running')`,
      `CREATE TABLE leads.import_issues (
         job_id uuid NOT NULL REFERENCES leads.import_jobs(id) ON DELETE CASCADE,
         line int NOT NULL,
         outcome text NOT NULL,
         reason text NOT NULL,
         email_hash text,
         data jsonb NOT NULL,
         PRIMARY KEY (job_id, line)
       )`,
      `CREATE INDEX import_issues_email ON leads.import_issues (email_hash) WHERE email_hash IS NOT NULL`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'import_issues',
      'import_jobs',
      'suppressions',
      'segment_members',
      'segments',
      'status_history',
      'leads',
    ]) {
      await q.query(`DROP TABLE IF EXISTS leads.${table}`);
    }
  }
}
