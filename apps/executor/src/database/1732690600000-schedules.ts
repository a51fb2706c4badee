import { MigrationInterface, QueryRunner } from 'typeorm';

/** Scheduled launches: Postgres remembers them, so a lost delayed job is re-created on boot. */
export class ExecutorSchedules1732690600000 implements MigrationInterface {
  name = 'ExecutorSchedules1732690600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE executor.scheduled_launches (
       campaign_id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       workspace_id uuid NOT NULL,
       scheduled_at timestamptz NOT NULL,
       status text NOT NULL DEFAULT 'pending',
       updated_at timestamptz NOT NULL DEFAULT now()
     )`);
    await q.query(
      `CREATE INDEX scheduled_launches_pending ON executor.scheduled_launches (scheduled_at) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS executor.scheduled_launches');
  }
}
