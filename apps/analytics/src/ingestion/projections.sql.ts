import { EntityManager } from 'typeorm';
import { EventRow } from './event-row';

/*
 * Small projections the read side needs, kept current from the event stream: campaign names
 * and status (campaign.events) for cross-campaign reports, and lead emails (lead.events) so a
 * conversion posted by email can be attributed. Last write wins by occurred_at, so replays and
 * redeliveries are harmless.
 */

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export async function projectCampaigns(m: EntityManager, rows: EventRow[]): Promise<void> {
  const list = rows.filter((r) => r.type.startsWith('campaign.') && r.campaignId);
  if (!list.length) return;
  const info = (r: EventRow) => (r.data.campaign ?? {}) as Record<string, unknown>;
  await m.query(
    `INSERT INTO analytics.campaigns AS c (id, tenant_id, workspace_id, name, type, status, deleted, last_event_at)
     SELECT DISTINCT ON (id) * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[],
       $5::text[], $6::text[], $7::bool[], $8::timestamptz[])
       AS t(id, tenant_id, workspace_id, name, type, status, deleted, last_event_at)
     ORDER BY id, last_event_at DESC
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,
       status = excluded.status, deleted = excluded.deleted, last_event_at = excluded.last_event_at
     WHERE c.last_event_at <= excluded.last_event_at AND c.tenant_id = excluded.tenant_id`,
    [
      list.map((r) => r.campaignId),
      list.map((r) => r.tenantId),
      list.map((r) => r.workspaceId),
      list.map((r) => str(info(r).name) ?? ''),
      list.map((r) => str(info(r).type)),
      list.map((r) => str(info(r).status)),
      list.map((r) => r.type === 'campaign.deleted'),
      list.map((r) => r.occurredAt),
    ],
  );
}

function leadEmail(r: EventRow): string | null {
  if (r.type === 'lead.erased') return null;
  const d = r.data;
  const nested = (k: string) =>
    d[k] && typeof d[k] === 'object' ? (d[k] as Record<string, unknown>) : {};
  const email = str(d.email) ?? str(nested('lead').email) ?? str(nested('contact').email);
  return email ? email.trim().toLowerCase() : null;
}

export async function projectLeads(m: EntityManager, rows: EventRow[]): Promise<void> {
  const list = rows.filter((r) => r.type.startsWith('lead.') && r.leadId);
  if (!list.length) return;
  await m.query(
    `INSERT INTO analytics.leads AS l (id, tenant_id, workspace_id, email, last_event_at)
     SELECT DISTINCT ON (id) * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[],
       $5::timestamptz[]) AS t(id, tenant_id, workspace_id, email, last_event_at)
     ORDER BY id, last_event_at DESC
     ON CONFLICT (id) DO UPDATE SET
       email = CASE WHEN excluded.email IS NULL AND $6::uuid[] @> ARRAY[excluded.id] THEN NULL
                    ELSE coalesce(excluded.email, l.email) END,
       last_event_at = excluded.last_event_at
     WHERE l.last_event_at <= excluded.last_event_at AND l.tenant_id = excluded.tenant_id`,
    [
      list.map((r) => r.leadId),
      list.map((r) => r.tenantId),
      list.map((r) => r.workspaceId),
      list.map(leadEmail),
      list.map((r) => r.occurredAt),
      list.filter((r) => r.type === 'lead.erased').map((r) => r.leadId),
    ],
  );
}
