import {
  buildPagination,
  currentContext,
  NotFoundError,
  Paged,
  resolvePage,
  Scope,
  ValidationError,
} from '@app/common';
import { CreateImportInput, ExportPage, ImportIssueView, ImportJobView } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { csvRow } from '../exports/csv-cells';
import { LEADS_ENV, LeadsEnv } from '../leads-env';
import { isBlank, readCsvFile } from './csv-reader';
import { resolveMapping } from './header-mapping';
import { ImportRunner } from './import-runner';
import { toImportView } from './import-view';
import { ImportJobRow } from './import-job';

/** Creating and reading import jobs; the work itself is ImportRunner's. */
@Injectable()
export class ImportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly runner: ImportRunner,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {}

  async create(scope: Scope, input: CreateImportInput): Promise<ImportJobView> {
    const file = this.spooled(input.filePath);
    try {
      const header = await firstRecord(file);
      if (!header?.length)
        throw new ValidationError('The file is empty', [
          { field: 'file', message: 'no header row' },
        ]);
      const targets = resolveMapping(header, input.mapping);
      await this.assertRowLimit(file);
      const [row]: ImportJobRow[] = await this.ds.query(
        `INSERT INTO leads.import_jobs (tenant_id, workspace_id, campaign_id, file_path, file_name, file_bytes,
           duplicate_policy, source, mapping, request_id, trigger_campaigns)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [
          scope.tenantId,
          scope.workspaceId,
          input.campaignId ?? null,
          file,
          input.fileName,
          input.fileBytes,
          input.duplicatePolicy ?? 'skip',
          input.source ?? 'import',
          JSON.stringify({ header, targets }),
          currentContext()?.requestId ?? null,
          input.triggerCampaigns === true,
        ],
      );
      this.runner.poke();
      return toImportView(row);
    } catch (err) {
      fs.rmSync(file, { force: true });
      throw err;
    }
  }

  /** Only files inside our spool directory: the RPC must not become a way to read any path. */
  private spooled(filePath: string): string {
    const dir = path.resolve(this.env.LEADS_IMPORT_DIR);
    const file = path.resolve(filePath);
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file))
      throw new ValidationError('The uploaded file is not in the import spool directory', [
        { field: 'file', message: 'upload the file through the API' },
      ]);
    return file;
  }

  /** A newline count bounds the rows cheaply; only a file near the limit is parsed to be sure. */
  private async assertRowLimit(file: string): Promise<void> {
    const max = this.env.LEADS_IMPORT_MAX_ROWS;
    let newlines = 0;
    for await (const chunk of fs.createReadStream(file, {
      highWaterMark: 1 << 20,
    }) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    }
    if (newlines <= max) return;
    // Rows as the runner counts them: records after the header that are not blank.
    let records = -1;
    count: for await (const chunk of readCsvFile(file, 1 << 20))
      for (const { cells } of chunk) if (cells && !isBlank(cells) && ++records > max) break count;
    if (records > max)
      throw new ValidationError(
        `The file has more than ${max} rows (LEADS_IMPORT_MAX_ROWS)`,
        [{ field: 'file', message: `at most ${max} rows per import` }],
        'IMPORT_TOO_MANY_ROWS',
      );
  }

  async find(scope: Scope, id: string): Promise<ImportJobRow> {
    const [row]: ImportJobRow[] = await this.ds.query(
      `SELECT * FROM leads.import_jobs WHERE id = $1 AND tenant_id = $2 AND workspace_id = $3`,
      [id, scope.tenantId, scope.workspaceId],
    );
    if (!row) throw new NotFoundError('Import', id);
    return row;
  }

  async get(scope: Scope, id: string): Promise<ImportJobView> {
    return toImportView(await this.find(scope, id));
  }

  async list(scope: Scope, q: { page?: number; limit?: number }): Promise<Paged<ImportJobView>> {
    const { limit, offset } = resolvePage(q);
    const [{ total }] = await this.ds.query(
      `SELECT count(*)::int AS total FROM leads.import_jobs WHERE tenant_id = $1 AND workspace_id = $2`,
      [scope.tenantId, scope.workspaceId],
    );
    const rows: ImportJobRow[] = await this.ds.query(
      `SELECT * FROM leads.import_jobs WHERE tenant_id = $1 AND workspace_id = $2
       ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [scope.tenantId, scope.workspaceId, limit, offset],
    );
    return {
      items: rows.map((r) => toImportView(r)),
      pagination: buildPagination(total, limit, offset),
    };
  }

  async issues(
    scope: Scope,
    id: string,
    q: { page?: number; limit?: number },
  ): Promise<Paged<ImportIssueView>> {
    await this.find(scope, id);
    const { limit, offset } = resolvePage(q);
    const [{ total }] = await this.ds.query(
      `SELECT count(*)::int AS total FROM leads.import_issues WHERE job_id = $1`,
      [id],
    );
    const rows = await this.ds.query(
      `SELECT line, outcome, reason, data FROM leads.import_issues WHERE job_id = $1 ORDER BY line LIMIT $2 OFFSET $3`,
      [id, limit, offset],
    );
    return { items: rows, pagination: buildPagination(total, limit, offset) };
  }

  /** One page of the issues as CSV (line, outcome, reason, then the row's own columns). */
  async issuesCsv(scope: Scope, id: string, afterLine?: number, limit = 5000): Promise<ExportPage> {
    const job = await this.find(scope, id);
    const header = job.mapping.header as unknown as string[];
    const rows: { line: number; outcome: string; reason: string; data: Record<string, string> }[] =
      await this.ds.query(
        `SELECT line, outcome, reason, data FROM leads.import_issues WHERE job_id = $1 AND line > $2
         ORDER BY line LIMIT $3`,
        [id, afterLine ?? 0, limit],
      );
    let csv = afterLine === undefined ? csvRow(['line', 'outcome', 'reason', ...header]) : '';
    for (const r of rows)
      csv += csvRow([r.line, r.outcome, r.reason, ...header.map((h) => r.data[h] ?? '')]);
    return {
      csv,
      rows: rows.length,
      nextAfterId: rows.length === limit ? String(rows[rows.length - 1].line) : null,
    };
  }
}

/** The header: the file's first record that is not blank, read as the runner reads it. */
async function firstRecord(file: string): Promise<string[] | undefined> {
  for await (const records of readCsvFile(file, 64 * 1024))
    for (const { cells, error } of records) {
      if (error)
        throw new ValidationError(`The CSV header cannot be read: ${error}`, [
          { field: 'file', message: 'not a readable CSV file' },
        ]);
      if (cells && !isBlank(cells)) return cells.map((h) => h.trim());
    }
  return undefined;
}
