import { createHealthController, HealthModule } from '@app/common';
import { HealthRpc } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { KafkaModule, serviceKafkaOptions } from '@app/kafka';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AudienceModule } from './audience/audience.module';
import { leadsEntities, leadsMigrations, SCHEMA } from './database/schema';
import { ConsentModule } from './consent/consent.module';
import { ExportModule } from './exports/export.module';
import { ImportsModule } from './imports/imports.module';
import { LEADS_ENV, LeadsEnv } from './leads-env';
import { LeadsModule } from './leads/leads.module';
import { SegmentsModule } from './segments/segments.module';
import { SuppressionsModule } from './suppressions/suppressions.module';

@Global()
@Module({})
class EnvModule {
  static register(env: LeadsEnv): DynamicModule {
    return {
      module: EnvModule,
      providers: [{ provide: LEADS_ENV, useValue: env }],
      exports: [LEADS_ENV],
    };
  }
}

@Module({})
export class AppModule {
  static register(env: LeadsEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EnvModule.register(env),
        HealthModule,
        DatabaseModule.forService({
          url: env.DATABASE_URL,
          schema: SCHEMA,
          entities: leadsEntities,
          migrations: leadsMigrations,
          poolSize: env.DATABASE_POOL_SIZE,
        }),
        KafkaModule.forRoot(serviceKafkaOptions(env, 'leads', SCHEMA)),
        LeadsModule,
        SegmentsModule,
        SuppressionsModule,
        ConsentModule,
        AudienceModule,
        ImportsModule,
        ExportModule,
      ],
      controllers: [createHealthController(HealthRpc.leads)],
    };
  }
}
