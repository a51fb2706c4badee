import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The GIN indexes of leads.leads keep up to 1 GB of new entries in their pending lists
 * (128 MB for the name search and 32 MB for custom fields before). A 1,000,000-row import adds
 * ~165 MB and ~75 MB: with the old limits the importing backends stopped to merge a full list
 * into the index in the middle of the job (about a fifth of the import's Postgres CPU); now the
 * whole import is merged once, right after the job, by the leads service's index upkeep
 * (leads/lead-index-upkeep.ts), which also merges whenever enough rows have come in by any
 * other way, so the lists a search scans stay short between imports (docs/leads.md, "Index
 * upkeep").
 */
export class GinPendingLimits1732690100013 implements MigrationInterface {
  name = 'GinPendingLimits1732690100013';

  async up(q: QueryRunner): Promise<void> {
    for (const index of ['leads_search_names', 'leads_custom_fields'])
      await q.query(`ALTER INDEX leads.${index} SET (gin_pending_list_limit = 1048576)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX leads.leads_search_names SET (gin_pending_list_limit = 131072)`);
    await q.query(`ALTER INDEX leads.leads_custom_fields SET (gin_pending_list_limit = 32768)`);
  }
}
