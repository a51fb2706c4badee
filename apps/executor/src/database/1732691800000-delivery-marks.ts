import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a delivery's provider or recipient reported once and for all: a delivery receipt
 * (`delivered_at`), an unsubscribe or a complaint. Each is set once, so a repeated report
 * (providers retry their notifications; an unsubscribe can come by one-click and by the page)
 * emits its event once.
 */
export class ExecutorDeliveryMarks1732691800000 implements MigrationInterface {
  name = 'ExecutorDeliveryMarks1732691800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE executor.deliveries
      ADD COLUMN IF NOT EXISTS delivered_at timestamptz,
      ADD COLUMN IF NOT EXISTS unsubscribed_at timestamptz,
      ADD COLUMN IF NOT EXISTS complained_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE executor.deliveries
      DROP COLUMN IF EXISTS delivered_at,
      DROP COLUMN IF EXISTS unsubscribed_at,
      DROP COLUMN IF EXISTS complained_at`);
  }
}
