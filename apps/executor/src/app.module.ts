import { createHealthController, HealthModule } from '@app/common';
import { EnvOf } from '@app/config';
import { HealthRpc } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { KafkaModule } from '@app/kafka';
import { DynamicModule, Module } from '@nestjs/common';
import Redis from 'ioredis';
import { executorEnv } from './config';
import { REDIS, RedisHealth } from './redis-health';
import { executorEntities, executorMigrations, SCHEMA } from './database/schema';

@Module({})
export class AppModule {
  static register(env: EnvOf<typeof executorEnv>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        DatabaseModule.forService({
          url: env.DATABASE_URL,
          schema: SCHEMA,
          entities: executorEntities,
          migrations: executorMigrations,
          poolSize: env.DATABASE_POOL_SIZE,
        }),
        KafkaModule.forRoot({
          brokers: env.KAFKA_BROKERS,
          clientId: `${env.KAFKA_CLIENT_ID}-executor`,
          topicPrefix: env.KAFKA_TOPIC_PREFIX,
          outboxSchema: SCHEMA,
        }),
      ],
      controllers: [createHealthController(HealthRpc.executor)],
      providers: [
        {
          provide: REDIS,
          useFactory: () => new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }),
        },
        RedisHealth,
      ],
    };
  }
}
