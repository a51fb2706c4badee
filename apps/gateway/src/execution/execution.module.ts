import { Module } from '@nestjs/common';
import { AbTestController } from './ab-test.controller';
import { ProgressController } from './progress.controller';

/** Routes served by the executor: campaign progress and the A/B winner override. */
@Module({ controllers: [ProgressController, AbTestController] })
export class GatewayExecutionModule {}
