import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `lease_until`: the end of the dispatcher's lease on an enrollment (equal to `next_run_at`
 * while the lease stands). When Redis loses its data, the leases whose jobs went with it are
 * released at once instead of running out (see dispatch/redis-loss.ts). Nullable without a
 * default: adding it rewrites nothing.
 */
export class ExecutorDispatchLease1732691500000 implements MigrationInterface {
  name = 'ExecutorDispatchLease1732691500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE executor.enrollments ADD COLUMN IF NOT EXISTS lease_until timestamptz',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE executor.enrollments DROP COLUMN IF EXISTS lease_until');
  }
}
