import { QUEUES } from '@app/contracts';
import { PreparedStatement } from '@app/database';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { Metrics } from '../metrics/metrics';
import { Queues } from '../queues/queues';
import { RunStatusCache } from '../runs/run-status.cache';
import { RunRepository } from '../runs/run.repository';
import { DueCursors } from './due-cursors';
import { RedisLossDetector } from './redis-loss';
import {
  SEND_BATCH_JOB,
  SendBatchJob,
  sendBatchJobId,
  sendBatching,
  sendJobOptions,
} from './send-jobs';

export type { SendJob } from './send-jobs';

const PRIORITY: Record<string, number> = { high: 1, normal: 5, low: 10 };

/**
 * Leases due enrollments of one campaign: `next_run_at` (and `lease_until`) pushed forward. `$4`
 * is where to start reading (DueCursors); each row comes back with the due time it had.
 */
const LEASE = new PreparedStatement<{ id: string; step_index: number; due: Date }>(
  'executor_lease_due',
  `WITH due AS (
     SELECT id, next_run_at FROM executor.enrollments
      WHERE campaign_id = $1 AND status = 'active' AND next_run_at <= now()
        AND next_run_at >= coalesce($4::timestamptz, '-infinity')
      ORDER BY next_run_at
      LIMIT $2
      FOR UPDATE SKIP LOCKED)
   UPDATE executor.enrollments e
      SET next_run_at = now() + $3 * interval '1 millisecond',
          lease_until = now() + $3 * interval '1 millisecond'
     FROM due WHERE e.id = due.id
   RETURNING e.id, e.step_index, due.next_run_at AS due`,
);

/** A campaign's lease cursor is dropped this long after it was set, so every due row is seen. */
const RESCAN_MS = 2000;

/**
 * Moves due enrollments of active campaigns into the send queue. Each picked row gets a lease
 * (next_run_at pushed forward) under FOR UPDATE SKIP LOCKED, so replicas never pick the same
 * rows; if a job is lost with Redis, the row is handed back as soon as that is noticed
 * (redis-loss.ts), else when the lease runs out. Rows go in
 * batches of one campaign per job (send-jobs.ts), so the queue costs one job per batch; the
 * queue depth is counted in messages. Campaigns are visited one by one so a huge one cannot
 * starve the others, and nothing is added while the queue is already deep (Redis memory and the
 * executor's stay flat).
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private timer?: NodeJS.Timeout;
  private running = false;
  private ticking?: Promise<void>;
  private busy = false;
  /** A poke came during a tick: the next one follows at once. */
  private again = false;
  private readonly cursors = new DueCursors(RESCAN_MS);

  constructor(
    private readonly ds: DataSource,
    private readonly runs: RunRepository,
    private readonly queues: Queues,
    private readonly cache: RunStatusCache,
    private readonly metrics: Metrics,
    private readonly redisLoss: RedisLossDetector,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.ticking;
  }

  /**
   * A tick now rather than at the next interval: an enrollment page just committed steps due at
   * once. A launch's first sends then wait for no interval (up to DISPATCH_INTERVAL_MS).
   */
  poke(): void {
    if (!this.running) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.runTick();
  }

  private schedule(delay = this.env.DISPATCH_INTERVAL_MS): void {
    if (!this.running) return;
    this.timer = setTimeout(() => this.runTick(), delay);
  }

  private runTick(): void {
    this.busy = true;
    this.ticking = this.tick()
      .then(() => undefined)
      .catch((err) => this.logger.error({ msg: 'dispatch failed', error: (err as Error).message }))
      .finally(() => {
        this.busy = false;
        const again = this.again;
        this.again = false;
        this.schedule(again ? 0 : undefined);
      });
  }

  async tick(): Promise<number> {
    await this.redisLoss.check();
    const queue = this.queues.get(QUEUES.send);
    const { batchSize } = sendBatching(this.env);
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed');
    // Jobs are mostly full batches: depth in messages is close to jobs × batch size.
    const depth = (counts.waiting + counts.prioritized + counts.delayed) * batchSize;
    this.metrics.queueDepth.set({ queue: QUEUES.send }, depth);
    let room = this.env.MAX_QUEUE_DEPTH - depth;
    let moved = 0;
    for (const campaignId of await this.runs.activeIds()) {
      if (room <= 0) break;
      const run = await this.cache.run(campaignId);
      const rows = await this.lease(campaignId, Math.min(room, this.env.DISPATCH_BATCH));
      if (!rows.length) continue;
      const priority = PRIORITY[run?.snapshot.priority ?? 'normal'] ?? 5;
      const jobs = [];
      for (let i = 0; i < rows.length; i += batchSize) {
        const items = rows
          .slice(i, i + batchSize)
          .map((r): [string, number] => [r.id, r.step_index]);
        jobs.push({
          name: SEND_BATCH_JOB,
          data: { campaignId, items } satisfies SendBatchJob,
          opts: sendJobOptions(this.env, sendBatchJobId(items), priority),
        });
      }
      await queue.addBulk(jobs);
      room -= rows.length;
      moved += rows.length;
    }
    if (moved) this.metrics.dispatched.inc(moved);
    return moved;
  }

  private async lease(
    campaignId: string,
    limit: number,
  ): Promise<{ id: string; step_index: number }[]> {
    const rows = await LEASE.rows(this.ds, [
      campaignId,
      limit,
      this.env.DISPATCH_LEASE_MS,
      this.cursors.from(campaignId),
    ]);
    this.cursors.leased(
      campaignId,
      limit,
      rows.map((r) => r.due),
    );
    return rows;
  }
}
