import { MigrationInterface, QueryRunner } from 'typeorm';
import { TRIGRAM_TEXT } from './1732690100003-search-trigram';

/**
 * Search becomes word-prefix matching (leads/lead-search.ts) over a text-search GIN index,
 * replacing the trigram index of migration 1732690100003: the trigram index matched any
 * substring but was the costliest index to keep up during imports (~44 trigrams per lead to
 * append and merge, against ~8 words; docs/leads.md, "Search"). Same large pending list.
 */
/** The word document this migration indexed (migration 1732690100009 replaced it). */
export const WORDS_DOCUMENT =
  `to_tsvector('simple'::regconfig, coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || ` +
  `email_normalized || ' ' || replace(email_normalized, '@', ' ') || ' ' || coalesce(company, ''))`;

export class SearchWords1732690100008 implements MigrationInterface {
  name = 'SearchWords1732690100008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      // IF NOT EXISTS: a large installation may have built it beforehand, CONCURRENTLY.
      `CREATE INDEX IF NOT EXISTS leads_search_words ON leads.leads USING gin ((${WORDS_DOCUMENT}))
         WITH (gin_pending_list_limit = 131072)`,
    );
    await q.query(`DROP INDEX IF EXISTS leads.leads_search_trgm`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX leads_search_trgm ON leads.leads USING gin ((${TRIGRAM_TEXT}) public.gin_trgm_ops)
         WITH (gin_pending_list_limit = 131072)`,
    );
    await q.query(`DROP INDEX IF EXISTS leads.leads_search_words`);
  }
}
