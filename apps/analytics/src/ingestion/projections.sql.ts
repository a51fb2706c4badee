import { EventRow } from './event-row';

/*
 * Small projections the read side needs, kept current from the event stream: campaign names
 * and status (campaign.events) for cross-campaign reports, and lead emails (lead.events) so a
 * conversion posted by email can be attributed. Last write wins by occurred_at, so replays and
 * redeliveries are harmless. They are CTEs of the ingestion statement (ingest-batch.sql.ts);
 * with no such events in a batch their arrays are empty and they cost nothing.
 */

/** CTEs reading bind parameters $p .. $p+13. */
export function projectionCtes(p: number): string {
  const $ = (i: number) => `$${p + i}`;
  return `pc AS (
    INSERT INTO analytics.campaigns AS c (id, tenant_id, workspace_id, name, type, status, deleted, last_event_at)
    SELECT DISTINCT ON (id) * FROM unnest(${$(0)}::uuid[], ${$(1)}::uuid[], ${$(2)}::uuid[],
      ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::bool[], ${$(7)}::timestamptz[])
      AS t(id, tenant_id, workspace_id, name, type, status, deleted, last_event_at)
    ORDER BY id, last_event_at DESC
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,
      status = excluded.status, deleted = excluded.deleted, last_event_at = excluded.last_event_at
    WHERE c.last_event_at <= excluded.last_event_at AND c.tenant_id = excluded.tenant_id
    RETURNING 1
  ),
  pl AS (
    INSERT INTO analytics.leads AS l (id, tenant_id, workspace_id, email, last_event_at)
    SELECT DISTINCT ON (id) * FROM unnest(${$(8)}::uuid[], ${$(9)}::uuid[], ${$(10)}::uuid[],
      ${$(11)}::text[], ${$(12)}::timestamptz[]) AS t(id, tenant_id, workspace_id, email, last_event_at)
    ORDER BY id, last_event_at DESC
    ON CONFLICT (id) DO UPDATE SET
      email = CASE WHEN excluded.id = ANY(${$(13)}::uuid[]) THEN NULL ELSE coalesce(excluded.email, l.email) END,
      last_event_at = excluded.last_event_at
    WHERE l.last_event_at <= excluded.last_event_at AND l.tenant_id = excluded.tenant_id
    RETURNING 1
  )`;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function leadEmail(r: EventRow): string | null {
  if (r.type === 'lead.erased') return null;
  const d = r.data;
  const nested = (k: string) =>
    d[k] && typeof d[k] === 'object' ? (d[k] as Record<string, unknown>) : {};
  const email = str(d.email) ?? str(nested('lead').email) ?? str(nested('contact').email);
  return email ? email.trim().toLowerCase() : null;
}

/** The 14 parameters of projectionCtes, in order. */
export function projectionParams(rows: EventRow[]): unknown[] {
  const cs = rows.filter((r) => r.type.startsWith('campaign.') && r.campaignId);
  const info = (r: EventRow) => (r.data.campaign ?? {}) as Record<string, unknown>;
  const ls = rows.filter((r) => r.type.startsWith('lead.') && r.leadId);
  return [
    cs.map((r) => r.campaignId),
    cs.map((r) => r.tenantId),
    cs.map((r) => r.workspaceId),
    cs.map((r) => str(info(r).name) ?? ''),
    cs.map((r) => str(info(r).type)),
    cs.map((r) => str(info(r).status)),
    cs.map((r) => r.type === 'campaign.deleted'),
    cs.map((r) => r.occurredAt),
    ls.map((r) => r.leadId),
    ls.map((r) => r.tenantId),
    ls.map((r) => r.workspaceId),
    ls.map(leadEmail),
    ls.map((r) => r.occurredAt),
    ls.filter((r) => r.type === 'lead.erased').map((r) => r.leadId),
  ];
}
