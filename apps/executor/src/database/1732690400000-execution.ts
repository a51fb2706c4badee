import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The executor's state. Postgres is the source of truth for every enrollment and delivery;
 * BullMQ only carries work, so losing Redis loses nothing here (DESIGN.md, Execution).
 */
export class ExecutorExecution1732690400000 implements MigrationInterface {
  name = 'ExecutorExecution1732690400000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      // One run per campaign: the steps and settings frozen at launch, and the run's status.
      `CREATE TABLE executor.campaign_runs (
         campaign_id uuid PRIMARY KEY,
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         status text NOT NULL,
         status_reason text,
         campaign_type text NOT NULL,
         test_mode boolean NOT NULL DEFAULT false,
         target_percentage int NOT NULL DEFAULT 100,
         snapshot jsonb NOT NULL,
         enroll_cursor text,
         enroll_done boolean NOT NULL DEFAULT false,
         enrolled int NOT NULL DEFAULT 0,
         consecutive_failures int NOT NULL DEFAULT 0,
         request_id text,
         started_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TABLE executor.contacts (
         workspace_id uuid NOT NULL,
         lead_id uuid NOT NULL,
         tenant_id uuid NOT NULL,
         email text NOT NULL,
         first_name text, last_name text, company text, title text, phone text,
         timezone text, source text,
         custom_fields jsonb NOT NULL DEFAULT '{}',
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (workspace_id, lead_id)
       )`,
      `CREATE TABLE executor.enrollments (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         campaign_id uuid NOT NULL,
         lead_id uuid NOT NULL,
         segment_id uuid,
         step_index int NOT NULL DEFAULT 0,
         status text NOT NULL DEFAULT 'active',
         status_reason text,
         next_run_at timestamptz NOT NULL DEFAULT now(),
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (campaign_id, lead_id)
       )`,
      `CREATE INDEX enrollments_due ON executor.enrollments (campaign_id, next_run_at) WHERE status = 'active'`,
      `CREATE INDEX enrollments_campaign_status ON executor.enrollments (campaign_id, status)`,
      // One row per (enrollment, step), claimed before the channel is called: the unique key is
      // what makes a retried or redelivered job unable to send the same step twice.
      `CREATE TABLE executor.deliveries (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         tenant_id uuid NOT NULL,
         workspace_id uuid NOT NULL,
         campaign_id uuid NOT NULL,
         enrollment_id uuid NOT NULL,
         step_id uuid NOT NULL,
         step_index int NOT NULL,
         variant_id text,
         channel text NOT NULL,
         recipient text NOT NULL,
         status text NOT NULL DEFAULT 'claimed',
         code text,
         reason text,
         provider_message_id text,
         test_mode boolean NOT NULL DEFAULT false,
         claimed_at timestamptz NOT NULL DEFAULT now(),
         finished_at timestamptz,
         opened_at timestamptz,
         clicked_at timestamptz,
         replied_at timestamptz,
         UNIQUE (enrollment_id, step_id)
       )`,
      `CREATE INDEX deliveries_campaign ON executor.deliveries (campaign_id, status)`,
      `CREATE INDEX deliveries_claimed ON executor.deliveries (claimed_at) WHERE status = 'claimed'`,
      `CREATE INDEX deliveries_recipient ON executor.deliveries (workspace_id, recipient, claimed_at)`,
      `CREATE TABLE executor.daily_counters (
         campaign_id uuid NOT NULL,
         day date NOT NULL,
         sent int NOT NULL DEFAULT 0,
         PRIMARY KEY (campaign_id, day)
       )`,
      `CREATE TABLE executor.suppressions (
         workspace_id uuid NOT NULL,
         email text NOT NULL,
         tenant_id uuid NOT NULL,
         reason text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (workspace_id, email)
       )`,
      `CREATE TABLE executor.links (
         id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
         campaign_id uuid NOT NULL,
         url text NOT NULL,
         UNIQUE (campaign_id, url)
       )`,
      `CREATE TABLE executor.processed_events (
         event_id uuid PRIMARY KEY,
         processed_at timestamptz NOT NULL DEFAULT now()
       )`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'processed_events',
      'links',
      'suppressions',
      'daily_counters',
      'deliveries',
      'enrollments',
      'contacts',
      'campaign_runs',
    ])
      await q.query(`DROP TABLE IF EXISTS executor.${table}`);
  }
}
