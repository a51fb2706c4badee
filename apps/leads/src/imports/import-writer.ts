import { Scope } from '@app/common';
import { LeadEventTypes, Topics } from '@app/contracts';
import { EntityManager } from 'typeorm';
import { joinCampaignByEmail } from '../leads/campaign-members';
import { emailHash } from '../leads/email';
import { LeadEvents } from '../leads/lead-events';
import { LEAD_FIELDS } from '../leads/lead-fields';
import { LeadRow, toContactData } from '../leads/lead-row';
import { copyFromStdin as copyIn } from '@app/database';
import { csvCells } from './csv-reader';
import { Batch, ImportJobRow, Issue, StagedRow } from './import-job';
import { rowData } from './import-issues';
import { ImportRow, parseRow } from './import-row';
import { COLUMNS, LEAD_COLUMN_LIST, ensureStage } from './import-stage';

/** Postgres' SQLSTATE for a unique violation. */
const UNIQUE_VIOLATION = '23505';

/** A lead a batch's row conflicted with. */
interface KnownLead {
  id: string;
  email_normalized: string;
  import_job_id: string | null;
  import_line: number;
}

/**
 * One batch of an import in one transaction: a COPY straight into leads when the batch's
 * addresses are all new, else a COPY into a session-local staging table and one INSERT …
 * SELECT … ON CONFLICT DO NOTHING into leads; then only the rows that conflicted are read back
 * and classified (in-file duplicate, known lead → skip or UPDATE … FROM
 * unnest), the issues, and the job checkpoint. Written as SQL because it is the import's hot
 * path (bench/import).
 */
export class ImportWriter {
  /** Write streams whose last batch met taken addresses (their next batch goes staged). */
  private readonly conflictingStreams = new Set<number>();

  constructor(
    private readonly job: ImportJobRow,
    private readonly worker: string,
    private readonly events: LeadEvents,
  ) {}

  private get scope(): Scope {
    return { tenantId: this.job.tenant_id, workspaceId: this.job.workspace_id };
  }

  /**
   * Insert first, ask later: new emails go in with ON CONFLICT DO NOTHING; only the rows
   * that conflicted are looked up, to tell in-file duplicates from known leads.
   */
  async write(
    m: EntityManager,
    batch: Batch,
  ): Promise<{ created: number; updated: number; skipped: number }> {
    const issues = [...batch.issues];
    const conflicted = await this.insert(m, batch);
    const created = batch.stage.rows - conflicted.length;
    const existing = await this.existing(
      m,
      conflicted.map((r) => r.normalized),
    );
    // Conflicts come back in line order. An email's first line in the file is the one that
    // created or updated its lead in this job (the lead says which), a known address's first
    // line skipped in an earlier batch (the issue rows say which), or else its first line in
    // this batch; every later line is a duplicate of that one, whatever happened to it.
    const firstLine = await this.skippedBefore(m, conflicted, existing);
    const toUpdate: { row: ImportRow; id: string }[] = [];
    for (const row of conflicted) {
      const found = existing.get(row.normalized);
      const first =
        found?.import_job_id === this.job.id ? found.import_line : firstLine.get(row.normalized);
      if (first !== undefined) {
        issues.push(this.skip(row, `duplicate of line ${first} in this file`));
        continue;
      }
      firstLine.set(row.normalized, row.line);
      if (!found) issues.push(this.skip(row, 'deleted by another request during the import'));
      else if (this.job.duplicate_policy === 'update')
        toUpdate.push({ row: this.reparse(row), id: found.id });
      else issues.push(this.skip(row, 'email already exists in the workspace (policy: skip)'));
    }
    const updated = toUpdate.length ? await this.update(m, toUpdate) : 0;
    // An import for a campaign adds every lead of its valid rows to the campaign: the new ones,
    // the updated ones and the known ones it skipped (campaign_id keeps the first touch).
    if (this.job.campaign_id)
      await joinCampaignByEmail(m, this.scope, this.job.campaign_id, batch.stage.addresses());
    await this.insertIssues(m, issues);
    const rejected = issues.filter((i) => i.outcome === 'rejected').length;
    const skipped = issues.length - rejected;
    const done = created + updated + skipped + rejected;
    const [rows, count] = await m.query(
      // This stream's resume point; lines_done is where every stream has got to. The streams
      // update this row in turn (it is the last statement, each waits for the other's commit).
      `UPDATE leads.import_jobs SET part_lines_done[$10::int] = $2::int,
         lines_done = (SELECT min(CASE WHEN p = $10::int THEN $2::int ELSE d END)
                         FROM unnest(part_lines_done) WITH ORDINALITY AS s(d, p)),
         rows_done = rows_done + $3, bytes_done = GREATEST(bytes_done, $4),
         created = created + $5, updated = updated + $6, skipped = skipped + $7, rejected = rejected + $8,
         heartbeat_at = now()
       WHERE id = $1 AND worker = $9 AND status = 'running'`,
      [
        this.job.id,
        batch.lastLine,
        done,
        batch.bytesDone,
        created,
        updated,
        skipped,
        rejected,
        this.worker,
        batch.part + 1,
      ],
    );
    // Another worker took the job over (we stalled): roll this batch back rather than count it twice.
    if (!count)
      throw new Error(`import ${this.job.id} is no longer ours (rows: ${rows?.length ?? 0})`);
    return { created, updated, skipped };
  }

