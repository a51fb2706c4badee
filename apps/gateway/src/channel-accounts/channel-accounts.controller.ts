import { RequestContext } from '@app/common';
import {
  ChannelAccountCheck,
  ChannelAccountView,
  CreateChannelAccountDto,
  ExecutorRpc,
  UpdateChannelAccountDto,
} from '@app/contracts';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';

const ACCOUNT_EXAMPLE = {
  id: '3f2e1d0c-9b8a-4c7d-8e6f-5a4b3c2d1e0f',
  name: 'Marketing relay',
  kind: 'smtp',
  host: 'smtp.example.com',
  port: 587,
  secure: false,
  username: 'apikey',
  hasPassword: true,
  ratePerSecond: 50,
  isDefault: true,
  createdAt: '2026-01-15T09:00:00.000Z',
  updatedAt: '2026-01-15T09:00:00.000Z',
};

/**
 * Sending accounts of the workspace (SMTP server, credentials, own messages-per-second).
 * Passwords are sealed at rest and never returned: `hasPassword` says whether one is set.
 */
@ApiTags('channel-accounts')
@ApiBearerAuth()
@Controller('api/v1/channel-accounts')
export class ChannelAccountsController {
  constructor(@Inject(EXECUTOR) private readonly executor: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'List the workspace’s channel accounts' })
  @ApiEnvelope([ACCOUNT_EXAMPLE])
  list(@Ctx() ctx: RequestContext) {
    return this.executor.call<ChannelAccountView[]>(ExecutorRpc.listChannelAccounts, {}, ctx);
  }

  @Post()
  @ApiOperation({
    summary:
      'Add an SMTP account; `isDefault` makes it the one campaigns use unless they name another',
  })
  @ApiEnvelope(ACCOUNT_EXAMPLE, 201)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateChannelAccountDto) {
    return this.executor.call<ChannelAccountView>(ExecutorRpc.createChannelAccount, dto, ctx);
  }

  @Get(':id')
  @ApiEnvelope(ACCOUNT_EXAMPLE)
  get(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.executor.call<ChannelAccountView>(ExecutorRpc.getChannelAccount, { id }, ctx);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit; senders pick the change up within seconds' })
  @ApiEnvelope(ACCOUNT_EXAMPLE)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateChannelAccountDto,
  ) {
    return this.executor.call<ChannelAccountView>(
      ExecutorRpc.updateChannelAccount,
      { id, changes: dto },
      ctx,
    );
  }

  @Put(':id')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiEnvelope(ACCOUNT_EXAMPLE)
  replace(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateChannelAccountDto,
  ) {
    return this.update(ctx, id, dto);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete; 409 naming the campaigns whose run still uses it' })
  @ApiEnvelope({ id: ACCOUNT_EXAMPLE.id, message: 'Channel account deleted' })
  remove(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.executor.call(ExecutorRpc.removeChannelAccount, { id }, ctx);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Connect and log in with the account’s credentials, sending nothing' })
  @ApiEnvelope({ id: ACCOUNT_EXAMPLE.id, ok: true, error: null, tookMs: 42 })
  verify(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.executor.call<ChannelAccountCheck>(ExecutorRpc.verifyChannelAccount, { id }, ctx);
  }
}
