import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { CampaignsRpc, CreateStepDto, UpdateStepDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { StepsService } from './steps.service';

@RpcController()
export class StepsController {
  constructor(private readonly steps: StepsService) {}

  @MessagePattern(CampaignsRpc.listSteps)
  list(@Payload() req: RpcRequest<{ campaignId: string }>) {
    return this.steps.list(scopeOf(req.ctx), req.data.campaignId);
  }

  @MessagePattern(CampaignsRpc.createStep)
  create(@Payload() req: RpcRequest<{ campaignId: string; step: CreateStepDto }>) {
    return this.steps.create(scopeOf(req.ctx), req.data.campaignId, req.data.step);
  }

  @MessagePattern(CampaignsRpc.updateStep)
  update(
    @Payload() req: RpcRequest<{ campaignId: string; stepId: string; changes: UpdateStepDto }>,
  ) {
    return this.steps.update(
      scopeOf(req.ctx),
      req.data.campaignId,
      req.data.stepId,
      req.data.changes,
    );
  }

  @MessagePattern(CampaignsRpc.removeStep)
  remove(@Payload() req: RpcRequest<{ campaignId: string; stepId: string }>) {
    return this.steps.remove(scopeOf(req.ctx), req.data.campaignId, req.data.stepId);
  }
}
