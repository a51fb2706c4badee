import { createHealthController, HealthModule } from '@app/common';
import { EnvOf } from '@app/config';
import { HealthRpc } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { KafkaModule } from '@app/kafka';
import { DynamicModule, Module } from '@nestjs/common';
import { analyticsEnv } from './config';
import { analyticsEntities, analyticsMigrations, SCHEMA } from './database/schema';

@Module({})
export class AppModule {
  static register(env: EnvOf<typeof analyticsEnv>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        DatabaseModule.forService({
          url: env.DATABASE_URL,
          schema: SCHEMA,
          entities: analyticsEntities,
          migrations: analyticsMigrations,
          poolSize: env.DATABASE_POOL_SIZE,
        }),
        KafkaModule.forRoot({
          brokers: env.KAFKA_BROKERS,
          clientId: `${env.KAFKA_CLIENT_ID}-analytics`,
          topicPrefix: env.KAFKA_TOPIC_PREFIX,
          outboxSchema: SCHEMA,
        }),
      ],
      controllers: [createHealthController(HealthRpc.analytics)],
    };
  }
}
