import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enrollment is insert-heavy (1,000,000 rows per big launch): time-ordered ids (UUIDv7 layout:
 * 48-bit milliseconds, then random bits from gen_random_uuid, version and variant kept) append
 * to the primary key instead of landing all over it; and the (campaign, status) index goes,
 * since the unique (campaign, lead) and the partial due index already serve those reads.
 */
export class ExecutorEnrollmentIds1732690700000 implements MigrationInterface {
  name = 'ExecutorEnrollmentIds1732690700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS executor.enrollments_campaign_status');
    await q.query(`ALTER TABLE executor.enrollments ALTER COLUMN id SET DEFAULT (
       lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7' ||
       substr(replace(gen_random_uuid()::text, '-', ''), 14, 19))::uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE executor.enrollments ALTER COLUMN id SET DEFAULT gen_random_uuid()');
    await q.query(
      'CREATE INDEX enrollments_campaign_status ON executor.enrollments (campaign_id, status)',
    );
  }
}
