import { Module } from '@nestjs/common';
import { CampaignEvents } from './campaign-events';
import { CampaignLookup } from './campaign-lookup';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';
import { StepContent } from '../steps/step-content';

@Module({
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignLookup, CampaignEvents, StepContent],
  exports: [CampaignsService, CampaignLookup, CampaignEvents, StepContent],
})
export class CampaignsModule {}
