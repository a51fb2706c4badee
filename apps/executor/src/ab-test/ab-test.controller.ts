import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { ExecutorRpc, SelectAbWinnerDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AbTestService } from './ab-test.service';

@RpcController()
export class AbTestController {
  constructor(private readonly abTests: AbTestService) {}

  @MessagePattern(ExecutorRpc.selectAbWinner)
  select(@Payload() req: RpcRequest<{ campaignId: string } & SelectAbWinnerDto>) {
    return this.abTests.selectManually(scopeOf(req.ctx), req.data.campaignId, req.data.variant);
  }
}
