import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { AnalyticsRpc, CampaignAnalyticsQuery, RecordExternalMetricsDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ExternalMetricsService } from './external-metrics.service';

@RpcController()
export class ExternalMetricsController {
  constructor(private readonly metrics: ExternalMetricsService) {}

  @MessagePattern(AnalyticsRpc.recordExternal)
  record(@Payload() req: RpcRequest<{ campaignId: string; body: RecordExternalMetricsDto }>) {
    return this.metrics.record(scopeOf(req.ctx), req.data.campaignId, req.data.body);
  }

  @MessagePattern(AnalyticsRpc.listExternal)
  list(@Payload() req: RpcRequest<{ campaignId: string; query: CampaignAnalyticsQuery }>) {
    return this.metrics.list(scopeOf(req.ctx), req.data.campaignId, req.data.query);
  }
}
