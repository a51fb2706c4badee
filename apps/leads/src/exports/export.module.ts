import { Module } from '@nestjs/common';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { ExportStreamController } from './export-stream.controller';

@Module({ controllers: [ExportController, ExportStreamController], providers: [ExportService] })
export class ExportModule {}
