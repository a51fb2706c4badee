import { Periodic } from '@app/common';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEADS_ENV, LeadsEnv } from '../leads-env';

/**
 * Keeps the GIN indexes of leads.leads (name search, custom fields) quick to read. New rows go
 * to an index's pending list (`fastupdate`), an unsorted list that every search and
 * custom-field rule scans whole until it is merged into the index: after 200,000 new leads a
 * search that finds nothing took 80 ms instead of 0.4 ms, after 1,000,000 about a second. The
 * lists may grow to 1 GB (migration 1732690100013), so no writer, an import least of all,
 * stops to merge one in the middle of its work; this class merges them instead:
 * - after a big import (`afterImport`), once the job is marked completed: the lists, then
 *   `ANALYZE` (~0.9 s for 1,000,000 leads: a sample), so the planner sees the workspace's new
 *   size and values at once rather than after autovacuum's next round;
 * - every `LEADS_INDEX_UPKEEP_MS`, when at least `LEADS_INDEX_MERGE_ROWS` leads were inserted
 *   or updated since its last look (the table's counters in `pg_stat_user_tables`, so writes
 *   through any replica count) and no import is running (its own upkeep follows it).
 * One merge at a time per replica; two replicas merging at once is harmless (the second finds
 * the lists empty). A role that does not own the table can do neither: a warning, and
 * autovacuum does both later.
 */
@Injectable()
export class LeadIndexUpkeep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LeadIndexUpkeep');
  private readonly loop: Periodic;
  /** The merges and analyses of this replica, one after the other; awaited at shutdown. */
  private chain: Promise<void> = Promise.resolve();
  /** Rows inserted plus updated in leads.leads at the last merge (or first look). */
  private seen?: number;
  /**
   * Set at shutdown. Nest may stop this provider before the import runner, so a job that
   * completes during shutdown leaves its merge to autovacuum rather than start one on a
   * closing pool.
   */
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {
    this.loop = new Periodic(this.logger, 'index upkeep failed', env.LEADS_INDEX_UPKEEP_MS, () =>
      this.tick(),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await this.chain;
  }

  /** A job that wrote `written` leads is done: merge and analyse if it wrote enough. */
  afterImport(jobId: string, written: number): void {
    if (written < this.env.LEADS_IMPORT_INDEX_CLEANUP_ROWS) return;
    if (this.stopped) {
      this.logger.warn({
        msg: 'index upkeep after import left to autovacuum: shutting down',
        jobId,
      });
      return;
    }
    void this.enqueue(async () => {
      const started = Date.now();
      const mergedPages = await this.merge(jobId);
      const analysed = await this.attempt('analyse leads.leads', jobId, async () => {
        await this.ds.query('ANALYZE leads.leads');
        return true;
      });
      // The next look starts counting from here.
      this.seen = undefined;
      this.logger.log({
        msg: 'index upkeep after import',
        jobId,
        ms: Date.now() - started,
        mergedPages,
        analysed: analysed ?? false,
      });
    });
  }

  /** One periodic look; returns whether it merged (or tried to: see `attempt`). */
  async tick(): Promise<boolean> {
    const [row]: { written: string | null; importing: boolean }[] = await this.ds.query(
      `SELECT (SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables
                WHERE relid = 'leads.leads'::regclass) AS written,
              EXISTS (SELECT 1 FROM leads.import_jobs WHERE status = 'running') AS importing`,
    );
    const written = Number(row.written ?? 0);
    // First look, or the statistics were reset: count from here.
    if (this.seen === undefined || written < this.seen) {
      this.seen = written;
      return false;
    }
    if (row.importing || written - this.seen < this.env.LEADS_INDEX_MERGE_ROWS) return false;
    const since = written - this.seen;
    return this.enqueue(async () => {
      const started = Date.now();
      const mergedPages = await this.merge();
      this.seen = written;
      this.logger.log({
        msg: 'index upkeep',
        rowsWritten: since,
        ms: Date.now() - started,
        mergedPages,
      });
      return true;
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(
      () => undefined,
      (err) => this.logger.error({ msg: 'index upkeep failed', error: (err as Error).message }),
    );
    return run;
  }

  /** Pages merged per GIN index, or undefined when the merge failed (see the warning). */
  private async merge(jobId?: string): Promise<Record<string, number> | undefined> {
    const rows = await this.attempt(
      'merge the GIN pending lists',
      jobId,
      () =>
        this.ds.query(
          `SELECT c.relname AS index, gin_clean_pending_list(c.oid) AS pages
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
            WHERE i.indrelid = 'leads.leads'::regclass AND a.amname = 'gin'`,
        ) as Promise<{ index: string; pages: string }[]>,
    );
    return rows && Object.fromEntries(rows.map((r) => [r.index, Number(r.pages)]));
  }

  private async attempt<T>(
    what: string,
    jobId: string | undefined,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      // E.g. the service's role does not own the table: autovacuum will do it later.
      this.logger.warn({ msg: `could not ${what}`, jobId, error: (err as Error).message });
      return undefined;
    }
  }
}
