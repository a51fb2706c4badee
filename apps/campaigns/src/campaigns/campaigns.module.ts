import { Module } from '@nestjs/common';
import { CampaignEvents } from './campaign-events';
import { CampaignLookup } from './campaign-lookup';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignLookup, CampaignEvents],
  exports: [CampaignLookup, CampaignEvents],
})
export class CampaignsModule {}
