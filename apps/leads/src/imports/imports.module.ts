import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { ImportFinisher } from './import-finisher';
import { ImportRunner } from './import-runner';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({
  imports: [LeadsModule],
  controllers: [ImportsController],
  providers: [ImportsService, ImportRunner, ImportFinisher],
})
export class ImportsModule {}
