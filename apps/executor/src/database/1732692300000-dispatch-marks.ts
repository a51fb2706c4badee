import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher no longer writes each enrollment it hands to a job (the per-row lease:
 * `next_run_at` and `lease_until` pushed forward, a new row version and three index entries
 * per message, the largest statement of a send in pg_stat_statements). Instead each campaign has
 * a mark in `dispatch_marks`: the (due time, id) up to which its due enrollments have been handed
 * to jobs, and when that chain of dispatches started. Dispatch reads forward from the mark
 * (keyset over `enrollments_due`, which now ends with `id`); see dispatch/dispatcher.ts for when
 * the mark moves and when a chain starts over. Redis loss expires every mark at once through
 * `sweep_state` 'dispatch-epoch' (dispatch/redis-loss.ts).
 */
export class ExecutorDispatchMarks1732692300000 implements MigrationInterface {
  name = 'ExecutorDispatchMarks1732692300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE executor.dispatch_marks (
      campaign_id uuid PRIMARY KEY,
      at timestamptz NOT NULL,
      after_id uuid NOT NULL,
      since timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX enrollments_due_keyset ON executor.enrollments
      (campaign_id, next_run_at, id) WHERE status = 'active'`);
    await q.query(`DROP INDEX IF EXISTS executor.enrollments_due`);
    await q.query(`ALTER INDEX executor.enrollments_due_keyset RENAME TO enrollments_due`);
    // Rows still under a per-row lease keep their pushed-forward next_run_at: they come due
    // again when it ends, as before.
    await q.query(`ALTER TABLE executor.enrollments DROP COLUMN IF EXISTS lease_until`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE executor.enrollments ADD COLUMN IF NOT EXISTS lease_until timestamptz`,
    );
    await q.query(`DROP INDEX IF EXISTS executor.enrollments_due`);
    await q.query(`CREATE INDEX enrollments_due ON executor.enrollments (campaign_id, next_run_at)
      WHERE status = 'active'`);
    await q.query(`DROP TABLE IF EXISTS executor.dispatch_marks`);
  }
}
