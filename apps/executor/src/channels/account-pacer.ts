import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { REDIS } from '../redis-health';

/**
 * One atomic step of an account's limiter, shared by every executor.
 * KEYS[1]: sorted set of the sends of the last second (score = ms); KEYS[2]: when the next
 * postponed send should come back. ARGV: now (ms), rate, member id.
 * Returns 0 when the send may go now (and records it), else how many ms to wait: at least
 * until the oldest send of the window is a second old, and spread 1000/rate ms apart from the
 * other waiting sends, so postponed sends come back one by one rather than all at once.
 */
const ACQUIRE = `
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1000)
if redis.call('ZCARD', KEYS[1]) < rate then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], 2000)
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
local comeBack = math.max(oldest + 1000, tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[2], tostring(comeBack + 1000 / rate), 'PX', math.floor(comeBack - now) + 60000)
return math.max(1, math.ceil(comeBack - now))
`;

/** A send may wait this long in the worker for its turn; a longer wait postpones the step. */
export const INLINE_WAIT_MS = 250;

export type Pacing = { go: true } | { postponeUntil: Date };

/**
 * Per-account messages per second, exact across executors: a send goes only when fewer than
 * `rate` sends of the account went in the last second (a sliding window in Redis, checked and
 * recorded in one script). A send that must wait briefly waits in the worker; one that must
 * wait longer is postponed, at a time spread from the other waiting sends.
 */
@Injectable()
export class AccountPacer {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  async pace(accountId: string, ratePerSecond: number): Promise<Pacing> {
    const keys = [
      `${this.env.QUEUE_PREFIX}:pace:${accountId}:window`,
      `${this.env.QUEUE_PREFIX}:pace:${accountId}:next`,
    ];
    for (;;) {
      const now = Date.now();
      const wait = Number(
        await this.redis.eval(
          ACQUIRE,
          2,
          ...keys,
          String(now),
          String(ratePerSecond),
          `${now}:${randomBytes(6).toString('hex')}`,
        ),
      );
      if (wait === 0) return { go: true };
      if (wait > INLINE_WAIT_MS) return { postponeUntil: new Date(now + wait) };
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
