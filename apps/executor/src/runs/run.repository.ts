import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CampaignRun, RunSnapshot } from './run-snapshot';

interface RunRow {
  campaign_id: string;
  tenant_id: string;
  workspace_id: string;
  status: string;
  campaign_type: string;
  test_mode: boolean;
  target_percentage: number;
  snapshot: RunSnapshot;
}

const toRun = (r: RunRow): CampaignRun => ({
  campaignId: r.campaign_id,
  tenantId: r.tenant_id,
  workspaceId: r.workspace_id,
  status: r.status,
  campaignType: r.campaign_type,
  testMode: r.test_mode,
  targetPercentage: r.target_percentage,
  snapshot: r.snapshot,
});

/** campaign_runs: one row per launched campaign. */
@Injectable()
export class RunRepository {
  constructor(private readonly ds: DataSource) {}

  /** Creates the run on first launch; a later launch (after a missed schedule) reactivates it. */
  async upsert(run: CampaignRun, requestId?: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO executor.campaign_runs
         (campaign_id, tenant_id, workspace_id, status, campaign_type, test_mode, target_percentage, snapshot, request_id)
       VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, $8)
       ON CONFLICT (campaign_id) DO UPDATE SET status = 'active', status_reason = NULL, updated_at = now()
         WHERE executor.campaign_runs.status IN ('schedule_missed', 'paused')`,
      [
        run.campaignId,
        run.tenantId,
        run.workspaceId,
        run.campaignType,
        run.testMode,
        run.targetPercentage,
        JSON.stringify(run.snapshot),
        requestId ?? null,
      ],
    );
  }

  async markEnrolled(campaignId: string): Promise<void> {
    await this.ds.query(
      'UPDATE executor.campaign_runs SET enroll_done = true WHERE campaign_id = $1',
      [campaignId],
    );
  }

  async find(campaignId: string): Promise<CampaignRun | null> {
    const rows: RunRow[] = await this.ds.query(
      'SELECT * FROM executor.campaign_runs WHERE campaign_id = $1',
      [campaignId],
    );
    return rows[0] ? toRun(rows[0]) : null;
  }

  async setStatus(campaignId: string, status: string, reason?: string | null): Promise<boolean> {
    const [, count] = await this.ds.query(
      `UPDATE executor.campaign_runs SET status = $2, status_reason = $3, updated_at = now()
        WHERE campaign_id = $1 AND status NOT IN ('completed', 'cancelled')`,
      [campaignId, status, reason ?? null],
    );
    return count > 0;
  }

  /**
   * Ends the enrollments still active in a run that is over: a cancelled run's become
   * `cancelled`, a completed run's `stopped` with the run's reason (its schedule.endDate passed,
   * or a user completed it early). Nothing for a run that is not over. Returns how many.
   */
  async endActiveEnrollments(campaignId: string): Promise<number> {
    const [, ended] = await this.ds.query(
      `UPDATE executor.enrollments e
          SET status = CASE r.status WHEN 'cancelled' THEN 'cancelled' ELSE 'stopped' END,
              status_reason = CASE r.status WHEN 'cancelled' THEN e.status_reason
                                ELSE coalesce(r.status_reason, 'campaign completed') END,
              updated_at = now()
         FROM executor.campaign_runs r
        WHERE r.campaign_id = $1 AND e.campaign_id = $1 AND e.status = 'active'
          AND r.status IN ('cancelled', 'completed')`,
      [campaignId],
    );
    return ended;
  }

  async statuses(campaignIds: string[]): Promise<Map<string, string>> {
    const rows: { campaign_id: string; status: string }[] = await this.ds.query(
      'SELECT campaign_id, status FROM executor.campaign_runs WHERE campaign_id = ANY($1::uuid[])',
      [campaignIds],
    );
    return new Map(rows.map((r) => [r.campaign_id, r.status]));
  }

  async activeIds(): Promise<string[]> {
    const rows: { campaign_id: string }[] = await this.ds.query(
      "SELECT campaign_id FROM executor.campaign_runs WHERE status = 'active'",
    );
    return rows.map((r) => r.campaign_id);
  }

  async activeTriggered(workspaceId: string): Promise<CampaignRun[]> {
    const rows: RunRow[] = await this.ds.query(
      `SELECT * FROM executor.campaign_runs
        WHERE workspace_id = $1 AND campaign_type = 'triggered' AND status IN ('active', 'paused')`,
      [workspaceId],
    );
    return rows.map(toRun);
  }
}
