import { Paged, RequestContext } from '@app/common';
import {
  CampaignsRpc,
  CampaignView,
  ChangeStatusDto,
  CloneCampaignDto,
  CreateCampaignDto,
  ExecutorRpc,
  LaunchCampaignDto,
  SendActionDto,
  ListCampaignsQuery,
  TransitionResult,
  UpdateCampaignDto,
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
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { paged } from '../core/envelope';
import { referenced } from '../core/references';
import { CAMPAIGNS, EXECUTOR } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { CampaignStatisticsReader } from './campaign-statistics';
import {
  CAMPAIGN_EXAMPLE,
  DELETED_EXAMPLE,
  LAUNCH_EXAMPLE,
  PAGINATION_EXAMPLE,
  TRANSITION_EXAMPLE,
} from '../docs/examples';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('api/v1/campaigns')
export class CampaignsController {
  constructor(
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
    @Inject(EXECUTOR) private readonly executor: ServiceClient,
    private readonly statistics: CampaignStatisticsReader,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a campaign (starts as draft)' })
  @ApiEnvelope(CAMPAIGN_EXAMPLE, 201)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateCampaignDto) {
    await this.assertChannelAccount(ctx, dto.settings?.channelAccountId);
    return this.statistics.fresh(
      await this.campaigns.call<CampaignView>(CampaignsRpc.create, dto, ctx),
    );
  }

  @Get()
  @ApiOperation({ summary: 'List campaigns: filters, search, sort, page/limit or offset' })
  @ApiEnvelope([CAMPAIGN_EXAMPLE], 200, PAGINATION_EXAMPLE)
  async list(@Ctx() ctx: RequestContext, @Query() query: ListCampaignsQuery) {
    const page = await this.campaigns.call<Paged<CampaignView>>(CampaignsRpc.list, query, ctx);
    return paged({ ...page, items: await this.statistics.fill(ctx, page.items) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a campaign with its steps' })
  @ApiEnvelope({ ...CAMPAIGN_EXAMPLE, steps: [] })
  get(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.view(ctx, this.campaigns.call<CampaignView>(CampaignsRpc.get, { id }, ctx));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update a campaign (nested objects merge one level deep); refused once completed',
  })
  @ApiEnvelope(CAMPAIGN_EXAMPLE)
  async update(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateCampaignDto,
  ) {
    await this.assertChannelAccount(ctx, dto.settings?.channelAccountId);
    return this.view(
      ctx,
      this.campaigns.call<CampaignView>(CampaignsRpc.update, { id, changes: dto }, ctx),
    );
  }

  @Put(':id')
  @ApiOperation({ summary: 'Same as PATCH, for clients written that way' })
  @ApiEnvelope(CAMPAIGN_EXAMPLE)
  replace(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateCampaignDto,
  ) {
    return this.update(ctx, id, dto);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a campaign (only draft or cancelled)' })
  @ApiEnvelope({ ...DELETED_EXAMPLE, message: 'Campaign deleted successfully' })
  remove(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.campaigns.call(CampaignsRpc.remove, { id }, ctx);
  }

  @Post(':id/launch')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Launch now, or schedule with a future scheduledAt; answers with the executionId',
  })
  @ApiEnvelope(LAUNCH_EXAMPLE)
  launch(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: LaunchCampaignDto,
  ) {
    return this.transition(ctx, id, { action: 'launch', launch: dto });
  }

  @Post(':id/execute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Alias of launch' })
  @ApiEnvelope(LAUNCH_EXAMPLE)
  execute(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: LaunchCampaignDto,
  ) {
    return this.launch(ctx, id, dto);
  }

  @Post(':id/send')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start, resume or pause by action name (same state machine)' })
  @ApiEnvelope(LAUNCH_EXAMPLE)
  send(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string, @Body() dto: SendActionDto) {
    const action = dto.action === 'start' ? 'launch' : dto.action;
    return this.transition(ctx, id, { action });
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause an active campaign' })
  @ApiEnvelope(TRANSITION_EXAMPLE)
  pause(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.transition(ctx, id, { action: 'pause' });
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resume a paused campaign; every contact continues from its current step',
  })
  @ApiEnvelope({ ...TRANSITION_EXAMPLE, from: 'paused', to: 'active', message: 'Campaign active' })
  resume(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.transition(ctx, id, { action: 'resume' });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a campaign; ends every enrollment' })
  @ApiEnvelope({ ...TRANSITION_EXAMPLE, to: 'cancelled', message: 'Campaign cancelled' })
  cancel(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.transition(ctx, id, { action: 'cancel' });
  }

  @Patch(':id/status')
  @ApiOperation({
    summary:
      'Move to a status through the state machine (409 naming the current state when illegal)',
  })
  @ApiEnvelope(TRANSITION_EXAMPLE)
  status(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: ChangeStatusDto,
  ) {
    return this.transition(ctx, id, { targetStatus: dto.status, reason: dto.reason });
  }

  @Post(':id/clone')
  @ApiOperation({
    summary: 'Copy a campaign and its steps as a new draft (a new campaign: no statistics yet)',
  })
  @ApiEnvelope({ ...CAMPAIGN_EXAMPLE, name: 'Q1 Product Launch Campaign (Copy)', steps: [] }, 201)
  async clone(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() dto: CloneCampaignDto,
  ) {
    return this.statistics.fresh(
      await this.campaigns.call<CampaignView>(CampaignsRpc.clone, { id, ...dto }, ctx),
    );
  }

  private async transition(ctx: RequestContext, id: string, input: Record<string, unknown>) {
    const result = await this.campaigns.call<TransitionResult>(
      CampaignsRpc.transition,
      { id, ...input },
      ctx,
    );
    return { ...result, campaign: await this.statistics.one(ctx, result.campaign) };
  }

  /** A campaign view as answered, with its figures from analytics (CampaignStatisticsReader). */
  private async view(ctx: RequestContext, answer: Promise<CampaignView>): Promise<CampaignView> {
    return this.statistics.one(ctx, await answer);
  }

  /** A campaign may name only a channel account of its own workspace (400 otherwise, nothing saved). */
  private async assertChannelAccount(ctx: RequestContext, id: string | undefined): Promise<void> {
    if (!id) return;
    await referenced(
      this.executor.call(ExecutorRpc.getChannelAccount, { id }, ctx),
      'settings.channelAccountId',
      `channel account ${id}`,
    );
  }
}
