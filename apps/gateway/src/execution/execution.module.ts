import { Module } from '@nestjs/common';
import { ProgressController } from './progress.controller';

/** Routes served by the executor: campaign progress. */
@Module({ controllers: [ProgressController] })
export class GatewayExecutionModule {}
