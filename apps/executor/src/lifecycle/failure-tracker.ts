import { CampaignsRpc } from '@app/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { CAMPAIGNS_CLIENT, ServiceClient } from '../core/service-client';
import { CampaignRun } from '../runs/run-snapshot';
import { RunStatusCache } from '../runs/run-status.cache';

const RESET_EVERY_MS = 1000;

/**
 * Counts a campaign's consecutive failed sends across all replicas (a Postgres counter); at
 * MAX_CONSECUTIVE_FAILURES the campaign is paused with a reason, through the campaigns
 * service so its status, event and webhooks say so. Sending stops locally at once.
 */
@Injectable()
export class FailureTracker {
  private readonly logger = new Logger('FailureTracker');
  private readonly resetAt = new Map<string, number>();

  constructor(
    private readonly ds: DataSource,
    private readonly cache: RunStatusCache,
    @Inject(CAMPAIGNS_CLIENT) private readonly campaigns: ServiceClient,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  /** Resets the run's failure streak; at most once a second per campaign and process. */
  async succeeded(campaignId: string): Promise<void> {
    const last = this.resetAt.get(campaignId) ?? 0;
    if (Date.now() - last < RESET_EVERY_MS) return;
    this.resetAt.set(campaignId, Date.now());
    await this.ds.query(
      `UPDATE executor.campaign_runs SET consecutive_failures = 0
        WHERE campaign_id = $1 AND consecutive_failures > 0`,
      [campaignId],
    );
  }

  async failed(run: CampaignRun, code: string): Promise<void> {
    const [[row]] = await this.ds.query(
      `UPDATE executor.campaign_runs SET consecutive_failures = consecutive_failures + 1
        WHERE campaign_id = $1 RETURNING consecutive_failures, status`,
      [run.campaignId],
    );
    if (
      !row ||
      row.status !== 'active' ||
      row.consecutive_failures < this.env.MAX_CONSECUTIVE_FAILURES
    )
      return;
    const reason = `Auto-paused after ${row.consecutive_failures} consecutive failed sends (last error: ${code})`;
    const [, changed] = await this.ds.query(
      `UPDATE executor.campaign_runs SET status = 'paused', status_reason = $2, updated_at = now()
        WHERE campaign_id = $1 AND status = 'active'`,
      [run.campaignId, reason],
    );
    if (!changed) return;
    this.cache.set(run.campaignId, 'paused');
    this.logger.warn({ msg: 'campaign auto-paused', campaignId: run.campaignId, reason });
    const ctx = { requestId: randomUUID(), tenantId: run.tenantId, workspaceId: run.workspaceId };
    await this.campaigns
      .call(CampaignsRpc.transition, { id: run.campaignId, action: 'pause', reason }, ctx)
      .catch((err: Error) =>
        this.logger.error({
          msg: 'auto-pause not recorded by campaigns',
          campaignId: run.campaignId,
          error: err.message,
        }),
      );
  }
}
