import { QUEUES } from '@app/contracts';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Job, Processor, Queue, Worker, WorkerOptions } from 'bullmq';
import Redis from 'ioredis';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';

type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * The one place BullMQ is reached: the executor's queues and workers share a prefix
 * (hash-tagged for Redis Cluster) and are all closed gracefully on SIGTERM: workers first,
 * letting running jobs finish, then the queues.
 */
@Injectable()
export class Queues implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Queues');
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connection: Redis;

  constructor(@Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv) {
    this.connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  }

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.env.QUEUE_PREFIX });
      this.queues.set(name, queue);
    }
    return queue;
  }

  work<T>(
    name: QueueName,
    processor: (job: Job<T>) => Promise<unknown>,
    opts: Partial<WorkerOptions> = {},
  ): Worker<T> {
    const worker = new Worker<T>(name, processor as Processor<T>, {
      connection: new Redis(this.env.REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: this.env.QUEUE_PREFIX,
      lockDuration: this.env.JOB_LOCK_MS,
      stalledInterval: this.env.JOB_LOCK_MS,
      ...opts,
    });
    worker.on('error', (err) =>
      this.logger.error({ msg: 'worker error', queue: name, error: err.message }),
    );
    worker.on('failed', (job, err) =>
      this.logger.warn({ msg: 'job failed', queue: name, jobId: job?.id, error: err.message }),
    );
    this.workers.push(worker);
    return worker;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
    this.logger.log({ msg: 'queues closed', workers: this.workers.length });
  }
}
