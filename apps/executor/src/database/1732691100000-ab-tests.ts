import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per A/B winner flow: when the first contact reached the A/B step (the clock), when
 * the decision is due, and the decision itself. The winner is written once (`WHERE
 * winner_variant_id IS NULL`) and never changes, which is what lets a held contact be given
 * exactly one variant, the winner, whichever replica sends it and however often it is retried.
 */
export class ExecutorAbTests1732691100000 implements MigrationInterface {
  name = 'ExecutorAbTests1732691100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE executor.ab_tests (
       campaign_id uuid PRIMARY KEY,
       tenant_id uuid NOT NULL,
       workspace_id uuid NOT NULL,
       step_id uuid NOT NULL,
       started_at timestamptz NOT NULL DEFAULT now(),
       decide_at timestamptz NOT NULL,
       winner_variant_id text,
       decided_at timestamptz,
       decided_by text,
       reason text,
       basis jsonb
     )`);
    await q.query(
      'CREATE INDEX ab_tests_due ON executor.ab_tests (decide_at) WHERE winner_variant_id IS NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS executor.ab_tests');
  }
}
