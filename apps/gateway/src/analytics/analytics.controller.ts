import { RequestContext } from '@app/common';
import { AnalyticsRpc, DateRangeQuery, RecordConversionDto } from '@app/contracts';
import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ValidationError } from '@app/common';
import { Ctx } from '../auth/auth.decorators';
import { ANALYTICS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { ApiEnvelope } from '../docs/api-envelope';
import { CONVERSION_EXAMPLE, CROSS_CAMPAIGN_EXAMPLE } from '../docs/examples';
import { CampaignAccess } from './campaign-access';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('api/v1')
export class AnalyticsController {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: ServiceClient,
    private readonly access: CampaignAccess,
  ) {}

  @Get('analytics/campaigns')
  @ApiOperation({
    summary: 'Totals across campaigns, one row per campaign, and insights (default: last 30 days)',
  })
  @ApiEnvelope(CROSS_CAMPAIGN_EXAMPLE)
  campaigns(@Ctx() ctx: RequestContext, @Query() q: DateRangeQuery) {
    return this.analytics.call(AnalyticsRpc.crossCampaign, q, ctx);
  }

  @Post('conversions')
  @ApiOperation({
    summary:
      'Record a conversion; attributed to the last click (else open) within the window, else to campaignId',
  })
  @ApiEnvelope(CONVERSION_EXAMPLE, 201)
  async conversion(
    @Ctx() ctx: RequestContext,
    @Body() dto: RecordConversionDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!dto.leadId && !dto.email) {
      const message = 'leadId or email is required';
      throw new ValidationError(message, [{ field: 'leadId', message }]);
    }
    if (dto.campaignId) await this.access.ensure(ctx, dto.campaignId);
    const result = await this.analytics.call<{ duplicate: boolean }>(
      AnalyticsRpc.recordConversion,
      dto,
      ctx,
    );
    res.status(result.duplicate ? 200 : 201);
    return result;
  }
}
