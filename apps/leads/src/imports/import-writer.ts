import { Scope } from '@app/common';
import { LeadEventTypes } from '@app/contracts';
import { EntityManager } from 'typeorm';
import { emailHash } from '../leads/email';
import { LeadEvents } from '../leads/lead-events';
import { LEAD_FIELDS } from '../leads/lead-fields';
import { LeadRow, toContactData } from '../leads/lead-row';
import { uuidV7Batch } from '../sql/uuid-v7';
import { Batch, ImportJobRow, Issue, PreparedBatch } from './import-job';
import { rowData } from './import-issues';
import { ImportRow } from './import-row';

/** Plain columns an import writes, with the Postgres array type unnest needs. */
const COLUMNS: [field: string, type: string][] = [
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

/**
 * One batch of an import in one transaction: classify against the workspace, multi-row
 * INSERT … SELECT FROM unnest(arrays) for new leads (one bind parameter per column, not per
 * cell), UPDATE … FROM unnest for the `update` policy, the issues, and the job checkpoint.
 * Written as SQL because it is the import's hot path (bench/import).
 */
export class ImportWriter {
  constructor(
    private readonly job: ImportJobRow,
    private readonly worker: string,
    private readonly events: LeadEvents,
  ) {}

  private get scope(): Scope {
    return { tenantId: this.job.tenant_id, workspaceId: this.job.workspace_id };
  }

  /**
   * Everything that needs no database, done before the batch's transaction opens (and while
   * the previous batch is still being written): in-file duplicates, ids, hashes, the arrays.
   */
  prepare(batch: Batch): PreparedBatch {
    const issues = [...batch.issues];
    const firstLine = new Map<string, number>();
    const unique: ImportRow[] = [];
    for (const row of batch.rows) {
      const seen = firstLine.get(row.normalized);
      if (seen !== undefined) issues.push(this.skip(row, `duplicate of line ${seen} in this file`));
      else {
        firstLine.set(row.normalized, row.line);
        unique.push(row);
      }
    }
    // In email order the unique index's leaf pages are visited once each, in sequence.
    unique.sort((a, b) => (a.normalized < b.normalized ? -1 : 1));
    return { batch, unique, issues, arrays: this.insertArrays(unique) };
  }

  /**
   * Insert first, ask later: new emails go in with ON CONFLICT DO NOTHING; only the rows
   * that conflicted are looked up, to tell in-file duplicates from known leads.
   */
  async write(
    m: EntityManager,
    prepared: PreparedBatch,
  ): Promise<{ created: number; updated: number; skipped: number }> {
    const { batch, unique, issues } = prepared;
    // Safe to skip the fsync wait: the checkpoint commits with the rows, so a batch lost in a
    // crash is simply redone on resume.
    await m.query('SET LOCAL synchronous_commit = off');
    const inserted = await this.insert(m, prepared.arrays);
    const conflicted = unique.filter((r) => !inserted.has(r.normalized));
    const existing = await this.existing(
      m,
      conflicted.map((r) => r.normalized),
    );
    const toUpdate: { row: ImportRow; id: string }[] = [];
    for (const row of conflicted) {
      const found = existing.get(row.normalized);
      if (!found) issues.push(this.skip(row, 'deleted by another request during the import'));
      else if (found.import_job_id === this.job.id)
        issues.push(this.skip(row, `duplicate of line ${found.import_line} in this file`));
      else if (this.job.duplicate_policy === 'update') toUpdate.push({ row, id: found.id });
      else issues.push(this.skip(row, 'email already exists in the workspace (policy: skip)'));
    }
    const updated = toUpdate.length ? await this.update(m, toUpdate) : 0;
    await this.insertIssues(m, issues);
    const rejected = issues.filter((i) => i.outcome === 'rejected').length;
    const skipped = issues.length - rejected;
    const done = inserted.size + updated + skipped + rejected;
    const [rows, count] = await m.query(
      `UPDATE leads.import_jobs SET lines_done = $2, rows_done = rows_done + $3, bytes_done = $4,
         created = created + $5, updated = updated + $6, skipped = skipped + $7, rejected = rejected + $8,
         heartbeat_at = now()
       WHERE id = $1 AND worker = $9 AND status = 'running'`,
      [
        this.job.id,
        batch.lastLine,
        done,
        batch.bytesDone,
        inserted.size,
        updated,
        skipped,
        rejected,
        this.worker,
      ],
    );
    // Another worker took the job over (we stalled): roll this batch back rather than count it twice.
    if (!count)
      throw new Error(`import ${this.job.id} is no longer ours (rows: ${rows?.length ?? 0})`);
    return { created: inserted.size, updated, skipped };
  }

  private skip(row: ImportRow, reason: string): Issue {
    return {
      line: row.line,
      outcome: 'skipped',
      reason,
      emailHash: emailHash(this.job.workspace_id, row.normalized),
      data: rowData(this.job.mapping.header as unknown as string[], row.record),
    };
  }

  private async existing(m: EntityManager, emails: string[]) {
    if (!emails.length) return new Map();
    const rows: {
      id: string;
      email_normalized: string;
      import_job_id: string | null;
      import_line: number | null;
    }[] = await m.query(
      `SELECT id, email_normalized, import_job_id, import_line FROM leads.leads
          WHERE workspace_id = $1 AND email_normalized = ANY($2::text[]) FOR UPDATE`,
      [this.job.workspace_id, emails],
    );
    return new Map(rows.map((r) => [r.email_normalized, r]));
  }

  private insertArrays(rows: ImportRow[]): unknown[][] {
    return [
      uuidV7Batch(rows.length),
      rows.map((r) => r.line),
      rows.map((r) => r.email),
      rows.map((r) => r.normalized),
      rows.map((r) => emailHash(this.job.workspace_id, r.normalized)),
      rows.map((r) => (r.fields.status as string) ?? null),
      rows.map((r) => (r.fields.notes as string) ?? null),
      rows.map((r) => (r.fields.consent as boolean) ?? null),
      rows.map((r) => (r.fields.source as string) ?? null),
      rows.map((r) => JSON.stringify(r.customFields)),
      ...COLUMNS.map(([f]) => rows.map((r) => r.fields[f] ?? null)),
    ];
  }

  private async insert(m: EntityManager, arrays: unknown[][]): Promise<Set<string>> {
    if (!arrays[0].length) return new Set();
    const types = [
      'uuid',
      'int',
      'text',
      'text',
      'text',
      'text',
      'text',
      'boolean',
      'text',
      'jsonb',
      ...COLUMNS.map(([, t]) => t),
    ];
    const names = [
      'id',
      'line',
      'email',
      'norm',
      'hash',
      'status',
      'notes',
      'consent',
      'source',
      'custom',
      ...COLUMNS.map(([f]) => f),
    ];
    const base = 5;
    const unnest = arrays.map((_, i) => `$${base + i + 1}::${types[i]}[]`).join(', ');
    const cols = COLUMNS.map(([f]) => LEAD_FIELDS[f].column);
    const result: { email_normalized: string }[] = await m.query(
      `INSERT INTO leads.leads (id, tenant_id, workspace_id, campaign_id, import_job_id, import_line, email,
         email_normalized, email_hash, status, notes, consent_email, consent_source, consent_at, source,
         custom_fields, ${cols.join(', ')})
       SELECT u.id, $1, $2, $3, $4, u.line, u.email, u.norm, u.hash, COALESCE(u.status, 'new'), u.notes,
         COALESCE(u.consent, true), CASE WHEN u.consent IS NOT NULL THEN 'import' END,
         CASE WHEN u.consent IS NOT NULL THEN now() END, COALESCE(u.source, $5), u.custom,
         ${COLUMNS.map(([f]) => `u."${f}"`).join(', ')}
       FROM unnest(${unnest}) AS u(${names.map((n) => `"${n}"`).join(', ')})
       ON CONFLICT (workspace_id, email_normalized) DO NOTHING
       RETURNING email_normalized`,
      [
        this.job.tenant_id,
        this.job.workspace_id,
        this.job.campaign_id,
        this.job.id,
        this.job.source,
        ...arrays,
      ],
    );
    return new Set(result.map((r) => r.email_normalized));
  }

  /** `update` policy: non-empty cells overwrite, custom fields merge; status is never moved by an import. */
  private async update(m: EntityManager, items: { row: ImportRow; id: string }[]): Promise<number> {
    const rows = items.map((i) => i.row);
    const arrays: unknown[][] = [
      items.map((i) => i.id),
      rows.map((r) => r.line),
      rows.map((r) => (r.fields.notes as string) ?? null),
      rows.map((r) => (r.fields.consent as boolean) ?? null),
      rows.map((r) => JSON.stringify(r.customFields)),
      ...COLUMNS.map(([f]) => rows.map((r) => r.fields[f] ?? null)),
    ];
    const types = ['uuid', 'int', 'text', 'boolean', 'jsonb', ...COLUMNS.map(([, t]) => t)];
    const names = ['id', 'line', 'notes', 'consent', 'custom', ...COLUMNS.map(([f]) => f)];
    const sets = COLUMNS.map(
      ([f]) => `${LEAD_FIELDS[f].column} = COALESCE(u."${f}", l.${LEAD_FIELDS[f].column})`,
    );
    const after: LeadRow[] = await m
      .query(
        `UPDATE leads.leads l SET ${sets.join(', ')},
         notes = COALESCE(u.notes, l.notes),
         consent_email = COALESCE(u.consent, l.consent_email),
         consent_at = CASE WHEN u.consent IS DISTINCT FROM l.consent_email AND u.consent IS NOT NULL THEN now() ELSE l.consent_at END,
         custom_fields = l.custom_fields || u.custom,
         campaign_id = COALESCE(l.campaign_id, $3),
         import_job_id = $2, import_line = u.line, updated_at = now()
       FROM unnest(${arrays.map((_, i) => `$${i + 4}::${types[i]}[]`).join(', ')}) AS u(${names.map((n) => `"${n}"`).join(', ')})
       WHERE l.id = u.id AND l.workspace_id = $1
       RETURNING l.*`,
        [this.job.workspace_id, this.job.id, this.job.campaign_id, ...arrays],
      )
      .then((r: [LeadRow[], number]) => r[0]);
    // Consumers that keep contact copies (the executor) must see changes an import makes.
    await this.events.emitMany(
      m,
      after.map((r) =>
        this.events.build(this.scope, LeadEventTypes.updated, r.id, {
          leadId: r.id,
          changed: ['import'],
          contact: toContactData(r),
          importJobId: this.job.id,
        }),
      ),
    );
    return after.length;
  }

  private async insertIssues(m: EntityManager, issues: Issue[]): Promise<void> {
    if (!issues.length) return;
    await m.query(
      `INSERT INTO leads.import_issues (job_id, line, outcome, reason, email_hash, data)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
       ON CONFLICT DO NOTHING`,
      [
        this.job.id,
        issues.map((i) => i.line),
        issues.map((i) => i.outcome),
        issues.map((i) => i.reason),
        issues.map((i) => i.emailHash),
        issues.map((i) => JSON.stringify(i.data)),
      ],
    );
  }
}
