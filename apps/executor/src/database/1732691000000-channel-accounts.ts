import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sending accounts per workspace: SMTP server, credentials (password sealed), own rate. */
export class ExecutorChannelAccounts1732691000000 implements MigrationInterface {
  name = 'ExecutorChannelAccounts1732691000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE executor.channel_accounts (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       tenant_id uuid NOT NULL,
       workspace_id uuid NOT NULL,
       name text NOT NULL,
       kind text NOT NULL DEFAULT 'smtp',
       host text NOT NULL,
       port int NOT NULL,
       secure boolean NOT NULL DEFAULT false,
       username text,
       password_sealed text,
       rate_per_second int NOT NULL DEFAULT 0,
       is_default boolean NOT NULL DEFAULT false,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(
      'CREATE INDEX channel_accounts_workspace ON executor.channel_accounts (workspace_id, created_at)',
    );
    // At most one default account per workspace.
    await q.query(
      'CREATE UNIQUE INDEX channel_accounts_default ON executor.channel_accounts (workspace_id) WHERE is_default',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS executor.channel_accounts');
  }
}
