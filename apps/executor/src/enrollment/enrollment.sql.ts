import { AudienceContact } from '@app/contracts';
import { EntityManager } from 'typeorm';

export interface EnrollTarget {
  tenantId: string;
  workspaceId: string;
  campaignId: string;
  stepIndex: number;
  runAt: Date;
}

/**
 * Set-based enrollment: one page (up to 50,000 contacts) is one statement, never one round trip
 * per contact. The page travels as one JSON parameter read by json_to_recordset: serialising it
 * is one native JSON.stringify, where a dozen parallel arrays cost pg's per-element escaping in
 * JavaScript. Contacts are upserted into the executor's copy (only rows whose fields changed
 * are rewritten); enrollments are inserted with ON CONFLICT DO NOTHING on (campaign, contact),
 * so replaying a page after a crash adds no duplicates. Returns how many enrollments were new.
 */
export async function enrollPage(
  m: EntityManager,
  target: EnrollTarget,
  contacts: AudienceContact[],
): Promise<number> {
  if (!contacts.length) return 0;
  const [{ inserted }] = await m.query(
    `WITH u AS MATERIALIZED (
       SELECT * FROM json_to_recordset($6::json) AS u(
         id uuid, email text, "firstName" text, "lastName" text, company text, title text,
         phone text, timezone text, source text, "segmentId" uuid, "customFields" jsonb)),
     contact AS (
       INSERT INTO executor.contacts AS c
         (workspace_id, tenant_id, lead_id, email, first_name, last_name, company, title, phone,
          timezone, source, custom_fields)
       SELECT $2::uuid, $1::uuid, u.id, lower(u.email), u."firstName", u."lastName", u.company,
              u.title, u.phone, u.timezone, u.source, COALESCE(u."customFields", '{}')
         FROM u
       ON CONFLICT (workspace_id, lead_id) DO UPDATE SET
         email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
         company = EXCLUDED.company, title = EXCLUDED.title, phone = EXCLUDED.phone,
         timezone = EXCLUDED.timezone, source = EXCLUDED.source,
         custom_fields = EXCLUDED.custom_fields, updated_at = now()
       WHERE (c.email, c.first_name, c.last_name, c.company, c.title, c.phone, c.timezone, c.source, c.custom_fields)
         IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.company,
           EXCLUDED.title, EXCLUDED.phone, EXCLUDED.timezone, EXCLUDED.source, EXCLUDED.custom_fields)),
     ins AS (
       INSERT INTO executor.enrollments
         (tenant_id, workspace_id, campaign_id, lead_id, segment_id, step_index, next_run_at)
       SELECT $1::uuid, $2::uuid, $3::uuid, u.id, u."segmentId", $4::int, $5::timestamptz FROM u
       ON CONFLICT (campaign_id, lead_id) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS inserted FROM ins`,
    [
      target.tenantId,
      target.workspaceId,
      target.campaignId,
      target.stepIndex,
      target.runAt,
      JSON.stringify(contacts),
    ],
  );
  return Number(inserted) || 0;
}
