import { EntityManager } from 'typeorm';
import { normalizedEmailHash } from '../leads/email';
import { LEAD_FIELDS } from '../leads/lead-fields';
import { copyTextCell } from '@app/database';
import { uuidV7Batch } from '../sql/uuid-v7';
import { BatchAddresses } from './batch-addresses';
import { ImportJobRow } from './import-job';
import { ImportRow } from './import-row';

/** Plain columns an import writes, with their Postgres types. */
export const COLUMNS: [field: string, type: string][] = [
  ['firstName', 'text'],
  ['lastName', 'text'],
  ['company', 'text'],
  ['phone', 'text'],
  ['title', 'text'],
  ['companySize', 'int'],
  ['industry', 'text'],
  ['country', 'text'],
  ['leadScore', 'int'],
  ['engagementScore', 'int'],
  ['interestLevel', 'text'],
  ['budgetRange', 'text'],
  ['timeline', 'text'],
  ['utmSource', 'text'],
  ['utmMedium', 'text'],
  ['utmCampaign', 'text'],
  ['salesStage', 'text'],
  ['salesRep', 'text'],
  ['timezone', 'text'],
];

export const COLUMN_NAMES = COLUMNS.map(([f]) => LEAD_FIELDS[f].column);
const FIELDS = COLUMNS.map(([f]) => f);

/**
 * The leads columns an import writes, with their types, in the order StageBuffer writes each
 * row: the same bytes go straight into leads.leads, or into the staging table when they must
 * be checked against the workspace first (import-writer.ts).
 */
const LEAD_COLUMNS: [column: string, type: string][] = [
  ['id', 'uuid'],
  ['tenant_id', 'uuid'],
  ['workspace_id', 'uuid'],
  ['campaign_id', 'uuid'],
  ['import_job_id', 'uuid'],
  ['import_line', 'int'],
  ['email', 'text'],
  // Byte order, like the column (migration 1732690100010): the staged INSERT sorts by it.
  ['email_normalized', 'text COLLATE "C"'],
  ['email_hash', 'text'],
  ['status', 'text'],
  ['notes', 'text'],
  ['consent_email', 'boolean'],
  ['consent_source', 'text'],
  ['consent_at', 'timestamptz'],
  ['source', 'text'],
  ['custom_fields', 'jsonb'],
  ...COLUMNS.map(([f, type]): [string, string] => [LEAD_FIELDS[f].column, type]),
];
export const LEAD_COLUMN_LIST = LEAD_COLUMNS.map(([c]) => c).join(', ');

/**
 * Bound once: `@app/database` re-exports it through a getter that looks the name up by key,
 * which cost ~0.3 s of the leads service's CPU per 1,000,000 rows at ~10 calls a row.
 */
const copyCell = copyTextCell;

/** A plain field's COPY cell: absent is `\\N`; numbers and booleans need no escaping. */
const cell = (v: string | number | boolean | undefined): string =>
  v === undefined ? '\\N' : typeof v === 'string' ? copyCell(v) : String(v);

/** Text accumulated before it is turned into one Buffer: small enough to stay young garbage. */
const CHUNK_CHARS = 32 * 1024;
const ID_BLOCK = 1024;

/** What a StageBuffer needs of its job: the values every row of it carries. */
export type StageJob = Pick<
  ImportJobRow,
  'id' | 'tenant_id' | 'workspace_id' | 'campaign_id' | 'source'
>;

/**
 * A batch's valid rows as COPY text in leads.leads' own columns (LEAD_COLUMNS), built row by
 * row while the file is parsed, and beside them each row's text as in the file (for the report
 * of rows that turn out to be skipped: csvCells reads it again). Both live only as bytes in ~32 KB Buffers (outside the JS
 * heap); whether the batch repeats an address is kept as hashes in typed arrays
 * (BatchAddresses), so a batch keeps no per-row objects (a job with a campaign also keeps its
 * addresses, for the memberships).
 */
export class StageBuffer {
  rows = 0;
  /** Whether two rows of this batch have the same address (the direct COPY would fail). */
  repeatsAnEmail = false;
  private readonly chunks: Buffer[] = [];
  private readonly cellChunks: Buffer[] = [];
  private text = '';
  private cells = '';
  private ids: string[] = [];
  private nextId = 0;
  private readonly seen = new BatchAddresses();
  /** The addresses themselves, for a campaign's memberships (import-writer.ts). */
  private readonly emails?: Set<string>;
  /** The job's constant cells: tenant, workspace, campaign, job. */
  private readonly jobCells: string;
  /** When consent given in the file was recorded: when the batch was read. */
  private readonly consentAt: string;

