import { Module } from '@nestjs/common';
import { ErasureService } from './erasure.service';
import { LeadCaptureService } from './lead-capture.service';
import { LeadEvents } from './lead-events';
import { LeadIndexUpkeep } from './lead-index-upkeep';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

@Module({
  controllers: [LeadsController],
  providers: [LeadsService, LeadCaptureService, ErasureService, LeadEvents, LeadIndexUpkeep],
  exports: [LeadsService, LeadEvents, LeadIndexUpkeep],
})
export class LeadsModule {}