  /** The full row again, for the few conflicting rows the `update` policy rewrites. */
  private reparse(row: StagedRow): ImportRow {
    const targets = this.job.mapping.targets as unknown as string[];
    const parsed = parseRow(csvCells(row.cells), targets, row.line);
    if (!parsed.ok) throw new Error(`line ${row.line} no longer parses: ${parsed.reason}`);
    return parsed.row;
  }

  private skip(row: StagedRow, reason: string): Issue {
    return {
      line: row.line,
      outcome: 'skipped',
      reason,
      emailHash: emailHash(this.job.workspace_id, row.normalized),
      data: rowData(this.job.mapping.header as unknown as string[], csvCells(row.cells)),
    };
  }

  /**
   * Policy `skip`: a known address whose first line in the file was skipped in an earlier
   * batch leaves no trace on the lead, so its later lines are matched to that first line
   * through the job's issue rows (otherwise they would say "already exists" or "duplicate"
   * depending on where the batches happen to be cut).
   */
  private async skippedBefore(
    m: EntityManager,
    conflicted: StagedRow[],
    existing: Map<string, KnownLead>,
  ): Promise<Map<string, number>> {
    if (this.job.duplicate_policy !== 'skip') return new Map();
    const known = [
      ...new Set(
        conflicted
          .filter((r) => {
            const found = existing.get(r.normalized);
            return found && found.import_job_id !== this.job.id;
          })
          .map((r) => r.normalized),
      ),
    ];
    if (!known.length) return new Map();
    const byHash = new Map(known.map((e) => [emailHash(this.job.workspace_id, e), e]));
    const rows: { email_hash: string; line: number }[] = await m.query(
      `SELECT email_hash, min(line) AS line FROM leads.import_issues
        WHERE job_id = $1 AND outcome = 'skipped' AND email_hash = ANY($2::text[])
        GROUP BY email_hash`,
      [this.job.id, [...byHash.keys()]],
    );
    return new Map(rows.map((r) => [byHash.get(r.email_hash)!, r.line]));
  }

  private async existing(m: EntityManager, emails: string[]): Promise<Map<string, KnownLead>> {
    if (!emails.length) return new Map();
    const rows: KnownLead[] = await m.query(
      `SELECT id, email_normalized, import_job_id, import_line FROM leads.leads
          WHERE workspace_id = $1 AND email_normalized = ANY($2::text[]) FOR UPDATE`,
      [this.job.workspace_id, emails],
    );
    return new Map(rows.map((r) => [r.email_normalized, r]));
  }

