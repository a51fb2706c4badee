import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import { REDIS } from '../redis-health';

/**
 * Hands out send slots of an account, spaced 1000/rate ms apart, shared by every executor
 * (one Redis key per account): KEYS[1] = the account's next free slot; returns the slot taken.
 */
const TAKE_SLOT = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree < now then nextFree = now end
redis.call('SET', KEYS[1], tostring(nextFree + interval), 'PX', math.max(60000, nextFree + interval - now + 60000))
return tostring(nextFree)
`;

/** A send may wait this long in the worker for its slot; a later slot postpones the step. */
export const INLINE_WAIT_MS = 250;

export type Pacing = { waitMs: number } | { postponeUntil: Date };

/**
 * Per-account messages per second, exact across executors: every send takes its own slot, so
 * no second holds more than `rate` sends through one account. A send whose slot is close waits
 * for it; one whose slot is further away is postponed to it, keeping the slot (remembered in
 * Redis by enrollment and step) so it does not queue again when it comes back. If Redis loses
 * a remembered slot the send takes a new one: slower, never faster.
 */
@Injectable()
export class AccountPacer {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  async pace(accountId: string, ratePerSecond: number, sendKey: string): Promise<Pacing> {
    const now = Date.now();
    const held = `${this.env.QUEUE_PREFIX}:pace:held:${accountId}:${sendKey}`;
    const kept = await this.redis.getdel(held);
    const slot =
      kept !== null
        ? Number(kept)
        : Number(
            await this.redis.eval(
              TAKE_SLOT,
              1,
              `${this.env.QUEUE_PREFIX}:pace:${accountId}`,
              String(now),
              String(1000 / ratePerSecond),
            ),
          );
    const waitMs = Math.max(0, Math.ceil(slot - now));
    if (waitMs <= INLINE_WAIT_MS) return { waitMs };
    await this.redis.set(held, String(slot), 'PX', waitMs + 600000);
    return { postponeUntil: new Date(slot) };
  }
}
