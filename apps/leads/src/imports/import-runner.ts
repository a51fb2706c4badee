import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { LeadEvents } from '../leads/lead-events';
import { LeadIndexUpkeep } from '../leads/lead-index-upkeep';
import { LEADS_ENV, LeadsEnv } from '../leads-env';
import { isBlank, readCsvFile } from './csv-reader';
import { ImportFinisher } from './import-finisher';
import { parseRow } from './import-row';
import { Batch, ImportJobRow } from './import-job';
import { partOfEmail, partOfLine } from './import-parts';
import { StageBuffer } from './import-stage';
import { ImportWriter } from './import-writer';
import { rejectedIssue, rowData } from './import-issues';

/** Jobs whose worker has not reported for this long are taken over (crash, kill -9). */
const STALE_SECONDS = 60;

/**
 * Parsing is synchronous work on the event loop while Postgres writes the previous batch, and
 * each batch is several round trips (COPY, INSERT, checkpoint, COMMIT). A read chunk's records
 * are handled in one go, so without a yield a reply from Postgres waits until the chunk is
 * parsed and staged (a 256 KB chunk is ~2,000 rows, tens of ms) before the next statement is
 * sent, and Postgres idles meanwhile. Small reads and a turn of the event loop every few
 * hundred rows keep that wait to a few milliseconds. (The gain is not measurable on the shared
 * benchmark machine: docs/leads.md.)
 */
const READ_CHUNK_BYTES = 64 * 1024;
const YIELD_EVERY_ROWS = 256;

/**
 * Runs imports inside the leads service: claims a queued (or stale) job from Postgres with
 * SKIP LOCKED, reads the spooled file with CsvReader, and writes batches while the
 * next one is parsed. Progress and the resume point commit with each batch, so a restart
 * continues after the last committed line instead of starting over.
 */
