import { QUEUES } from '@app/contracts';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { Metrics } from '../metrics/metrics';
import { Queues } from '../queues/queues';
import { EnrollJob } from '../runs/launch-run.use-case';
import { RunRepository } from '../runs/run.repository';
import { EnrollCampaignUseCase } from './enroll-campaign.use-case';

/** Runs enrollments from the `enroll` queue; a failed one is retried and resumes at its cursor. */
@Injectable()
export class EnrollProcessor implements OnApplicationBootstrap {
  constructor(
    private readonly queues: Queues,
    private readonly enroll: EnrollCampaignUseCase,
    private readonly runs: RunRepository,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.queues.work<EnrollJob>(QUEUES.enroll, (job) => this.process(job), { concurrency: 2 });
  }

  private async process(job: Job<EnrollJob>): Promise<number> {
    const run = await this.runs.find(job.data.campaignId);
    if (!run || run.status === 'cancelled') return 0;
    const added = await this.enroll.execute(run, job.data.ctx);
    this.metrics.enrolled.inc(added);
    return added;
  }
}
