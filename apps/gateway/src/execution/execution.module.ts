import { Module } from '@nestjs/common';
import { AbTestController } from './ab-test.controller';
import { ProgressController } from './progress.controller';
import { SendingLimitsController } from './sending-limits.controller';

/** Routes served by the executor: campaign progress, the A/B winner override, sending limits. */
@Module({ controllers: [ProgressController, AbTestController, SendingLimitsController] })
export class GatewayExecutionModule {}
