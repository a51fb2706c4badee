import { RpcController, RpcRequest } from '@app/common';
import { ExecutorRpc } from '@app/contracts';
import { Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EXECUTOR_ENV, ExecutorEnv, outboundPolicy } from '../config';
import { checkOutboundUrl } from '../webhooks/outbound-url';

/** The save-time SSRF check for URLs the HTTP channel will post to (webhook steps). */
@RpcController()
export class OutboundUrlController {
  constructor(@Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv) {}

  @MessagePattern(ExecutorRpc.checkOutboundUrl)
  async check(@Payload() req: RpcRequest<{ url: string; field: string }>) {
    await checkOutboundUrl(req.data.url, outboundPolicy(this.env), req.data.field);
    return { ok: true };
  }
}
