import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recipient index serves the frequency cap and its preview, which only ever count real
 * emails (`channel = 'email' AND NOT test_mode`). Webhook deliveries (whose recipient is the
 * step's URL, the same for every contact) and test sends no longer enter it: two index entries
 * fewer per such message, one at the claim and one at the outcome.
 */
export class ExecutorEmailRecipientIndex1732691900000 implements MigrationInterface {
  name = 'ExecutorEmailRecipientIndex1732691900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS executor.deliveries_recipient`);
    await q.query(`CREATE INDEX deliveries_recipient ON executor.deliveries
      (workspace_id, recipient, claimed_at) WHERE channel = 'email' AND NOT test_mode`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS executor.deliveries_recipient`);
    await q.query(`CREATE INDEX deliveries_recipient ON executor.deliveries
      (workspace_id, recipient, claimed_at)`);
  }
}
