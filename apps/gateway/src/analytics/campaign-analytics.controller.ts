import { RequestContext } from '@app/common';
import {
  AbResultsQuery,
  AnalyticsRpc,
  CampaignAnalyticsQuery,
  DateRangeQuery,
  LeadsApiRpc,
  RecordExternalMetricsDto,
  StatisticsQuery,
} from '@app/contracts';
import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ctx } from '../auth/auth.decorators';
import { ANALYTICS, LEADS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import {
  EXTERNAL_METRICS_EXAMPLE,
  EXTERNAL_METRICS_ROW_EXAMPLE,
  PERFORMANCE_EXAMPLE,
  STATISTICS_EXAMPLE,
} from '../docs/examples';
import { CampaignAccess } from './campaign-access';

/** Segment names looked up per statistics answer (a campaign targets a handful). */
const MAX_SEGMENT_NAMES = 50;

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id')
export class CampaignAnalyticsController {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: ServiceClient,
    @Inject(LEADS) private readonly leads: ServiceClient,
    private readonly access: CampaignAccess,
  ) {}

  private async read<T = unknown>(
    ctx: RequestContext,
    id: string,
    pattern: string,
    query: object = {},
  ): Promise<T> {
    await this.access.ensure(ctx, id);
    return this.analytics.call<T>(pattern, { campaignId: id, query }, ctx);
  }

  /**
   * Analytics knows segments by id only (events carry the id); their names come from the leads
   * service, one lookup per segment of the campaign. A segment deleted since, or one the leads
   * service cannot answer for, keeps its figures with `name: null`.
   */
  private async withSegmentNames(
    ctx: RequestContext,
    segments: { segmentId: string | null }[],
  ): Promise<{ segmentId: string | null; name: string | null }[]> {
    const ids = [...new Set(segments.map((s) => s.segmentId).filter((s): s is string => !!s))];
    const names = new Map<string, string | null>(
      await Promise.all(
        ids.slice(0, MAX_SEGMENT_NAMES).map(async (segmentId) => {
          try {
            const s = await this.leads.call<{ name: string }>(
              LeadsApiRpc.getSegment,
              { id: segmentId },
              ctx,
            );
            return [segmentId, s.name] as const;
          } catch {
            return [segmentId, null] as const;
          }
        }),
      ),
    );
    return segments.map(({ segmentId, ...rest }) => ({
      segmentId,
      name: (segmentId && names.get(segmentId)) ?? null,
      ...rest,
    }));
  }

  @Get('performance')
  @ApiOperation({ summary: 'Counts, rates, attributed revenue, CPA and ROI since the start' })
  @ApiEnvelope(PERFORMANCE_EXAMPLE)
  performance(@Ctx() ctx: RequestContext, @Param('id', UuidPipe) id: string) {
    return this.read(ctx, id, AnalyticsRpc.performance);
  }

  @Get('statistics')
  @ApiOperation({ summary: 'Overview, rates, timeline and per-segment results over a period' })
  @ApiEnvelope(STATISTICS_EXAMPLE)
  async statistics(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Query() q: StatisticsQuery,
  ) {
    const stats = await this.read<{ segments?: { segmentId: string | null }[] }>(
      ctx,
      id,
      AnalyticsRpc.statistics,
      q,
    );
    if (stats.segments?.length) stats.segments = await this.withSegmentNames(ctx, stats.segments);
    return stats;
  }

  @Get('analytics')
  @ApiOperation({
    summary: 'Overall, by step, by variant (A/B test) and by source, for a date range',
  })
  campaignAnalytics(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Query() q: CampaignAnalyticsQuery,
  ) {
    return this.read(ctx, id, AnalyticsRpc.campaignAnalytics, q);
  }

  @Get('analytics/external')
  @ApiOperation({
    summary:
      'External metrics as recorded: one row per day and source, custom metrics included (startDate, endDate, source)',
  })
  @ApiEnvelope([EXTERNAL_METRICS_ROW_EXAMPLE])
  external(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Query() q: CampaignAnalyticsQuery,
  ) {
    return this.read(ctx, id, AnalyticsRpc.listExternal, q);
  }

  @Get('analytics/summary')
  @ApiOperation({ summary: 'Totals, active days and best day for a date range' })
  summary(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Query() q: DateRangeQuery,
  ) {
    return this.read(ctx, id, AnalyticsRpc.campaignSummary, q);
  }

  @Get('ab-results')
  @ApiOperation({
    summary: 'A/B results per step: rates, two-proportion z-test, winner when significant',
  })
  abResults(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Query() q: AbResultsQuery,
  ) {
    return this.read(ctx, id, AnalyticsRpc.abResults, q);
  }

  @Post('analytics')
  @ApiOperation({
    summary:
      'Record external metrics for a day and source (201); the same day and source again replaces them (200, replaced: true)',
  })
  @ApiEnvelope(EXTERNAL_METRICS_EXAMPLE, 201)
  async record(
    @Ctx() ctx: RequestContext,
    @Param('id', UuidPipe) id: string,
    @Body() body: RecordExternalMetricsDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.access.ensure(ctx, id);
    const result = await this.analytics.call<{ replaced: boolean }>(
      AnalyticsRpc.recordExternal,
      { campaignId: id, body },
      ctx,
    );
    res.status(result.replaced ? 200 : 201);
    return result;
  }
}
