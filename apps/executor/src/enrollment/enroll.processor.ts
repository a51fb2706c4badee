import { QUEUES } from '@app/contracts';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { RedisLossDetector } from '../dispatch/redis-loss';
import { Metrics } from '../metrics/metrics';
import { Queues } from '../queues/queues';
import { RunRepository } from '../runs/run.repository';
import { EnrollCampaignUseCase } from './enroll-campaign.use-case';
import { addEnrollJob, EnrollJob } from './enroll-job';

/**
 * Runs enrollments from the `enroll` queue; a failed one is retried and resumes at its cursor.
 * At boot, every unfinished enrollment of a live run gets its job again, so one whose job was
 * lost with Redis resumes when an executor restarts or notices the loss (dispatch/redis-loss.ts;
 * an existing job makes that a no-op).
 */
@Injectable()
export class EnrollProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('EnrollProcessor');

  constructor(
    private readonly queues: Queues,
    private readonly enroll: EnrollCampaignUseCase,
    private readonly runs: RunRepository,
    private readonly metrics: Metrics,
    private readonly ds: DataSource,
    private readonly redisLoss: RedisLossDetector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.queues.work<EnrollJob>(QUEUES.enroll, (job) => this.process(job), { concurrency: 2 });
    await this.resumeUnfinished();
    this.redisLoss.onLoss(() => this.resumeUnfinished());
  }

  private async process(job: Job<EnrollJob>): Promise<number> {
    const run = await this.runs.find(job.data.campaignId);
    if (!run || run.status === 'cancelled' || run.status === 'completed') return 0;
    const added = await this.enroll.execute(run, job.data.ctx);
    this.metrics.enrolled.inc(added);
    // Cancelled or completed while its audience was being enrolled: the event ended the
    // enrollments written until then, and the pages written after it are ended here.
    await this.runs.endActiveEnrollments(run.campaignId);
    return added;
  }

  private async resumeUnfinished(): Promise<void> {
    const rows: {
      campaign_id: string;
      tenant_id: string;
      workspace_id: string;
      request_id: string | null;
    }[] = await this.ds.query(
      `SELECT campaign_id, tenant_id, workspace_id, request_id FROM executor.campaign_runs
          WHERE NOT enroll_done AND campaign_type <> 'triggered'
            AND status IN ('active', 'paused')`,
    );
    for (const r of rows) {
      const ctx = {
        requestId: r.request_id ?? `enroll-${r.campaign_id}`,
        tenantId: r.tenant_id,
        workspaceId: r.workspace_id,
      };
      await addEnrollJob(this.queues, { campaignId: r.campaign_id, ctx });
    }
    if (rows.length) this.logger.log({ msg: 'unfinished enrollments queued', runs: rows.length });
  }
}
