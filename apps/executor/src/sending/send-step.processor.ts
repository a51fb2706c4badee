import { QUEUES } from '@app/contracts';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { SendJob } from '../dispatch/dispatcher';
import { Queues } from '../queues/queues';
import { SendStepUseCase } from './send-step.use-case';

/**
 * The send worker: SEND_CONCURRENCY jobs at a time per process, rate-limited per channel
 * account by the BullMQ limiter (shared by every replica). Closed gracefully on SIGTERM by
 * Queues: running sends finish and record their outcome before the process exits.
 */
@Injectable()
export class SendStepProcessor implements OnApplicationBootstrap {
  constructor(
    private readonly queues: Queues,
    private readonly send: SendStepUseCase,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.queues.work<SendJob>(QUEUES.send, (job) => this.process(job), {
      concurrency: this.env.SEND_CONCURRENCY,
      ...(this.env.SEND_RATE_PER_SECOND
        ? { limiter: { max: this.env.SEND_RATE_PER_SECOND, duration: 1000 } }
        : {}),
    });
  }

  private process(job: Job<SendJob>) {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.send.execute(job.data, lastAttempt);
  }
}
