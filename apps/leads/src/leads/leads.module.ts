import { Module } from '@nestjs/common';
import { ErasureService } from './erasure.service';
import { LeadCaptureService } from './lead-capture.service';
import { LeadEvents } from './lead-events';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

@Module({
  controllers: [LeadsController],
  providers: [LeadsService, LeadCaptureService, ErasureService, LeadEvents],
  exports: [LeadsService, LeadEvents],
})
export class LeadsModule {}
