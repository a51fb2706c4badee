import { MigrationInterface, QueryRunner } from 'typeorm';
import { EMAIL_PREFIX_KEY, SEARCH_DOCUMENT } from '../leads/lead-search';
import { WORDS_DOCUMENT } from './1732690100008-search-words';

/**
 * Addresses leave the search words for a btree of their own (leads/lead-search.ts): the word
 * index keeps the names, company and domain (words many leads share), the address prefix goes
 * to `leads_ws_email_prefix` in byte order. Every lead had three words of its own in the GIN
 * index (the address, its local part, a number or name); merging those into the index was the
 * costliest part of an import (docs/leads.md, "Search").
 */
export class SearchEmailPrefix1732690100009 implements MigrationInterface {
  name = 'SearchEmailPrefix1732690100009';

  async up(q: QueryRunner): Promise<void> {
    // IF NOT EXISTS: a large installation may have built them beforehand, CONCURRENTLY.
    await q.query(
      `CREATE INDEX IF NOT EXISTS leads_ws_email_prefix ON leads.leads (workspace_id, ${EMAIL_PREFIX_KEY()})`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS leads_search_names ON leads.leads USING gin ((${SEARCH_DOCUMENT()}))
         WITH (gin_pending_list_limit = 131072)`,
    );
    await q.query(`DROP INDEX IF EXISTS leads.leads_search_words`);
    // Statistics for the new expressions now: without them the planner did not see that the
    // two indexes together answer a search, and scanned the workspace (1,000,000 leads: 4-6 s
    // instead of 2-65 ms).
    await q.query(`ANALYZE leads.leads`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX leads_search_words ON leads.leads USING gin ((${WORDS_DOCUMENT}))
         WITH (gin_pending_list_limit = 131072)`,
    );
    await q.query(`DROP INDEX IF EXISTS leads.leads_search_names`);
    await q.query(`DROP INDEX IF EXISTS leads.leads_ws_email_prefix`);
  }
}
