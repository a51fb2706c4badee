import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaign figures come from the analytics service (the gateway adds them to campaign views);
 * the column that was meant to hold them was never written after creation, so every campaign
 * showed zeros.
 */
export class DropStatistics1732690500200 implements MigrationInterface {
  name = 'DropStatistics1732690500200';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE campaigns.campaigns DROP COLUMN IF EXISTS statistics');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE campaigns.campaigns ADD COLUMN statistics jsonb NOT NULL DEFAULT '{}'`,
    );
  }
}
