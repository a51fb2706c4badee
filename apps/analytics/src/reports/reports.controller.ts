import { RpcController, RpcRequest, scopeOf } from '@app/common';
import {
  AbResultsQuery,
  AnalyticsRpc,
  CampaignAnalyticsQuery,
  DateRangeQuery,
  StatisticsQuery,
} from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CampaignReportsService } from './campaign-reports.service';
import { CrossCampaignService } from './cross-campaign.service';

type ForCampaign<T = unknown> = { campaignId: string; query: T };

@RpcController()
export class ReportsController {
  constructor(
    private readonly reports: CampaignReportsService,
    private readonly cross: CrossCampaignService,
  ) {}

  @MessagePattern(AnalyticsRpc.performance)
  performance(@Payload() req: RpcRequest<ForCampaign>) {
    return this.reports.performance(scopeOf(req.ctx), req.data.campaignId);
  }

  @MessagePattern(AnalyticsRpc.statistics)
  statistics(@Payload() req: RpcRequest<ForCampaign<StatisticsQuery>>) {
    return this.reports.statistics(scopeOf(req.ctx), req.data.campaignId, req.data.query);
  }

  @MessagePattern(AnalyticsRpc.campaignAnalytics)
  analytics(@Payload() req: RpcRequest<ForCampaign<CampaignAnalyticsQuery>>) {
    return this.reports.analytics(scopeOf(req.ctx), req.data.campaignId, req.data.query);
  }

  @MessagePattern(AnalyticsRpc.campaignSummary)
  summary(@Payload() req: RpcRequest<ForCampaign<DateRangeQuery>>) {
    return this.reports.summary(scopeOf(req.ctx), req.data.campaignId, req.data.query);
  }

  @MessagePattern(AnalyticsRpc.abResults)
  abResults(@Payload() req: RpcRequest<ForCampaign<AbResultsQuery>>) {
    return this.reports.abResults(scopeOf(req.ctx), req.data.campaignId, req.data.query);
  }

  @MessagePattern(AnalyticsRpc.campaignStatistics)
  campaignStatistics(@Payload() req: RpcRequest<{ campaignIds: string[] }>) {
    return this.reports.campaignStatistics(scopeOf(req.ctx), req.data.campaignIds ?? []);
  }

  @MessagePattern(AnalyticsRpc.crossCampaign)
  crossCampaign(@Payload() req: RpcRequest<DateRangeQuery>) {
    return this.cross.overview(scopeOf(req.ctx), req.data);
  }
}
