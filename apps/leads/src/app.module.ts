import { createHealthController, HealthModule } from '@app/common';
import { EnvOf } from '@app/config';
import { HealthRpc } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { KafkaModule } from '@app/kafka';
import { DynamicModule, Module } from '@nestjs/common';
import { leadsEnv } from './config';
import { leadsEntities, leadsMigrations, SCHEMA } from './database/schema';

@Module({})
export class AppModule {
  static register(env: EnvOf<typeof leadsEnv>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        DatabaseModule.forService({
          url: env.DATABASE_URL,
          schema: SCHEMA,
          entities: leadsEntities,
          migrations: leadsMigrations,
          poolSize: env.DATABASE_POOL_SIZE,
        }),
        KafkaModule.forRoot({
          brokers: env.KAFKA_BROKERS,
          clientId: `${env.KAFKA_CLIENT_ID}-leads`,
          topicPrefix: env.KAFKA_TOPIC_PREFIX,
          outboxSchema: SCHEMA,
        }),
      ],
      controllers: [createHealthController(HealthRpc.leads)],
    };
  }
}
