import {
  databaseEnv,
  healthEnv,
  int,
  kafkaEnv,
  logEnv,
  oneOf,
  servicesEnv,
  str,
} from '@app/config';
import * as os from 'node:os';
import * as path from 'node:path';

export const leadsEnv = {
  ...databaseEnv,
  ...kafkaEnv,
  ...logEnv,
  ...servicesEnv,
  ...healthEnv(4102),
  RPC_HOST: str('127.0.0.1'),
  // Spool directory shared with the gateway: uploads land here and the import reads them.
  LEADS_IMPORT_DIR: str(path.join(os.homedir(), '.cache', 'campaign-platform', 'imports')),
  LEADS_IMPORT_MAX_ROWS: int(2_000_000, 1, 100_000_000),
  // Rows per bulk upsert transaction and write stream: bigger holds more memory and row locks
  // longer; 10,000 imported as fast as 20,000 with ~25 MB less peak RSS (docs/leads.md).
  LEADS_IMPORT_BATCH_ROWS: int(10_000, 100, 50_000),
  // Connections an import writes on at once (the file's rows split by a hash of the email, so
  // no two touch the same lead): Postgres does most of an import's work, and one connection is
  // one core. A job keeps the number it started with when another worker resumes it.
  LEADS_IMPORT_WRITERS: int(2, 1, 8),
  LEADS_IMPORT_POLL_MS: int(1000, 50, 60_000),
  // After an import that wrote at least this many leads, the GIN indexes' pending lists are
  // merged at once (a search scans them whole until then) and the table analysed; above
  // LEADS_IMPORT_MAX_ROWS: never, autovacuum does both when it gets there.
  LEADS_IMPORT_INDEX_CLEANUP_ROWS: int(10_000, 1, 1_000_000_000),
  // Every LEADS_INDEX_UPKEEP_MS the service merges the pending lists when at least
  // LEADS_INDEX_MERGE_ROWS leads were inserted or updated since its last look and no import is
  // running (an import's own upkeep merges after it): captures, API writes and small imports
  // never leave a search scanning a long list (leads/lead-index-upkeep.ts).
  LEADS_INDEX_UPKEEP_MS: int(60_000, 100, 3_600_000),
  LEADS_INDEX_MERGE_ROWS: int(50_000, 1, 1_000_000_000),
  // Rows per export page (one RPC each): larger amortises the round trip, smaller holds less.
  LEADS_EXPORT_PAGE_ROWS: int(10_000, 100, 50_000),
  // An export whose client has not taken the bytes queued for it (~4 MB plus a page) after this
  // long is cut; the clock restarts every time the queue empties.
  LEADS_EXPORT_STALL_MS: int(120_000, 100, 3_600_000),
  // The consent mode of workspaces that have not chosen one (docs/leads.md, "Consent").
  LEADS_CONSENT_DEFAULT: oneOf(['implied', 'opt_in'] as const, 'implied'),
};