  /**
   * Writes the batch's rows and returns those that were not inserted (their email was taken),
   * in line order. The common case, a batch of new addresses, is one COPY straight into
   * leads.leads under a savepoint. A batch that repeats an address, one announced to triggered
   * campaigns, one of a stream whose previous batch met taken addresses, or one whose direct
   * COPY hit a unique violation takes the staged path instead.
   */
  private async insert(m: EntityManager, batch: Batch): Promise<StagedRow[]> {
    if (!batch.stage.rows) return [];
    const direct =
      !this.job.trigger_campaigns &&
      !batch.stage.repeatsAnEmail &&
      !this.conflictingStreams.has(batch.part);
    if (direct && (await this.copyDirect(m, batch))) return [];
    const conflicted = await this.insertStaged(m, batch);
    // A stream whose rows meet taken addresses likely does again: its next batch goes staged
    // too, until one comes through clean.
    if (conflicted.length) this.conflictingStreams.add(batch.part);
    else this.conflictingStreams.delete(batch.part);
    return conflicted;
  }

  /**
   * One COPY into leads.leads. Safe to skip the fsync wait: the checkpoint commits with the
   * rows, so a batch lost in a crash is simply redone on resume. A taken address (unique
   * violation) rolls back to the savepoint and answers false: nothing of the batch is kept.
   */
  private async copyDirect(m: EntityManager, batch: Batch): Promise<boolean> {
    try {
      await copyIn(
        m,
        `SET LOCAL synchronous_commit = off; SAVEPOINT import_direct;
         COPY leads.leads (${LEAD_COLUMN_LIST}) FROM STDIN`,
        batch.stage.finish(),
      );
      return true;
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await m.query('ROLLBACK TO SAVEPOINT import_direct');
      return false;
    }
  }

  /**
   * COPY the batch into the staging table, then one INSERT … SELECT … ON CONFLICT DO NOTHING
   * into leads, in email order (the unique index's pages are visited in sequence; the first
   * line of a repeated email wins). Returns the rows that were not inserted, in line order.
   */
  private async insertStaged(m: EntityManager, batch: Batch): Promise<StagedRow[]> {
    await ensureStage(m);
    // The INSERT below sorts the batch (~8 MB for 20,000 rows): over the 4 MB default
    // work_mem it went to disk.
    await copyIn(
      m,
      `SET LOCAL synchronous_commit = off; SET LOCAL work_mem = '32MB';
       COPY pg_temp.import_stage FROM STDIN`,
      batch.stage.finishStaged(),
    );
    const [{ n }]: { n: number }[] = await m.query(
      `WITH ins AS (
         INSERT INTO leads.leads (${LEAD_COLUMN_LIST})
         SELECT ${LEAD_COLUMN_LIST} FROM pg_temp.import_stage
         ORDER BY email_normalized, import_line
         ON CONFLICT (workspace_id, email_normalized) DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
    );
    if (n && this.job.trigger_campaigns) await this.announce(m);
    if (n === batch.stage.rows) return [];
    return m.query(
      `SELECT s.import_line AS line, s.email_normalized AS normalized, s.cells
         FROM pg_temp.import_stage s
        WHERE NOT EXISTS (SELECT 1 FROM leads.leads l WHERE l.id = s.id)
        ORDER BY s.import_line`,
    );
  }

  /**
   * `triggerCampaigns`: one lead.captured per lead this batch created, written to the outbox
   * set-based from the staging table (one statement, no per-row round trip or JSON in Node),
   * the same envelope and data LeadEvents builds for a capture.
   */
  private async announce(m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO leads.outbox (topic, message_key, payload)
       SELECT $1, l.id::text, jsonb_strip_nulls(jsonb_build_object(
           'eventId', gen_random_uuid(), 'type', $2::text, 'version', 1,
           'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'tenantId', l.tenant_id, 'workspaceId', l.workspace_id, 'leadId', l.id,
           'requestId', $3::text))
         || jsonb_build_object('data', jsonb_build_object(
           'leadId', l.id, 'source', l.source, 'campaignId', l.campaign_id, 'merged', false,
           'mergedFields', '[]'::jsonb, 'status', l.status, 'importJobId', l.import_job_id,
           'contact', jsonb_build_object('email', l.email, 'firstName', l.first_name,
             'lastName', l.last_name, 'company', l.company, 'title', l.title, 'phone', l.phone,
             'timezone', l.timezone, 'consent', l.consent_email, 'customFields', l.custom_fields)))
         FROM pg_temp.import_stage s JOIN leads.leads l ON l.id = s.id
        ORDER BY l.id`,
      [Topics.lead, LeadEventTypes.captured, this.job.request_id],
    );
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
