import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a provider confirmed that a message reached the mailbox (an inbound `delivered`
 * receipt). Set once: a repeated receipt emits no second `message.delivered`.
 */
export class ExecutorDeliveryReceipts1732691800000 implements MigrationInterface {
  name = 'ExecutorDeliveryReceipts1732691800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE executor.deliveries ADD COLUMN IF NOT EXISTS delivered_at timestamptz',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE executor.deliveries DROP COLUMN IF EXISTS delivered_at');
  }
}
