import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leads created one by one (capture, API) get time-ordered ids too (UUIDv7 layout: 48-bit
 * milliseconds, then random bits from gen_random_uuid with version and variant kept), as
 * imported leads already do (sql/uuid-v7.ts). Audiences and exports walk a workspace in id
 * order; with random ids every lead of a page was a read from a random heap page, with
 * time-ordered ids a page reads the heap nearly in order (docs/leads.md, "Audience"). New ids
 * also append to the id indexes instead of landing all over them. Existing ids stay.
 */
export class LeadIdsV7_1732690100011 implements MigrationInterface {
  name = 'LeadIdsV7_1732690100011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE leads.leads ALTER COLUMN id SET DEFAULT (
       lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7' ||
       substr(replace(gen_random_uuid()::text, '-', ''), 14, 19))::uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE leads.leads ALTER COLUMN id SET DEFAULT gen_random_uuid()');
  }
}
