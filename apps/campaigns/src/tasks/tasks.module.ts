import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({ imports: [CampaignsModule], controllers: [TasksController], providers: [TasksService] })
export class TasksModule {}
