import { Module } from '@nestjs/common';
import { FieldCoverageController, FieldCoverageService } from './field-coverage';
import { SegmentsController } from './segments.controller';
import { SegmentsService } from './segments.service';

@Module({
  controllers: [SegmentsController, FieldCoverageController],
  providers: [SegmentsService, FieldCoverageService],
  exports: [SegmentsService],
})
export class SegmentsModule {}
