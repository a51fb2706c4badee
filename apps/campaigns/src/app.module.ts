import { createHealthController, HealthModule } from '@app/common';
import { EnvOf } from '@app/config';
import { CampaignsRpc } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { KafkaModule, serviceKafkaOptions } from '@app/kafka';
import { DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { CampaignEndModule } from './campaigns/campaign-end.sweeper';
import { CampaignsModule } from './campaigns/campaigns.module';
import { campaignsEnv } from './config';
import { ContentModule } from './content/content.module';
import { campaignsEntities, SCHEMA } from './database/entities';
import { campaignsMigrations } from './database/migrations';
import { StepsModule } from './steps/steps.module';
import { TasksModule } from './tasks/tasks.module';
import { TemplatesModule } from './templates/templates.module';

type Env = EnvOf<typeof campaignsEnv>;

@Module({})
export class AppModule {
  static register(env: Env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        DatabaseModule.forService({
          url: env.DATABASE_URL,
          schema: SCHEMA,
          entities: campaignsEntities,
          migrations: campaignsMigrations,
          poolSize: env.DATABASE_POOL_SIZE,
        }),
        KafkaModule.forRoot(serviceKafkaOptions(env, 'campaigns', SCHEMA)),
        AccountsModule,
        CampaignsModule,
        CampaignEndModule.register(env.CAMPAIGN_END_SWEEP_MS),
        StepsModule,
        TasksModule,
        TemplatesModule,
        ContentModule.register({ mediaDir: env.MEDIA_DIR, maxBytes: env.MEDIA_MAX_BYTES }),
      ],
      controllers: [createHealthController(CampaignsRpc.health)],
    };
  }
}
