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
import { OLDEST_OPEN_TRANSACTION, SWEEP_STATE } from '../database/sweep-state';
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
 * Takes the next due enrollments of one campaign for jobs, without writing them: each campaign
 * has a mark (`dispatch_marks`: a due time and an id) up to which its due rows have been handed
 * to jobs, and a take reads forward from it (`enrollments_due` ends with `id`, so the read is
 * one index range) and moves it to the newest row taken. Replicas take a campaign in turn
 * (a transaction advisory lock; one that finds it taken skips the campaign for this tick).
 *
 * A row behind the mark that is still due is either in a job, or its job is gone (Redis lost its
 * data, or the job failed for good). The chain of takes therefore starts over from the first due
 * row `$3` (DISPATCH_LEASE_MS) after it began, as the per-row lease ran out before; Redis loss
 * starts every campaign over at once (the dispatch epoch, redis-loss.ts). A row handed out
 * twice costs a job that finds the step claimed or moved on, never a second send (the claim).
 *
 * A row must never become due behind the mark unseen. Everything that sets `next_run_at` writes
 * at least its own transaction's start (`now()`); and the mark never passes the start of the
 * oldest transaction of this service still open (pg_stat_activity), since that one may still
 * commit a row due at that instant. When it would, the mark stops there, and the rows taken
 * beyond it may be taken once more. That start is read by a statement of its own before this
 * one (`$4`, same transaction; see `Dispatcher.take`).
 */
const TAKE_DUE = new PreparedStatement<{ id: string; step_index: number }>(
  'executor_take_due',
  `WITH lock AS (
  SELECT pg_try_advisory_xact_lock(7302, hashtext($1::uuid::text)) AS ok),
mark AS (
  SELECT CASE WHEN m.since > now() - $3 * interval '1 millisecond'
               AND m.since > coalesce((SELECT at FROM executor.sweep_state
                                        WHERE name = '${SWEEP_STATE.dispatchEpoch}'), '-infinity')
              THEN m.at END AS at,
         m.after_id, m.since
    FROM lock LEFT JOIN executor.dispatch_marks m ON m.campaign_id = $1
   WHERE lock.ok),
due AS (
  SELECT e.id, e.step_index, e.next_run_at
    FROM mark CROSS JOIN LATERAL (
      SELECT id, step_index, next_run_at FROM executor.enrollments
       WHERE campaign_id = $1 AND status = 'active' AND next_run_at <= now()
         AND (next_run_at, id) > (coalesce(mark.at, '-infinity'),
                                  coalesce(mark.after_id, '00000000-0000-0000-0000-000000000000'))
       ORDER BY next_run_at, id
       LIMIT $2) e),
newest AS (
  SELECT next_run_at, id FROM due ORDER BY next_run_at DESC, id DESC LIMIT 1),
open AS (SELECT $4::timestamptz AS since),
moved AS (
  INSERT INTO executor.dispatch_marks AS m (campaign_id, at, after_id, since)
  SELECT $1,
         CASE WHEN open.since <= newest.next_run_at THEN open.since ELSE newest.next_run_at END,
         CASE WHEN open.since <= newest.next_run_at THEN '00000000-0000-0000-0000-000000000000'
              ELSE newest.id END,
         CASE WHEN mark.at IS NULL THEN now() ELSE mark.since END
    FROM newest, mark, open
  ON CONFLICT (campaign_id) DO UPDATE
     SET at = EXCLUDED.at, after_id = EXCLUDED.after_id, since = EXCLUDED.since)
SELECT id, step_index FROM due ORDER BY next_run_at, id`,
);

/**
 * One take of a campaign's due rows (TAKE_DUE), in a transaction of its own. The bound on the
 * mark (the oldest open transaction's start) is read first, by a statement of its own. Read
 * inside the take, it came after the take's snapshot: a transaction that committed in between
 * was neither visible to the take nor open any more, so the mark could pass its rows, and they
 * waited behind it until the chain ran out (DISPATCH_LEASE_MS, 5 minutes by default; bench/send
 * showed it as an SMTP broadcast of 308 s instead of ~60). Read first, such a transaction is
 * either still open then (it bounds the mark) or committed before the take's snapshot (the take
 * sees its rows); one that starts later writes `next_run_at` after this transaction's `now()`,
 * the newest instant the take can hand out.
 */
export function takeDue(
  ds: DataSource,
  campaignId: string,
  limit: number,
  leaseMs: number,
): Promise<{ id: string; step_index: number }[]> {
  return ds.transaction(async (m) => {
    // As text: a Date would drop the microseconds (earlier, so harmless, but not the same instant).
    const [{ since }] = await m.query(`SELECT (${OLDEST_OPEN_TRANSACTION})::text AS since`);
    return TAKE_DUE.rows(m, [campaignId, limit, leaseMs, since]);
  });
}

/**
 * Moves due enrollments of active campaigns into the send queue, reading each campaign forward
 * from its dispatch mark (TAKE_DUE), so replicas do not hand out the same rows; if a job is lost
 * with Redis, its campaign starts over as soon as that is noticed (redis-loss.ts), else when the
 * chain of takes is DISPATCH_LEASE_MS old. Rows go in
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
      const rows = await this.take(campaignId, Math.min(room, this.env.DISPATCH_BATCH));
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

  private take(campaignId: string, limit: number): Promise<{ id: string; step_index: number }[]> {
    return takeDue(this.ds, campaignId, limit, this.env.DISPATCH_LEASE_MS);
  }
}
