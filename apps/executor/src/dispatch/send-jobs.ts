import { JobsOptions } from 'bullmq';
import { ExecutorEnv } from '../config';

/** One step for one enrollment: a retried send, or one item of a batch. */
export interface SendJob {
  enrollmentId: string;
  campaignId: string;
  stepIndex: number;
}

/** Due steps of one campaign sent by one job: [enrollmentId, stepIndex] pairs. */
export interface SendBatchJob {
  campaignId: string;
  items: [string, number][];
}

export const SEND_JOB = 'send';
export const SEND_BATCH_JOB = 'send-batch';

/** The deterministic id of the job that sends one step to one enrollment. */
export const sendJobId = (enrollmentId: string, stepIndex: number) =>
  `${enrollmentId}-${stepIndex}`;

/** A batch's id is deterministic too: the same leased rows give the same job. */
export const sendBatchJobId = (items: [string, number][]) =>
  `b-${sendJobId(...items[0])}-${items.length}`;

export interface SendBatching {
  /** Messages per job. */
  batchSize: number;
  /** Jobs per second for the BullMQ limiter, or null without a rate limit. */
  jobsPerSecond: number | null;
  /** Jobs one process runs at once, so that about SEND_CONCURRENCY messages are in flight. */
  workerConcurrency: number;
}

/**
 * How messages are grouped into jobs. BullMQ's limiter counts jobs, so with a rate limit the
 * batch shrinks to a tenth of the rate (at least 1) and the limiter allows rate / batch jobs per
 * second: the message rate never passes SEND_RATE_PER_SECOND and stays within one batch of it.
 * A batch sends all its steps at once, so it is never larger than SEND_CONCURRENCY either.
 */
export function sendBatching(
  env: Pick<ExecutorEnv, 'SEND_BATCH_SIZE' | 'SEND_RATE_PER_SECOND' | 'SEND_CONCURRENCY'>,
): SendBatching {
  const rate = env.SEND_RATE_PER_SECOND;
  const size = Math.min(env.SEND_BATCH_SIZE, env.SEND_CONCURRENCY);
  const batchSize = rate ? Math.max(1, Math.min(size, Math.floor(rate / 10))) : size;
  return {
    batchSize,
    jobsPerSecond: rate ? Math.max(1, Math.floor(rate / batchSize)) : null,
    workerConcurrency: Math.max(1, Math.ceil(env.SEND_CONCURRENCY / batchSize)),
  };
}

/** Options of a job that sends: retried with exponential backoff, kept a while when it fails. */
export function sendJobOptions(
  env: Pick<ExecutorEnv, 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS'>,
  jobId: string,
  priority: number,
  attempts = env.SEND_ATTEMPTS,
): JobsOptions {
  return {
    jobId,
    priority,
    attempts,
    backoff: { type: 'exponential', delay: env.SEND_BACKOFF_MS },
    removeOnComplete: true,
    removeOnFail: 1000,
  };
}
