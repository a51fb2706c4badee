import { Module } from '@nestjs/common';
import { InboundController } from './inbound.controller';
import { TrackingController } from './tracking.controller';

@Module({ controllers: [TrackingController, InboundController] })
export class GatewayTrackingModule {}
