import { LeadEventTypes } from '@app/contracts';
import { Injectable, Logger } from '@nestjs/common';
import * as fs from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { LeadEvents } from '../leads/lead-events';
import { ImportJobRow } from './import-job';

/** The end of a job: final status, the `lead.imported` summary, and the spooled file removed. */
@Injectable()
export class ImportFinisher {
  private readonly logger = new Logger('ImportFinisher');

  constructor(
    private readonly ds: DataSource,
    private readonly events: LeadEvents,
  ) {}

  complete(job: ImportJobRow, worker: string) {
    return this.end(job, worker, 'completed', null);
  }

  fail(job: ImportJobRow, worker: string, error: string) {
    return this.end(job, worker, 'failed', error);
  }

  private async end(
    job: ImportJobRow,
    worker: string,
    status: 'completed' | 'failed',
    error: string | null,
  ) {
    const final = await this.ds.transaction(async (m) => {
      const [rows] = await m.query(
        `UPDATE leads.import_jobs SET status = $3, error = $4, finished_at = now(), worker = NULL,
                bytes_done = CASE WHEN $3 = 'completed' THEN file_bytes ELSE bytes_done END
          WHERE id = $1 AND worker = $2 RETURNING *`,
        [job.id, worker, status, error],
      );
      const row: ImportJobRow | undefined = rows[0];
      if (!row) return undefined;
      // A summary, not one event per row: a million lead.captured events would flood consumers.
      await this.events.emit(
        m,
        { tenantId: row.tenant_id, workspaceId: row.workspace_id },
        LeadEventTypes.imported,
        undefined,
        {
          jobId: row.id,
          campaignId: row.campaign_id,
          status,
          created: row.created,
          updated: row.updated,
          skipped: row.skipped,
          rejected: row.rejected,
        },
      );
      return row;
    });
    this.events.flush();
    // The upload holds personal data; once the job is over it has no reason to stay.
    await fs.rm(job.file_path, { force: true }).catch((err: Error) =>
      this.logger.warn({
        msg: 'could not remove import file',
        jobId: job.id,
        error: err.message,
      }),
    );
    return final
      ? {
          created: final.created,
          updated: final.updated,
          skipped: final.skipped,
          rejected: final.rejected,
        }
      : {};
  }
}
