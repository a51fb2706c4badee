import { RpcController, RpcRequest, scopeOf } from '@app/common';
import {
  CreateWebhookDto,
  ExecutorRpc,
  RotateWebhookSecretDto,
  UpdateWebhookDto,
} from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { WebhooksService } from './webhooks.service';

type WithId<T = unknown> = { id: string } & T;

@RpcController()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @MessagePattern(ExecutorRpc.listWebhooks)
  list(@Payload() req: RpcRequest) {
    return this.webhooks.list(scopeOf(req.ctx));
  }

  @MessagePattern(ExecutorRpc.createWebhook)
  create(@Payload() req: RpcRequest<CreateWebhookDto>) {
    return this.webhooks.create(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(ExecutorRpc.getWebhook)
  get(@Payload() req: RpcRequest<{ id: string }>) {
    return this.webhooks.get(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(ExecutorRpc.updateWebhook)
  update(@Payload() req: RpcRequest<WithId<{ changes: UpdateWebhookDto }>>) {
    return this.webhooks.update(scopeOf(req.ctx), req.data.id, req.data.changes);
  }

  @MessagePattern(ExecutorRpc.removeWebhook)
  remove(@Payload() req: RpcRequest<{ id: string }>) {
    return this.webhooks.remove(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(ExecutorRpc.rotateWebhookSecret)
  rotate(@Payload() req: RpcRequest<WithId<RotateWebhookSecretDto>>) {
    const { id, ...dto } = req.data;
    return this.webhooks.rotate(scopeOf(req.ctx), id, dto);
  }

  @MessagePattern(ExecutorRpc.webhookDeliveries)
  deliveries(@Payload() req: RpcRequest<{ id: string; limit?: number }>) {
    return this.webhooks.deliveries(scopeOf(req.ctx), req.data.id, req.data.limit);
  }
}
