import { uuidv7Prefix } from '@app/common';
import { AUDIENCE_COPY_COLUMNS, AudienceContact } from '@app/contracts';
import { copyFromStdin, copyTextLine, pgClientOf } from '@app/database';
import { EntityManager } from 'typeorm';

export interface EnrollTarget {
  tenantId: string;
  workspaceId: string;
  campaignId: string;
  stepIndex: number;
  runAt: Date;
}

/**
 * A page of the audience in COPY's text format, one line per contact: the enrollment id it will
 * get, then the contact. Built as soon as the page arrives, so the page's contact objects can
 * be collected while it waits for a writer (a few MB outside the JS heap instead of one object
 * per contact).
 */
export interface StagedPage {
  rows: number;
  payload: Buffer;
}

/**
 * A page of the audience as the leads service sends it in the `copy` format (one COPY text
 * line per contact, AUDIENCE_COPY_COLUMNS), each line prefixed with its enrollment id: the
 * page goes from the RPC reply to COPY without an object per contact.
 */
export function stageCopyPage(copy: { rows: number; text: string }): StagedPage {
  // Enrollment ids made here rather than by the column default (a UUIDv7 from
  // gen_random_uuid(), which cost Postgres a call to the system's random source per row, the
  // largest single cost of a page): a UUIDv7 prefix per page and a 32-bit row counter, so a
  // page's ids are distinct, ascending (appended to the primary key in order) and unguessable
  // across pages.
  const prefix = uuidv7Prefix();
  const { text } = copy;
  let out = '';
  let from = 0;
  for (let i = 0; i < copy.rows; i++) {
    const end = text.indexOf('\n', from) + 1;
    if (end === 0) throw new Error(`audience page: ${copy.rows} rows announced, ${i} received`);
    out += `${prefix}${i.toString(16).padStart(8, '0')}\t${text.slice(from, end)}`;
    from = end;
  }
  if (from !== text.length) throw new Error(`audience page: more than ${copy.rows} rows received`);
  return { rows: copy.rows, payload: Buffer.from(out) };
}

/** Contacts as objects (test recipients, triggered enrollment) staged the same way. */
export function stagePage(contacts: AudienceContact[]): StagedPage {
  return stageCopyPage(contactsAsCopy(contacts));
}

/** Contacts in the audience `copy` format (AUDIENCE_COPY_COLUMNS). */
export function contactsAsCopy(contacts: AudienceContact[]): { rows: number; text: string } {
  let text = '';
  for (const c of contacts)
    text += copyTextLine([
      c.id,
      c.email,
      c.firstName,
      c.lastName,
      c.company,
      c.title,
      c.phone,
      c.timezone,
      c.source,
      c.segmentId,
      customFieldsText(c.customFields),
    ]);
  return { rows: contacts.length, text };
}

function customFieldsText(fields: Record<string, unknown> | null | undefined): string {
  if (!fields) return '{}';
  for (const _ in fields) return JSON.stringify(fields);
  return '{}';
}

/**
 * Per session, emptied at every commit (and before each page: a trigger's transaction enrolls
 * one lead into several campaigns): the page is COPYed here, since COPY's text format costs
 * Postgres a fraction of what json_to_recordset did, and inserted from here with plain SQL.
 */
const STAGE = `CREATE TEMP TABLE IF NOT EXISTS executor_enroll_stage (
    enrollment_id uuid, lead_id uuid, email text, first_name text, last_name text, company text,
    title text, phone text, timezone text, source text, segment_id uuid, custom_fields jsonb
  ) ON COMMIT DELETE ROWS;
  DELETE FROM executor_enroll_stage`;

/** A staged page's lines: the enrollment id, then the audience's copy columns by name. */
const COPY_STAGE = `COPY executor_enroll_stage (enrollment_id, ${AUDIENCE_COPY_COLUMNS.join(', ')}) FROM STDIN`;

/**
 * What the staged page may collide with: is any of its contacts perhaps enrolled in this
 * campaign already, is any perhaps in the workspace's contact copy? Pages arrive in lead-id
 * order (keyset), so a fresh enrollment has no enrollment at or after the page's first id; a
 * resumed one (a crash between a page's commit and the cursor's), a replayed job or a lead
 * captured twice by a trigger has. Two index probes over the page's id range.
 */
