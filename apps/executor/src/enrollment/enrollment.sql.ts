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
 * Set-based enrollment: one page (up to 50,000 contacts) is two statements over unnest()ed
 * arrays, never one round trip per contact. Contacts are upserted into the executor's copy
 * (only rows whose fields changed are rewritten); enrollments are inserted with ON CONFLICT
 * DO NOTHING on (campaign, contact), so replaying a page after a crash adds no duplicates.
 * Returns how many enrollments were new.
 */
export async function enrollPage(
  m: EntityManager,
  target: EnrollTarget,
  contacts: AudienceContact[],
): Promise<number> {
  if (!contacts.length) return 0;
  const col = <K extends keyof AudienceContact>(k: K) => contacts.map((c) => c[k] ?? null);
  await m.query(
    `INSERT INTO executor.contacts AS c
       (workspace_id, tenant_id, lead_id, email, first_name, last_name, company, title, phone,
        timezone, source, custom_fields)
     SELECT $1::uuid, $2::uuid, u.*
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::jsonb[])
         AS u(lead_id, email, first_name, last_name, company, title, phone, timezone, source, custom_fields)
     ON CONFLICT (workspace_id, lead_id) DO UPDATE SET
       email = EXCLUDED.email, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
       company = EXCLUDED.company, title = EXCLUDED.title, phone = EXCLUDED.phone,
       timezone = EXCLUDED.timezone, source = EXCLUDED.source,
       custom_fields = EXCLUDED.custom_fields, updated_at = now()
     WHERE (c.email, c.first_name, c.last_name, c.company, c.title, c.phone, c.timezone, c.source, c.custom_fields)
       IS DISTINCT FROM (EXCLUDED.email, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.company,
         EXCLUDED.title, EXCLUDED.phone, EXCLUDED.timezone, EXCLUDED.source, EXCLUDED.custom_fields)`,
    [
      target.workspaceId,
      target.tenantId,
      col('id'),
      contacts.map((c) => c.email.toLowerCase()),
      col('firstName'),
      col('lastName'),
      col('company'),
      col('title'),
      col('phone'),
      col('timezone'),
      col('source'),
      contacts.map((c) => JSON.stringify(c.customFields ?? {})),
    ],
  );
  const [{ inserted }] = await m.query(
    `WITH ins AS (
     INSERT INTO executor.enrollments
       (tenant_id, workspace_id, campaign_id, lead_id, segment_id, step_index, next_run_at)
     SELECT $1::uuid, $2::uuid, $3::uuid, u.lead_id, u.segment_id, $4::int, $5::timestamptz
       FROM unnest($6::uuid[], $7::uuid[]) AS u(lead_id, segment_id)
     ON CONFLICT (campaign_id, lead_id) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS inserted FROM ins`,
    [
      target.tenantId,
      target.workspaceId,
      target.campaignId,
      target.stepIndex,
      target.runAt,
      col('id'),
      col('segmentId'),
    ],
  );
  return Number(inserted) || 0;
}
