import { RequestContext } from '@app/common';
import { ExecutorRpc, SendingLimitsView, UpdateSendingLimitsDto } from '@app/contracts';
import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { ApiEnvelope } from '../docs/api-envelope';

const LIMITS_EXAMPLE = {
  frequencyCapPerDay: 3,
  defaultFrequencyCapPerDay: 0,
  effectiveFrequencyCapPerDay: 3,
};

@ApiTags('execution')
@ApiBearerAuth()
@Controller('api/v1/sending-limits')
export class SendingLimitsController {
  constructor(@Inject(EXECUTOR) private readonly executor: ServiceClient) {}

  @Get()
  @ApiOperation({ summary: 'The workspace’s sending limits (per-contact frequency cap)' })
  @ApiEnvelope(LIMITS_EXAMPLE)
  get(@Ctx() ctx: RequestContext) {
    return this.executor.call<SendingLimitsView>(ExecutorRpc.getSendingLimits, {}, ctx);
  }

  @Put()
  @ApiOperation({
    summary: 'Set the workspace’s frequency cap (null: deployment default; 0: no cap)',
  })
  @ApiEnvelope(LIMITS_EXAMPLE)
  update(@Ctx() ctx: RequestContext, @Body() dto: UpdateSendingLimitsDto) {
    return this.executor.call<SendingLimitsView>(ExecutorRpc.updateSendingLimits, dto, ctx);
  }
}
