import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An import writes its rows as several streams on several connections, split by a hash of
 * the email (docs/leads.md, "CSV import"). Each stream commits its own resume point: element
 * p is the last file line stream p has committed. Set when a worker first claims the job (its
 * length is the job's number of streams, kept when another worker resumes it); `lines_done`
 * stays the line up to which every stream has committed.
 */
export class ImportParts1732690100006 implements MigrationInterface {
  name = 'ImportParts1732690100006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads.import_jobs ADD COLUMN part_lines_done int[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads.import_jobs DROP COLUMN part_lines_done`);
  }
}
