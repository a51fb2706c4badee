import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `schedule.endDate` as a column the end sweep can find by index: a campaign still to send or
 * sending whose end has passed is ended (CampaignEndSweeper). Kept in step with the schedule by
 * the service on create and update.
 */
export class CampaignEnds1732690500300 implements MigrationInterface {
  name = 'CampaignEnds1732690500300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE campaigns.campaigns ADD COLUMN ends_at timestamptz');
    await q.query(`UPDATE campaigns.campaigns SET ends_at = (schedule->>'endDate')::timestamptz
      WHERE schedule ? 'endDate' AND schedule->>'endDate' <> ''`);
    await q.query(`CREATE INDEX campaigns_ending ON campaigns.campaigns (ends_at)
      WHERE ends_at IS NOT NULL AND status IN ('scheduled', 'schedule_missed', 'active', 'paused')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS campaigns.campaigns_ending');
    await q.query('ALTER TABLE campaigns.campaigns DROP COLUMN IF EXISTS ends_at');
  }
}
