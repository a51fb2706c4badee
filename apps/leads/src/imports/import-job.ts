import { StageBuffer } from './import-stage';

/** A leads.import_jobs row: the job's state, progress and resume point live in Postgres. */
export interface ImportJobRow {
  id: string;
  tenant_id: string;
  workspace_id: string;
  campaign_id: string | null;
  status: string;
  file_path: string;
  file_name: string;
  file_bytes: string;
  duplicate_policy: 'skip' | 'update';
  trigger_campaigns: boolean;
  source: string;
  mapping: Record<string, string>;
  request_id: string | null;
  lines_done: number;
  /** Per write stream, the last line it committed (set at claim: import-parts.ts). */
  part_lines_done: number[] | null;
  rows_done: number;
  bytes_done: string;
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
  error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
}

export interface Issue {
  line: number;
  outcome: 'rejected' | 'skipped';
  reason: string;
  emailHash: string | null;
  data: Record<string, string>;
}

/** A row read back from the staging table because its email was taken. */
export interface StagedRow {
  line: number;
  normalized: string;
  /** The record's text as in the file (csvCells gives its cells). */
  cells: string;
}

export interface Batch {
  /** The write stream (import-parts.ts) whose rows these are, from 0. */
  part: number;
  /** The valid rows, as COPY text. */
  stage: StageBuffer;
  issues: Issue[];
  /**
   * The last file line this batch covers: its stream's checkpoint, which a restarted job
   * resumes that stream after (every row of the stream up to here is in this batch or earlier).
   */
  lastLine: number;
  bytesDone: number;
}
