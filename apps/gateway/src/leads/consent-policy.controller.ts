import { RequestContext } from '@app/common';
import { ConsentPolicyView, LeadsApiRpc, SetConsentPolicyDto } from '@app/contracts';
import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { LEADS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { ApiEnvelope } from '../docs/api-envelope';

const POLICY_EXAMPLE: ConsentPolicyView = {
  mode: 'opt_in',
  source: 'workspace',
  updatedAt: '2026-11-27T09:00:00.000Z',
};

@ApiTags('suppressions')
@ApiBearerAuth()
@Controller('api/v1/consent-policy')
export class ConsentPolicyController {
  constructor(@Inject(LEADS) private readonly leads: ServiceClient) {}

  @Get()
  @ApiOperation({
    summary:
      'Whether leads without consent information may be mailed: opt_in (no) or implied (yes)',
  })
  @ApiEnvelope(POLICY_EXAMPLE)
  get(@Ctx() ctx: RequestContext) {
    return this.leads.call<ConsentPolicyView>(LeadsApiRpc.getConsentPolicy, {}, ctx);
  }

  @Put()
  @ApiOperation({
    summary: 'Set the workspace’s consent mode; applies at once to audiences and send-time checks',
  })
  @ApiEnvelope(POLICY_EXAMPLE)
  set(@Ctx() ctx: RequestContext, @Body() dto: SetConsentPolicyDto) {
    return this.leads.call<ConsentPolicyView>(LeadsApiRpc.setConsentPolicy, dto, ctx);
  }
}
