import { RequestContext } from '@app/common';
import { CampaignProgressView, CampaignsRpc, CampaignView, ExecutorRpc } from '@app/contracts';
import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { CAMPAIGNS, EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';

const PROGRESS_EXAMPLE = {
  campaignId: '0b6f7e0c-2a51-4a7e-9d0b-3c1f2e4d5a6b',
  executionId: '5d2c8e1a-7b3f-4c60-9a1e-2f4b6d8c0e13',
  status: 'active',
  progress: {
    percentage: 65,
    processed: 5525,
    total: 8500,
    successful: 5300,
    failed: 225,
    uncertain: 0,
    skipped: 0,
  },
  enrollments: { active: 2975, completed: 5300, bounced: 225 },
  currentRate: 120,
  estimatedCompletion: '2026-06-20T16:45:00Z',
  errors: [{ code: 'SMTP_550', count: 150, message: '5.1.1 mailbox unavailable' }],
  testMode: false,
};

@ApiTags('execution')
@ApiBearerAuth()
@Controller('api/v1/campaigns')
export class ProgressController {
  constructor(
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
    @Inject(EXECUTOR) private readonly executor: ServiceClient,
  ) {}

  @Get(':id/progress')
  @ApiOperation({ summary: 'Real-time sending progress: counts, rate, ETA, errors by code' })
  @ApiEnvelope(PROGRESS_EXAMPLE)
  async progress(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    // The campaigns service owns the campaign: a foreign or unknown id is its 404, not ours.
    const campaign = await this.campaigns.call<CampaignView>(CampaignsRpc.get, { id }, ctx);
    return this.executor.call<CampaignProgressView>(
      ExecutorRpc.progress,
      { campaignId: id, status: campaign.status },
      ctx,
    );
  }
}
