import { Scope } from '@app/common';
import { EntityManager } from 'typeorm';

/**
 * A lead's campaigns (migration 1732690100012): the one that first captured it
 * (`leads.campaign_id`, attribution) and every other one it was captured or imported for.
 * The per-campaign routes and the `campaignId` filter read this, not the first touch.
 */
export const memberOf = (lead: string, campaign: string) =>
  `EXISTS (SELECT 1 FROM leads.campaign_members cm
            WHERE cm.campaign_id = ${campaign} AND cm.lead_id = ${lead})`;

/** Adds one lead to a campaign (again is a no-op). */
export async function joinCampaign(
  m: EntityManager,
  scope: Scope,
  campaignId: string,
  leadId: string,
): Promise<void> {
  await m.query(
    `INSERT INTO leads.campaign_members (campaign_id, lead_id, tenant_id, workspace_id)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [campaignId, leadId, scope.tenantId, scope.workspaceId],
  );
}

/** Adds the workspace's leads with these normalised addresses to a campaign (an import's batch). */
export async function joinCampaignByEmail(
  m: EntityManager,
  scope: Scope,
  campaignId: string,
  emails: string[],
): Promise<void> {
  if (!emails.length) return;
  await m.query(
    `INSERT INTO leads.campaign_members (campaign_id, lead_id, tenant_id, workspace_id)
     SELECT $1, l.id, l.tenant_id, l.workspace_id FROM leads.leads l
      WHERE l.tenant_id = $2 AND l.workspace_id = $3 AND l.email_normalized = ANY($4::text[])
     ORDER BY l.id
     ON CONFLICT DO NOTHING`,
    [campaignId, scope.tenantId, scope.workspaceId, emails],
  );
}
