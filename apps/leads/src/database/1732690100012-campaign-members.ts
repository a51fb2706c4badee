import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which campaigns a lead was captured or imported for. `leads.campaign_id` stays the first
 * touch (attribution); a lead captured or imported again for another campaign becomes a member
 * of that campaign too, so it is listed, read, edited and exported under every campaign it was
 * added to. Filled from the first touches that exist.
 */
export class CampaignMembers1732690100012 implements MigrationInterface {
  name = 'CampaignMembers1732690100012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE leads.campaign_members (
      campaign_id uuid NOT NULL,
      lead_id uuid NOT NULL REFERENCES leads.leads(id) ON DELETE CASCADE,
      tenant_id uuid NOT NULL,
      workspace_id uuid NOT NULL,
      added_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (campaign_id, lead_id)
    )`);
    // Deleting a lead finds its memberships by this index.
    await q.query('CREATE INDEX campaign_members_lead ON leads.campaign_members (lead_id)');
    await q.query(`INSERT INTO leads.campaign_members (campaign_id, lead_id, tenant_id, workspace_id, added_at)
      SELECT campaign_id, id, tenant_id, workspace_id, created_at FROM leads.leads
       WHERE campaign_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS leads.campaign_members');
  }
}
