import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports insert thousands of custom-field documents per batch. A larger GIN pending
 * list lets those inserts append cheaply and be merged into the index in bulk (by the
 * inserting backend when the list is full, or by autovacuum), instead of per row.
 */
export class GinPendingList1732690100002 implements MigrationInterface {
  name = 'GinPendingList1732690100002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX leads.leads_custom_fields SET (gin_pending_list_limit = 32768)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX leads.leads_custom_fields RESET (gin_pending_list_limit)`);
  }
}
