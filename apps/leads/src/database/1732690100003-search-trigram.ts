import { MigrationInterface, QueryRunner } from 'typeorm';

/** The expression this migration indexes (its own copy: migrations do not change). */
export const TRIGRAM_TEXT =
  `lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || ` +
  `email_normalized || ' ' || coalesce(company, ''))`;

/**
 * Superseded by migration 1732690100008 (word search), which drops this index.
 * Search (`?search=`) was a case-insensitive substring match over name, email and company. A
 * btree cannot serve `LIKE '%x%'`; a trigram GIN index over one expression of those columns
 * can (3 characters or more). Like the custom-fields index it keeps a large pending list, so
 * bulk imports append to it and merge in bulk.
 */
export class SearchTrigram1732690100003 implements MigrationInterface {
  name = 'SearchTrigram1732690100003';

  async up(q: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension (Postgres 13+): the database owner may create it.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await q.query(
      `CREATE INDEX leads_search_trgm ON leads.leads USING gin ((${TRIGRAM_TEXT}) public.gin_trgm_ops)
         WITH (gin_pending_list_limit = 131072)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS leads.leads_search_trgm`);
  }
}
