import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { AddSuppressionDto, LeadsApiRpc, ListSuppressionsQuery } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { SuppressionsService } from './suppressions.service';

@RpcController()
export class SuppressionsController {
  constructor(private readonly suppressions: SuppressionsService) {}

  @MessagePattern(LeadsApiRpc.listSuppressions)
  list(@Payload() req: RpcRequest<ListSuppressionsQuery>) {
    return this.suppressions.list(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsApiRpc.addSuppression)
  add(@Payload() req: RpcRequest<AddSuppressionDto>) {
    return this.suppressions.add(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsApiRpc.removeSuppression)
  remove(@Payload() req: RpcRequest<{ email: string }>) {
    return this.suppressions.remove(scopeOf(req.ctx), req.data.email);
  }
}
