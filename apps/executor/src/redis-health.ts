import { HealthService } from '@app/common';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';

export const REDIS = Symbol('REDIS');

/** The executor's Redis connection (BullMQ lives there), checked by /health. */
@Injectable()
export class RedisHealth implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly health: HealthService,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', async () => void (await this.redis.ping()));
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
