import { RequestContext } from '@app/common';
import { CampaignsRpc, CreateStepDto, ExecutorRpc, StepView, UpdateStepDto } from '@app/contracts';
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
import { CAMPAIGNS, EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { DELETED_EXAMPLE, STEP_EXAMPLE } from '../docs/examples';

@ApiTags('steps')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id/steps')
export class StepsController {
  constructor(
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
    @Inject(EXECUTOR) private readonly executor: ServiceClient,
  ) {}

  /**
   * A webhook step's URL goes through the executor's SSRF guard before it is saved (the same
   * guard runs again on every connection at send time). The campaign is looked up first, so a
   * foreign id stays a 404 whatever the URL.
   */
  private async checkWebhookUrl(
    ctx: RequestContext,
    campaignId: string,
    url: string | undefined,
  ): Promise<void> {
    if (!url) return;
    await this.campaigns.call(CampaignsRpc.get, { id: campaignId }, ctx);
    await this.executor.call(ExecutorRpc.checkOutboundUrl, { url, field: 'webhook.url' }, ctx);
  }

  @Get()
  @ApiOperation({ summary: 'The campaign’s sequence, in order' })
  @ApiEnvelope([STEP_EXAMPLE])
  list(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) campaignId: string) {
    return this.campaigns.call<StepView[]>(CampaignsRpc.listSteps, { campaignId }, ctx);
  }

  @Post()
  @ApiOperation({
    summary: 'Add a step (email, wait, condition, webhook); placeholders are checked',
  })
  @ApiEnvelope(STEP_EXAMPLE, 201)
  async create(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Body() step: CreateStepDto,
  ) {
    await this.checkWebhookUrl(ctx, campaignId, step.webhook?.url);
    return this.campaigns.call<StepView>(CampaignsRpc.createStep, { campaignId, step }, ctx);
  }

  @Patch(':stepId')
  @ApiOperation({ summary: 'Change a step (draft, scheduled or paused campaigns)' })
  @ApiEnvelope(STEP_EXAMPLE)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('stepId', UuidPipe) stepId: string,
    @Body() changes: UpdateStepDto,
  ) {
    await this.checkWebhookUrl(ctx, campaignId, changes.webhook?.url);
    return this.campaigns.call<StepView>(
      CampaignsRpc.updateStep,
      { campaignId, stepId, changes },
      ctx,
    );
  }

  @Put(':stepId')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiEnvelope(STEP_EXAMPLE)
  replace(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('stepId', UuidPipe) stepId: string,
    @Body() changes: UpdateStepDto,
  ) {
    return this.update(ctx, campaignId, stepId, changes);
  }

  @Delete(':stepId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a step; later steps move up' })
  @ApiEnvelope(DELETED_EXAMPLE)
  remove(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) campaignId: string,
    @Param('stepId', UuidPipe) stepId: string,
  ) {
    return this.campaigns.call(CampaignsRpc.removeStep, { campaignId, stepId }, ctx);
  }
}