@Injectable()
export class ImportRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ImportRunner');
  private readonly worker = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly ds: DataSource,
    private readonly events: LeadEvents,
    private readonly finisher: ImportFinisher,
    private readonly upkeep: LeadIndexUpkeep,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** A new job was queued: look now rather than at the next poll. */
  poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let job: ImportJobRow | undefined;
      try {
        job = await this.claim();
        if (job) await this.process(job);
      } catch (err) {
        this.logger.error({
          msg: 'import loop failed',
          jobId: job?.id,
          error: (err as Error).message,
        });
      }
      if (!job) await this.sleep(this.env.LEADS_IMPORT_POLL_MS);
    }
  }

  private async claim(): Promise<ImportJobRow | undefined> {
    const [rows] = await this.ds.query(
      `UPDATE leads.import_jobs SET status = 'running', worker = $1, heartbeat_at = now(),
              started_at = COALESCE(started_at, now()),
              part_lines_done = COALESCE(part_lines_done, array_fill(lines_done, ARRAY[$3::int]))
        WHERE id = (SELECT id FROM leads.import_jobs
                     WHERE status = 'queued'
                        OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $2))
                     ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING *`,
      [this.worker, STALE_SECONDS, this.env.LEADS_IMPORT_WRITERS],
    );
    return rows[0];
  }

  private async process(job: ImportJobRow): Promise<void> {
    const started = Date.now();
    this.logger.log({
      msg: 'import started',
      jobId: job.id,
      resumeAfterLines: job.part_lines_done,
    });
    try {
      const stopped = await this.stream(job);
      if (stopped) {
        // Graceful shutdown: hand the job back so the next worker resumes it at once.
        await this.ds.query(
          `UPDATE leads.import_jobs SET status = 'queued', worker = NULL WHERE id = $1 AND worker = $2`,
          [job.id, this.worker],
        );
        return;
      }
      const done = await this.finisher.complete(job, this.worker);
      this.logger.log({
        msg: 'import completed',
        jobId: job.id,
        ms: Date.now() - started,
        ...done,
      });
      // The index merge and ANALYZE a bulk load needs, after the job (it does not wait for them).
      this.upkeep.afterImport(job.id, (done.created ?? 0) + (done.updated ?? 0));
    } catch (err) {
      this.logger.warn({ msg: 'import failed', jobId: job.id, error: (err as Error).message });
      await this.finisher.fail(job, this.worker, (err as Error).message);
    }
  }

  /**
   * Returns true when stopped by shutdown before the end of the file. One parser feeds
   * `part_lines_done.length` write streams (import-parts.ts), each with its own batch, its own
   * transaction in flight on its own connection, and its own resume point.
   */
  private async stream(job: ImportJobRow): Promise<boolean> {
    const targets: string[] = job.mapping.targets as unknown as string[];
    const header: string[] = job.mapping.header as unknown as string[];
    const writer = new ImportWriter(job, this.worker, this.events);
    const read = { bytesRead: 0, lastLine: 0 };
    const done = job.part_lines_done ?? [job.lines_done];
    const parts = done.length;
    const streams: WriteStream[] = done.map((d, part) => ({
      part,
      done: d,
      batch: emptyBatch(job, part),
      inflight: Promise.resolve(),
    }));
    const resumeAfter = Math.min(...done);
    const byLine = (line: number) => streams[partOfLine(line, parts)];
    // One transaction in flight per stream: the stream's next batch waits for its previous one.
    const submit = async (s: WriteStream, lastLine: number) => {
      await s.inflight;
      const b = s.batch;
      b.lastLine = lastLine;
      b.bytesDone = read.bytesRead;
      s.batch = emptyBatch(job, s.part);
      s.inflight = this.ds.transaction((m) => writer.write(m, b));
      // Failures surface at the stream's next submit or at the end; this only avoids an
      // unhandled rejection.
      s.inflight.catch(() => undefined);
    };
    let dataRows = 0;
    let isHeader = true;
    try {
      for await (const records of readCsvFile(job.file_path, READ_CHUNK_BYTES, read)) {
        for (const { line, cells: record, raw, error } of records) {
          if (!record) {
            // A malformed record is reported at the line where it starts.
            const s = byLine(line);
            if (line > s.done)
              s.batch.issues.push(rejectedIssue(line, `malformed CSV: ${error}`, {}));
            continue;
          }
          if (isBlank(record)) continue;
          if (isHeader) {
            isHeader = false;
            continue;
          }
          if (++dataRows > this.env.LEADS_IMPORT_MAX_ROWS)
            throw new Error(`the file has more than ${this.env.LEADS_IMPORT_MAX_ROWS} rows`);
          if (line <= resumeAfter) continue;
          if (dataRows % YIELD_EVERY_ROWS === 0) await nextTurn();
          const parsed = parseRow(record, targets, line);
          const s = parsed.ok ? streams[partOfEmail(parsed.row.normalized, parts)] : byLine(line);
          if (line <= s.done) continue;
          if (parsed.ok) s.batch.stage.add(parsed.row, raw!);
          else {
            const email = record[targets.indexOf('email')];
            s.batch.issues.push(
              rejectedIssue(line, parsed.reason, rowData(header, record), email, job.workspace_id),
            );
          }
          if (s.batch.stage.rows + s.batch.issues.length >= this.env.LEADS_IMPORT_BATCH_ROWS) {
            await submit(s, line);
            if (!this.running) {
              await Promise.all(streams.map((x) => x.inflight));
              return true;
            }
          }
        }
      }
      for (const s of streams) await submit(s, Math.max(s.done, read.lastLine));
      await Promise.all(streams.map((s) => s.inflight));
      return false;
    } finally {
      // On a failure, no stream may still be writing when the job is marked failed.
      await Promise.allSettled(streams.map((s) => s.inflight));
    }
  }

  private sleep(ms: number): Promise<void> {
    // A shutdown that came during a claim found no wait to end: none may start after it.
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** One of a job's write streams (import-parts.ts) as the runner drives it. */
interface WriteStream {
  part: number;
  /** The last line this stream had committed when the job was claimed. */
  done: number;
  /** The batch being filled. */
  batch: Batch;
  /** The batch being written. */
  inflight: Promise<unknown>;
}

const emptyBatch = (job: ImportJobRow, part: number): Batch => ({
  part,
  stage: new StageBuffer(job),
  issues: [],
  lastLine: 0,
  bytesDone: 0,
});
