import { MigrationInterface, QueryRunner } from 'typeorm';

/** An import may announce its created leads as lead.captured (triggered campaigns); off by default. */
export class ImportTrigger1732690100005 implements MigrationInterface {
  name = 'ImportTrigger1732690100005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE leads.import_jobs ADD COLUMN trigger_campaigns boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads.import_jobs DROP COLUMN trigger_campaigns`);
  }
}
