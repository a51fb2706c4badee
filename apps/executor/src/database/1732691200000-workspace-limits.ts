import { MigrationInterface, QueryRunner } from 'typeorm';

/** A workspace's own sending limits; a missing row or a null value follows the env default. */
export class ExecutorWorkspaceLimits1732691200000 implements MigrationInterface {
  name = 'ExecutorWorkspaceLimits1732691200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE executor.workspace_limits (
       workspace_id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       frequency_cap_per_day int,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS executor.workspace_limits');
  }
}