  constructor(private readonly job: StageJob) {
    this.jobCells = [job.tenant_id, job.workspace_id, job.campaign_id, job.id]
      .map((v) => copyCell(v))
      .join('\t');
    this.consentAt = new Date().toISOString();
    if (job.campaign_id) this.emails = new Set();
  }

  /** A parsed row, with its record's text as in the file (CsvRecord.raw). */
  add(row: ImportRow, raw: string): void {
    if (this.nextId === this.ids.length) {
      // Time-ordered ids land at the right edge of the id indexes instead of random pages.
      this.ids = uuidV7Batch(ID_BLOCK);
      this.nextId = 0;
    }
    const f = row.fields;
    // One string per row, appended cell by cell (no per-row array of cells, no join): this
    // is the import's hottest Node code. Ids and hashes are hex, numbers and booleans need
    // nothing; text is escaped only when it holds one of COPY's special characters.
    let line =
      this.ids[this.nextId++] +
      '\t' +
      this.jobCells +
      '\t' +
      row.line +
      '\t' +
      copyCell(row.email) +
      '\t' +
      copyCell(row.normalized) +
      '\t' +
      normalizedEmailHash(this.job.workspace_id, row.normalized) +
      '\t' +
      copyCell((f.status as string | undefined) ?? 'new') +
      '\t' +
      cell(f.notes) +
      '\t' +
      cell(f.consent) +
      (f.consent === undefined ? '\t\\N\t\\N\t' : `\timport\t${this.consentAt}\t`) +
      copyCell((f.source as string | undefined) ?? this.job.source) +
      '\t' +
      copyCell(JSON.stringify(row.customFields));
    for (let i = 0; i < FIELDS.length; i++) line += '\t' + cell(f[FIELDS[i]]);
    this.text += line + '\n';
    this.cells += copyCell(raw) + '\n';
    this.rows++;
    if (this.seen.add(row.normalized)) this.repeatsAnEmail = true;
    this.emails?.add(row.normalized);
    if (this.text.length >= CHUNK_CHARS) this.flush();
  }

  /** The batch's distinct normalised addresses (kept only for a job with a campaign). */
  addresses(): string[] {
    return [...(this.emails ?? [])];
  }

  /** The rows as COPY text for leads.leads (LEAD_COLUMN_LIST). */
  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  /** The rows with their text as in the file as a last column, for pg_temp.import_stage. */
  finishStaged(): Buffer[] {
    const rows = Buffer.concat(this.finish()).toString('utf8').split('\n');
    const cells = Buffer.concat(this.cellChunks).toString('utf8').split('\n');
    const out: Buffer[] = [];
    let text = '';
    // Both end with a newline, so the last element of each is empty.
    for (let i = 0; i < rows.length - 1; i++) {
      text += rows[i] + '\t' + cells[i] + '\n';
      if (text.length >= CHUNK_CHARS) {
        out.push(Buffer.from(text));
        text = '';
      }
    }
    if (text) out.push(Buffer.from(text));
    return out;
  }

  private flush(): void {
    if (this.text) this.chunks.push(Buffer.from(this.text));
    if (this.cells) this.cellChunks.push(Buffer.from(this.cells));
    this.text = '';
    this.cells = '';
  }
}

/**
 * pg_temp.import_stage: a batch's rows, typed, private to this connection, emptied at every
 * commit (ON COMMIT DELETE ROWS) and never WAL-logged. Created by the first batch a pooled
 * connection writes, inside that batch's transaction, so it is looked up at every batch (one
 * catalog lookup) rather than remembered in Node: a first batch that rolled back took the table
 * with it, and the connection used to fail every later batch with "relation does not exist".
 *
 * Nothing depends on `temp_buffers`: it only decides how much of the table stays in the
 * session's memory; the rest of a batch (~10 MB for 20,000 rows, over the 8 MB default) goes
 * to a temporary file in the OS cache. It is not raised here: it can only change before the
 * session first touches a temporary table, which a pooled connection cannot promise.
 */
export async function ensureStage(m: EntityManager): Promise<void> {
  const [{ staged }]: { staged: boolean }[] = await m.query(
    `SELECT to_regclass('pg_temp.import_stage') IS NOT NULL AS staged`,
  );
  if (staged) return;
  const cols = LEAD_COLUMNS.map(([column, type]) => `${column} ${type}`);
  await m.query(
    `CREATE TEMP TABLE import_stage (${cols.join(', ')}, cells text) ON COMMIT DELETE ROWS`,
  );
}
