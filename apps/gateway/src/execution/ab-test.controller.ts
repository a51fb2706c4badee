import { RequestContext } from '@app/common';
import { AbTestProgressView, CampaignsRpc, ExecutorRpc, SelectAbWinnerDto } from '@app/contracts';
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { CAMPAIGNS, EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';

const AB_EXAMPLE = {
  phase: 'decided',
  stepId: '6a1f0c2e-8b3d-4e5f-9a0b-1c2d3e4f5a6b',
  testPercentage: 20,
  winnerMetric: 'open_rate',
  startedAt: '2026-06-20T09:00:00.000Z',
  decideAt: '2026-06-20T13:00:00.000Z',
  held: 0,
  variants: [
    {
      variantId: 'a1',
      name: 'A',
      sent: 1000,
      opens: 210,
      clicks: 30,
      openRate: 0.21,
      clickRate: 0.03,
    },
    {
      variantId: 'b2',
      name: 'B',
      sent: 1000,
      opens: 260,
      clicks: 41,
      openRate: 0.26,
      clickRate: 0.041,
    },
  ],
  winner: {
    variantId: 'b2',
    name: 'B',
    decidedAt: '2026-06-20T11:12:00.000Z',
    decidedBy: 'manual',
    reason: 'manual',
    basis: [],
  },
};

@ApiTags('execution')
@ApiBearerAuth()
@Controller('api/v1/campaigns')
export class AbTestController {
  constructor(
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
    @Inject(EXECUTOR) private readonly executor: ServiceClient,
  ) {}

  @Post(':id/ab-test/winner')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Select the A/B winner now (by variant id or name); the held contacts get it',
  })
  @ApiEnvelope(AB_EXAMPLE)
  async selectWinner(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: SelectAbWinnerDto,
  ) {
    // The campaigns service owns the campaign: a foreign or unknown id is its 404.
    await this.campaigns.call(CampaignsRpc.get, { id }, ctx);
    return this.executor.call<AbTestProgressView>(
      ExecutorRpc.selectAbWinner,
      { campaignId: id, variant: dto.variant },
      ctx,
    );
  }
}
