import { EntityManager } from 'typeorm';
import { emailHash } from '../leads/email';
import { LEAD_FIELDS } from '../leads/lead-fields';
import { copyTextCell as copyCell } from '@app/database';
import { uuidV7Batch } from '../sql/uuid-v7';
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

/** A plain field's COPY cell: absent is `\\N`; numbers and booleans need no escaping. */
const cell = (v: string | number | boolean | undefined): string =>
  v === undefined ? '\\N' : typeof v === 'string' ? copyCell(v) : String(v);

/** Text accumulated before it is turned into one Buffer: small enough to stay young garbage. */
const CHUNK_CHARS = 32 * 1024;
const ID_BLOCK = 1024;

/**
 * A batch's valid rows as COPY text for pg_temp.import_stage, built row by row while the file
 * is parsed. The rows live only as bytes in ~32 KB Buffers (outside the JS heap), so a batch
 * of 20,000 rows holds no per-row objects; the few rows that conflict are read back from the
 * staging table, original cells included.
 */
export class StageBuffer {
  readonly chunks: Buffer[] = [];
  rows = 0;
  private text = '';
  private ids: string[] = [];
  private nextId = 0;

  constructor(private readonly workspaceId: string) {}

  add(row: ImportRow): void {
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
      row.line +
      '\t' +
      copyCell(row.email) +
      '\t' +
      copyCell(row.normalized) +
      '\t' +
      emailHash(this.workspaceId, row.normalized) +
      '\t' +
      cell(f.status) +
      '\t' +
      cell(f.notes) +
      '\t' +
      cell(f.consent) +
      '\t' +
      cell(f.source) +
      '\t' +
      copyCell(JSON.stringify(row.customFields));
    for (let i = 0; i < FIELDS.length; i++) line += '\t' + cell(f[FIELDS[i]]);
    // The cells as read, for the skipped-rows report of the few rows that will conflict.
    this.text += line + '\t' + copyCell(JSON.stringify(row.record)) + '\n';
    this.rows++;
    if (this.text.length >= CHUNK_CHARS) this.flush();
  }

  /** The COPY payload, complete. */
  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  private flush(): void {
    if (!this.text) return;
    this.chunks.push(Buffer.from(this.text));
    this.text = '';
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
  const cols = COLUMNS.map(([f, type]) => `${LEAD_FIELDS[f].column} ${type}`);
  await m.query(
    `CREATE TEMP TABLE import_stage (id uuid, line int, email text, norm text,
       hash text, status text, notes text, consent boolean, source text, custom jsonb,
       ${cols.join(', ')}, cells text) ON COMMIT DELETE ROWS`,
  );
}
