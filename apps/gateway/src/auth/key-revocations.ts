import { KEY_REVOKED_CHANNEL } from '@app/contracts';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { GATEWAY_ENV, GatewayEnv } from '../core/gateway-env';
import { KeyCache } from './key-cache';

/** Tells every gateway replica, over Redis pub/sub, that a key was revoked. */
@Injectable()
export class KeyRevocations implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KeyRevocations.name);
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(
    @Inject(GATEWAY_ENV) env: GatewayEnv,
    private readonly cache: KeyCache,
  ) {
    this.pub = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.sub = new Redis(env.REDIS_URL, { lazyConnect: true });
  }

  async onModuleInit(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    await this.sub.subscribe(KEY_REVOKED_CHANNEL);
    this.sub.on('message', (_channel, apiKeyId: string) => this.cache.evictKey(apiKeyId));
  }

  async announce(apiKeyId: string): Promise<void> {
    this.cache.evictKey(apiKeyId);
    try {
      await this.pub.publish(KEY_REVOKED_CHANNEL, apiKeyId);
    } catch (err) {
      // Other replicas still drop the key when their cache entry expires (API_KEY_CACHE_TTL_MS).
      this.logger.warn({ msg: 'could not announce key revocation', error: (err as Error).message });
    }
  }

  ping(): Promise<string> {
    return this.pub.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
