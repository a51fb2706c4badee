import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound webhooks per workspace and their delivery log. */
export class ExecutorWebhooks1732690500000 implements MigrationInterface {
  name = 'ExecutorWebhooks1732690500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE executor.webhooks (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       tenant_id uuid NOT NULL,
       workspace_id uuid NOT NULL,
       url text NOT NULL,
       events text[] NOT NULL,
       description text,
       active boolean NOT NULL DEFAULT true,
       secret_sealed text NOT NULL,
       previous_secret_sealed text,
       previous_expires_at timestamptz,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(
      'CREATE INDEX webhooks_workspace ON executor.webhooks (workspace_id) WHERE active',
    );
    await q.query(`CREATE TABLE executor.webhook_deliveries (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       webhook_id uuid NOT NULL REFERENCES executor.webhooks(id) ON DELETE CASCADE,
       event_id uuid NOT NULL,
       event_type text NOT NULL,
       body text NOT NULL,
       status text NOT NULL DEFAULT 'pending',
       attempts int NOT NULL DEFAULT 0,
       last_status int,
       last_error text,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       UNIQUE (webhook_id, event_id)
     )`);
    await q.query(
      'CREATE INDEX webhook_deliveries_log ON executor.webhook_deliveries (webhook_id, created_at DESC)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS executor.webhook_deliveries');
    await q.query('DROP TABLE IF EXISTS executor.webhooks');
  }
}
