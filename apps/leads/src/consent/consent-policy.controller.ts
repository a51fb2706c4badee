import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { LeadsApiRpc, SetConsentPolicyDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ConsentPolicyService } from './consent-policy.service';

@RpcController()
export class ConsentPolicyController {
  constructor(private readonly policy: ConsentPolicyService) {}

  @MessagePattern(LeadsApiRpc.getConsentPolicy)
  get(@Payload() req: RpcRequest<unknown>) {
    return this.policy.get(scopeOf(req.ctx));
  }

  @MessagePattern(LeadsApiRpc.setConsentPolicy)
  set(@Payload() req: RpcRequest<SetConsentPolicyDto>) {
    return this.policy.set(scopeOf(req.ctx), req.data);
  }
}
