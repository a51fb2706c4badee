import { Module } from '@nestjs/common';
import { ChannelAccountsController } from './channel-accounts.controller';

@Module({ controllers: [ChannelAccountsController] })
export class GatewayChannelAccountsModule {}
