import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { AnalyticsRpc, RecordConversionDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ConversionsService } from './conversions.service';

@RpcController()
export class ConversionsController {
  constructor(private readonly conversions: ConversionsService) {}

  @MessagePattern(AnalyticsRpc.recordConversion)
  record(@Payload() req: RpcRequest<RecordConversionDto>) {
    return this.conversions.record(scopeOf(req.ctx), req.data);
  }
}
