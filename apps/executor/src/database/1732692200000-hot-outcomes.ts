import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outcome of a send (`claimed` → `sent`, `failed`, `uncertain`) becomes a heap-only (HOT)
 * update: no index of `deliveries` holds `status` any more, and pages are filled only half at
 * insert (fillfactor 50), so that every row of a page can get its outcome version on the same page.
 * A delivery is written twice (claim, outcome) within a second; at fillfactor 80 only a quarter of
 * the outcomes found room on their page (measured: 25,432 of 100,000) and the rest went to other
 * pages, so the table was no smaller (42 MB against 39 MB per 100,000 rows at 50). Before, every outcome wrote a new entry into each of the
 * table's indexes (primary key, enrollment/step, campaign, and the recipient index for email),
 * and the claim's entry in the partial `deliveries_claimed` index had to be cleaned up later.
 *
 * What used `status` in an index:
 * - claim recovery found `claimed` rows through `deliveries_claimed (claimed_at) WHERE status =
 *   'claimed'`. It now walks `deliveries_claimed_at (claimed_at)` forward from a horizon kept in
 *   `sweep_state` (everything claimed before it is settled), so each sweep reads only the claims
 *   made since the last one (lifecycle/sweepers.ts);
 * - the completion check looked for a `claimed` row of the campaign: it reads the progress
 *   counters instead (exact, kept in the same transactions);
 * - `deliveries_campaign (campaign_id, status)`, used by the A/B tally, is `(campaign_id)`.
 */
export class ExecutorHotOutcomes1732692200000 implements MigrationInterface {
  name = 'ExecutorHotOutcomes1732692200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE executor.sweep_state (
      name text PRIMARY KEY,
      at timestamptz NOT NULL)`);
    // An hour before the oldest claim in flight: the first sweep looks at every one of them.
    await q.query(`INSERT INTO executor.sweep_state (name, at)
      SELECT 'claims', coalesce(min(claimed_at), now()) - interval '1 hour'
        FROM executor.deliveries WHERE status = 'claimed'`);
    await q.query(`CREATE INDEX deliveries_claimed_at ON executor.deliveries (claimed_at)`);
    await q.query(`DROP INDEX IF EXISTS executor.deliveries_claimed`);
    await q.query(`DROP INDEX IF EXISTS executor.deliveries_campaign`);
    await q.query(`CREATE INDEX deliveries_campaign ON executor.deliveries (campaign_id)`);
    await q.query(`ALTER TABLE executor.deliveries SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE executor.deliveries RESET (fillfactor)`);
    await q.query(`DROP INDEX IF EXISTS executor.deliveries_campaign`);
    await q.query(`CREATE INDEX deliveries_campaign ON executor.deliveries (campaign_id, status)`);
    await q.query(`CREATE INDEX deliveries_claimed ON executor.deliveries (claimed_at)
      WHERE status = 'claimed'`);
    await q.query(`DROP INDEX IF EXISTS executor.deliveries_claimed_at`);
    await q.query(`DROP TABLE IF EXISTS executor.sweep_state`);
  }
}
