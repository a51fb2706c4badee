import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { AuthoringRpc, PreviewStepDto, SimulateCampaignDto, TestSendDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { PreviewStepUseCase } from './preview.use-case';
import { SimulateCampaignUseCase } from './simulate.use-case';
import { TestSendUseCase } from './test-send.use-case';

@RpcController()
export class AuthoringController {
  constructor(
    private readonly preview: PreviewStepUseCase,
    private readonly testSend: TestSendUseCase,
    private readonly simulate: SimulateCampaignUseCase,
  ) {}

  @MessagePattern(AuthoringRpc.preview)
  previewStep(
    @Payload() req: RpcRequest<{ campaignId: string; stepId: string; preview: PreviewStepDto }>,
  ) {
    scopeOf(req.ctx);
    return this.preview.execute(req.ctx, req.data.campaignId, req.data.stepId, req.data.preview);
  }

  @MessagePattern(AuthoringRpc.testSend)
  send(@Payload() req: RpcRequest<{ campaignId: string; test: TestSendDto }>) {
    scopeOf(req.ctx);
    return this.testSend.execute(req.ctx, req.data.campaignId, req.data.test);
  }

  @MessagePattern(AuthoringRpc.simulate)
  dryRun(@Payload() req: RpcRequest<{ campaignId: string; options: SimulateCampaignDto }>) {
    scopeOf(req.ctx);
    return this.simulate.execute(req.ctx, req.data.campaignId, req.data.options);
  }
}
