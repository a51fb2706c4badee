import { createHealthController, HealthModule } from '@app/common';
import { HealthRpc } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { KafkaModule, serviceKafkaOptions } from '@app/kafka';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ANALYTICS_ENV, AnalyticsEnv } from './config';
import { ConversionsModule } from './conversions/conversions.module';
import { analyticsEntities, analyticsMigrations, SCHEMA } from './database/schema';
import { ExternalMetricsModule } from './external-metrics/external-metrics.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { ReportsModule } from './reports/reports.module';

@Global()
@Module({})
class EnvModule {
  static register(env: AnalyticsEnv): DynamicModule {
    return {
      module: EnvModule,
      providers: [{ provide: ANALYTICS_ENV, useValue: env }],
      exports: [ANALYTICS_ENV],
    };
  }
}

/** Analytics: Kafka ingestion into rollups, and the read side the gateway calls over TCP. */
@Module({})
export class AppModule {
  static register(env: AnalyticsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EnvModule.register(env),
        HealthModule,
        DatabaseModule.forService({
          url: env.DATABASE_URL,
          schema: SCHEMA,
          entities: analyticsEntities,
          migrations: analyticsMigrations,
          poolSize: env.DATABASE_POOL_SIZE,
        }),
        KafkaModule.forRoot(serviceKafkaOptions(env, 'analytics', SCHEMA)),
        IngestionModule,
        ReportsModule,
        ExternalMetricsModule,
        ConversionsModule,
      ],
      controllers: [createHealthController(HealthRpc.analytics)],
    };
  }
}
