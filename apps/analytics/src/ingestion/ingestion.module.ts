import { Module } from '@nestjs/common';
import { IngestionConsumer } from './ingestion.consumer';
import { RawRetention } from './raw-retention';

@Module({ providers: [IngestionConsumer, RawRetention] })
export class IngestionModule {}
