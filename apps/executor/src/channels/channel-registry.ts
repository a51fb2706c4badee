import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EXECUTOR_ENV, ExecutorEnv, outboundPolicy } from '../config';
import { Channel } from './channel';
import { ChannelThreads } from './channel-threads';
import { PostBatcher } from './post-batcher';

/** The channel accounts of this deployment: one SMTP account and the HTTP channel. */
@Injectable()
export class ChannelRegistry implements OnApplicationShutdown {
  private readonly channels: Record<Channel['kind'], Channel>;

  constructor(@Inject(EXECUTOR_ENV) env: ExecutorEnv, threads: ChannelThreads) {
    this.channels = {
      email: threads.open({
        kind: 'smtp',
        account: {
          host: env.SMTP_HOST,
          port: env.SMTP_PORT,
          secure: env.SMTP_SECURE,
          user: env.SMTP_USER || undefined,
          pass: env.SMTP_PASS || undefined,
          poolSize: env.SMTP_POOL_SIZE,
          timeoutMs: env.SEND_TIMEOUT_MS,
        },
      }),
      webhook: new PostBatcher(
        threads.open({ kind: 'http', timeoutMs: env.SEND_TIMEOUT_MS, policy: outboundPolicy(env) }),
      ),
    };
  }

  get(kind: Channel['kind']): Channel {
    return this.channels[kind];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.channels).map((c) => c.close()));
  }
}
