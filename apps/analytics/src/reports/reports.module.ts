import { Module } from '@nestjs/common';
import { CampaignReportsService } from './campaign-reports.service';
import { CrossCampaignService } from './cross-campaign.service';
import { ReportsController } from './reports.controller';
import { RollupReader } from './rollup-reader';

@Module({
  controllers: [ReportsController],
  providers: [RollupReader, CampaignReportsService, CrossCampaignService],
  exports: [RollupReader],
})
export class ReportsModule {}
