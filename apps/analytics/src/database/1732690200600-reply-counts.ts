import { MigrationInterface, QueryRunner } from 'typeorm';

const ROLLUPS = ['rollup_hourly', 'campaign_daily', 'variant_daily', 'workspace_hourly'];

/**
 * `replied` becomes unique per delivery, like `opened` and `clicked` (a contact who writes
 * back three times is one reply for the reply rate), and `replies` counts every reply event.
 * Until now `replied` counted every event, so the existing counts move to `replies`; `replied`
 * keeps them, since which of them were repeats can only be told from the raw events (a replay,
 * docs/analytics.md, recomputes it exactly). The deliveries that already replied are recorded
 * as first touches, so that a later reply to one of them is not counted as a first one.
 */
export class AnalyticsReplyCounts1732690200600 implements MigrationInterface {
  name = 'AnalyticsReplyCounts1732690200600';

  async up(q: QueryRunner): Promise<void> {
    for (const t of ROLLUPS) {
      await q.query(`ALTER TABLE analytics.${t} ADD COLUMN replies bigint NOT NULL DEFAULT 0`);
      await q.query(`UPDATE analytics.${t} SET replies = replied WHERE replied <> 0`);
    }
    await q.query(`INSERT INTO analytics.engagement_firsts (delivery_id, kind)
      SELECT DISTINCT delivery_id, type FROM analytics.events
       WHERE type = 'engagement.replied' AND delivery_id IS NOT NULL
         AND campaign_id IS NOT NULL AND NOT test_mode
      ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM analytics.engagement_firsts WHERE kind = 'engagement.replied'`);
    for (const t of ROLLUPS) {
      await q.query(`UPDATE analytics.${t} SET replied = replies WHERE replies <> replied`);
      await q.query(`ALTER TABLE analytics.${t} DROP COLUMN replies`);
    }
  }
}
