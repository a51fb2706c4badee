import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { CampaignAccess } from './campaign-access';
import { CampaignAnalyticsController } from './campaign-analytics.controller';

/** Routes to the analytics service: per-campaign reports, external metrics, conversions. */
@Module({
  controllers: [CampaignAnalyticsController, AnalyticsController],
  providers: [CampaignAccess],
})
export class GatewayAnalyticsModule {}
