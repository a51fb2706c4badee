import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { SWEEP_STATE } from '../database/sweep-state';
import { REDIS } from '../redis-health';

/**
 * Notices that Redis lost its data (restarted without persistence, flushed, failed over to an
 * empty replica) and hands the send jobs that went with it back to the dispatcher at once,
 * instead of when the campaign's chain of takes runs out (DISPATCH_LEASE_MS, minutes).
 *
 * Redis holds a mark set by whichever executor saw it missing first (SET NX); its absence means
 * the data is gone. That executor sets the dispatch epoch (`sweep_state` 'dispatch-epoch'):
 * every campaign's dispatch mark made before it counts as expired (dispatcher.ts), so the next
 * take hands out every row still due again; those were neither sent nor moved on by a worker. A
 * take running meanwhile may still write a mark of the old chain; being older than the epoch,
 * it is expired too. Handing out again a row whose job did survive only costs a second job: the
 * delivery record claimed before any send makes it a no-op for what the first one sent.
 */
@Injectable()
export class RedisLossDetector {
  private readonly logger = new Logger('RedisLoss');
  private readonly key: string;
  private readonly listeners: Array<() => Promise<void>> = [];

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly ds: DataSource,
    @Inject(EXECUTOR_ENV) env: ExecutorEnv,
  ) {
    this.key = `${env.QUEUE_PREFIX}:executor:redis-mark`;
  }

  /** Work to redo from Postgres when the loss is noticed here (e.g. lost enrollment jobs). */
  onLoss(listener: () => Promise<void>): void {
    this.listeners.push(listener);
  }

  /** How many campaigns start their dispatch over (0 while the mark stands). */
  async check(): Promise<number> {
    if ((await this.redis.exists(this.key)) === 1) return 0;
    const first = await this.redis.set(this.key, randomUUID(), 'NX');
    if (first !== 'OK') return 0; // another executor noticed first and sets the epoch
    const [{ n: released }] = await this.ds.query(
      `WITH epoch AS (
         INSERT INTO executor.sweep_state (name, at) VALUES ($1, now())
         ON CONFLICT (name) DO UPDATE SET at = now())
       SELECT count(*)::int AS n FROM executor.dispatch_marks m
          JOIN executor.campaign_runs r ON r.campaign_id = m.campaign_id AND r.status = 'active'`,
      [SWEEP_STATE.dispatchEpoch],
    );
    const log = {
      msg: 'Redis mark set (first start, or Redis had lost its data)',
      campaignsRedispatched: released,
    };
    if (released) this.logger.warn(log);
    else this.logger.log(log);
    for (const listener of this.listeners) await listener();
    return Number(released) || 0;
  }
}
