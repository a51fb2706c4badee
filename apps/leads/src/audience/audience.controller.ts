import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { AudienceRequest, LeadsRpc, SendableRequest } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AudienceService } from './audience.service';

/** The contract with the executor (libs/contracts/src/leads/audience.ts). */
@RpcController()
export class AudienceController {
  constructor(private readonly audience: AudienceService) {}

  @MessagePattern(LeadsRpc.resolveAudience)
  resolve(@Payload() req: RpcRequest<AudienceRequest>) {
    return this.audience.resolve(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(LeadsRpc.checkSendable)
  sendable(@Payload() req: RpcRequest<SendableRequest>) {
    return this.audience.sendable(scopeOf(req.ctx), req.data);
  }
}
