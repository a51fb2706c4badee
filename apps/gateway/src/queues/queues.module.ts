import { ALL_QUEUES } from '@app/contracts';
import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { GATEWAY_ENV, GatewayEnv } from '../core/gateway-env';

export const BULL_QUEUES = Symbol('BULL_QUEUES');

@Injectable()
class QueuesCloser implements OnApplicationShutdown {
  constructor(@Inject(BULL_QUEUES) private readonly queues: Queue[]) {}
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}

/** Read handles on the executor's queues, for Bull Board. */
@Global()
@Module({
  providers: [
    {
      provide: BULL_QUEUES,
      inject: [GATEWAY_ENV],
      useFactory: (env: GatewayEnv) => {
        const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
        return ALL_QUEUES.map((name) => new Queue(name, { connection, prefix: env.QUEUE_PREFIX }));
      },
    },
    QueuesCloser,
  ],
  exports: [BULL_QUEUES],
})
export class QueuesModule {}
