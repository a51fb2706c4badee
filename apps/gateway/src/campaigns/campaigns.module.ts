import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { GATEWAY_ENV, GatewayEnv } from '../core/gateway-env';
import { CampaignStatisticsReader } from './campaign-statistics';
import { CampaignsController } from './campaigns.controller';
import { ContentController } from './content.controller';
import { StepsController } from './steps.controller';
import { TasksController } from './tasks.controller';

@Module({
  imports: [
    MulterModule.registerAsync({
      inject: [GATEWAY_ENV],
      // Memory storage: the bytes go to the campaigns service, which checks and stores them.
      useFactory: (env: GatewayEnv) => ({
        limits: { fileSize: env.MEDIA_MAX_BYTES, files: 1, fields: 20 },
      }),
    }),
  ],
  controllers: [CampaignsController, StepsController, TasksController, ContentController],
  providers: [CampaignStatisticsReader],
})
export class GatewayCampaignsModule {}