const FIRST = '(SELECT lead_id FROM executor_enroll_stage ORDER BY lead_id LIMIT 1)';
const LAST = '(SELECT lead_id FROM executor_enroll_stage ORDER BY lead_id DESC LIMIT 1)';
// The bounds are scalar subqueries (plan parameters), so both probes are index range scans.
const PROBE = `SELECT
    EXISTS (SELECT 1 FROM executor.enrollments
             WHERE campaign_id = $1 AND lead_id >= ${FIRST}) AS enrolled,
    EXISTS (SELECT 1 FROM executor.contacts
             WHERE workspace_id = $2 AND lead_id >= ${FIRST} AND lead_id <= ${LAST}) AS known`;

/**
 * Contacts are upserted into the executor's copy (only rows whose fields changed are
 * rewritten) and enrollments inserted `ON CONFLICT (campaign, contact) DO NOTHING`, so a
 * replayed page adds no duplicates. Where the probe found nothing to collide with, the plain
 * INSERT skips Postgres's speculative insertion (a conflict check and one more WAL record per
 * row); the unique keys still refuse a row a concurrent transaction added meanwhile.
 */
const write = (upsertContacts: boolean, skipEnrolled: boolean) => `
  WITH contact AS (
    INSERT INTO executor.contacts AS c
      (workspace_id, tenant_id, lead_id, email, first_name, last_name, company, title, phone,
       timezone, source, custom_fields)
    SELECT $2::uuid, $1::uuid, u.lead_id, lower(u.email), u.first_name, u.last_name, u.company,
           u.title, u.phone, u.timezone, u.source, u.custom_fields
      FROM executor_enroll_stage u
    ${
      !upsertContacts
        ? ''
        : `ON CONFLICT (workspace_id, lead_id) DO UPDATE SET
      email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
      company = EXCLUDED.company, title = EXCLUDED.title, phone = EXCLUDED.phone,
      timezone = EXCLUDED.timezone, source = EXCLUDED.source,
      custom_fields = EXCLUDED.custom_fields, updated_at = now()
    WHERE (c.email, c.first_name, c.last_name, c.company, c.title, c.phone, c.timezone, c.source, c.custom_fields)
      IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.company,
        EXCLUDED.title, EXCLUDED.phone, EXCLUDED.timezone, EXCLUDED.source, EXCLUDED.custom_fields)`
    })
  INSERT INTO executor.enrollments
    (id, tenant_id, workspace_id, campaign_id, lead_id, segment_id, step_index, next_run_at)
  SELECT u.enrollment_id, $1::uuid, $2::uuid, $3::uuid, u.lead_id, u.segment_id, $4::int,
         greatest($5::timestamptz, now())
    FROM executor_enroll_stage u
  ${skipEnrolled ? 'ON CONFLICT (campaign_id, lead_id) DO NOTHING' : ''}`;
const WRITE = {
  safe: write(true, true),
  newContacts: write(false, true),
  newEnrollments: write(true, false),
  fresh: write(false, false),
};

const UNIQUE_VIOLATION = '23505';

/**
 * Set-based enrollment of one staged page (up to tens of thousands of contacts) in the
 * caller's transaction: one COPY into the session's stage, one probe, one statement that
 * writes the contacts and the enrollments. A page the probe calls new is written with plain
 * INSERTs under a savepoint; if a concurrent transaction got there first (unique violation),
 * the page is written again the safe way. Returns how many enrollments were new.
 */
export async function enrollPage(
  m: EntityManager,
  target: EnrollTarget,
  page: StagedPage,
): Promise<number> {
  if (!page.rows) return 0;
  const client = await pgClientOf(m);
  await client.query(STAGE);
  await copyFromStdin(m, COPY_STAGE, [page.payload]);
  const { rows } = await client.query(PROBE, [target.campaignId, target.workspaceId]);
  const { enrolled, known } = rows[0] as { enrolled: boolean; known: boolean };
  const params = [
    target.tenantId,
    target.workspaceId,
    target.campaignId,
    target.stepIndex,
    target.runAt,
  ];
  const run = async (sql: string) => (await client.query(sql, params)).rowCount ?? 0;
  if (enrolled && known) return run(WRITE.safe);
  const sql = enrolled ? WRITE.newContacts : known ? WRITE.newEnrollments : WRITE.fresh;
  await client.query('SAVEPOINT enroll_page');
  try {
    const added = await run(sql);
    await client.query('RELEASE SAVEPOINT enroll_page');
    return added;
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    await client.query('ROLLBACK TO SAVEPOINT enroll_page');
    return run(WRITE.safe);
  }
}
