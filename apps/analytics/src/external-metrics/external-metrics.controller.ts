import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { AnalyticsRpc, RecordExternalMetricsDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ExternalMetricsService } from './external-metrics.service';

@RpcController()
export class ExternalMetricsController {
  constructor(private readonly metrics: ExternalMetricsService) {}

  @MessagePattern(AnalyticsRpc.recordExternal)
  record(@Payload() req: RpcRequest<{ campaignId: string; body: RecordExternalMetricsDto }>) {
    return this.metrics.record(scopeOf(req.ctx), req.data.campaignId, req.data.body);
  }
}
