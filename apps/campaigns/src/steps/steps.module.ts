import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { StepsController } from './steps.controller';
import { StepsService } from './steps.service';

@Module({ imports: [CampaignsModule], controllers: [StepsController], providers: [StepsService] })
export class StepsModule {}
