import { Module } from '@nestjs/common';
import { ConsentModule } from '../consent/consent.module';
import { AudienceController } from './audience.controller';
import { AudienceService } from './audience.service';

@Module({
  imports: [ConsentModule],
  controllers: [AudienceController],
  providers: [AudienceService],
})
export class AudienceModule {}
