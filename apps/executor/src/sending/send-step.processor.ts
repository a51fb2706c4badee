import { QUEUES } from '@app/contracts';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import {
  SEND_BATCH_JOB,
  SEND_JOB,
  SendBatchJob,
  SendJob,
  sendBatching,
  sendJobId,
  sendJobOptions,
} from '../dispatch/send-jobs';
import { Metrics } from '../metrics/metrics';
import { Queues } from '../queues/queues';
import { SendResult, SendStepUseCase } from './send-step.use-case';

/**
 * The send worker, rate-limited per channel account by the BullMQ limiter (shared by every
 * replica). A job is a batch of one campaign's due steps (send-jobs.ts); each runs through
 * SendStepUseCase concurrently, and their statements are coalesced by the delivery repository.
 * A step that has to be tried again (temporary failure, database error) leaves the batch as a
 * job of its own, with the remaining attempts and exponential backoff. Closed gracefully on
 * SIGTERM by Queues: running sends finish and record their outcome before the process exits.
 */
@Injectable()
export class SendStepProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('SendStep');

  constructor(
    private readonly queues: Queues,
    private readonly send: SendStepUseCase,
    private readonly metrics: Metrics,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onApplicationBootstrap(): void {
    const batching = sendBatching(this.env);
    this.queues.work<SendJob | SendBatchJob>(QUEUES.send, (job) => this.process(job), {
      concurrency: batching.workerConcurrency,
      ...(batching.jobsPerSecond
        ? { limiter: { max: batching.jobsPerSecond, duration: 1000 } }
        : {}),
    });
  }

  private async process(job: Job<SendJob | SendBatchJob>): Promise<SendResult | number> {
    if (job.name === SEND_BATCH_JOB) return this.processBatch(job as Job<SendBatchJob>);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.counted(await this.send.execute(job.data as SendJob, lastAttempt));
  }

  /** Counts the steps that found nothing to do: rows handed out twice show up here. */
  private counted(result: SendResult): SendResult {
    if (result === 'stale') this.metrics.noopSteps.inc({ reason: 'stale' });
    else if (result === 'exists') this.metrics.noopSteps.inc({ reason: 'claimed' });
    return result;
  }

  private async processBatch(job: Job<SendBatchJob>): Promise<number> {
    const { campaignId, items } = job.data;
    const lastAttempt = this.env.SEND_ATTEMPTS <= 1;
    const outcomes = await Promise.allSettled(
      items.map(([enrollmentId, stepIndex]) =>
        this.send.execute({ enrollmentId, campaignId, stepIndex }, lastAttempt),
      ),
    );
    const again: SendJob[] = [];
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') this.counted(o.value);
      else {
        const [enrollmentId, stepIndex] = items[i];
        again.push({ enrollmentId, campaignId, stepIndex });
        this.logger.warn({
          msg: 'send will be retried',
          campaignId,
          enrollmentId,
          error: (o.reason as Error)?.message ?? String(o.reason),
        });
      }
    });
    // If this add fails the batch job fails and is retried: its settled steps are then stale.
    if (again.length) await this.retryAlone(again, job.opts.priority ?? 5);
    return items.length - again.length;
  }

  private async retryAlone(jobs: SendJob[], priority: number): Promise<void> {
    const attempts = Math.max(1, this.env.SEND_ATTEMPTS - 1);
    await this.queues.get(QUEUES.send).addBulk(
      jobs.map((data) => ({
        name: SEND_JOB,
        data,
        opts: {
          ...sendJobOptions(
            this.env,
            sendJobId(data.enrollmentId, data.stepIndex),
            priority,
            attempts,
          ),
          delay: this.env.SEND_BACKOFF_MS,
        },
      })),
    );
  }
}
