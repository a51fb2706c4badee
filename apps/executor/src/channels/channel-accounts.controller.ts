import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { CreateChannelAccountDto, ExecutorRpc, UpdateChannelAccountDto } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ChannelAccountsService } from './channel-accounts.service';

@RpcController()
export class ChannelAccountsController {
  constructor(private readonly accounts: ChannelAccountsService) {}

  @MessagePattern(ExecutorRpc.listChannelAccounts)
  list(@Payload() req: RpcRequest) {
    return this.accounts.list(scopeOf(req.ctx));
  }

  @MessagePattern(ExecutorRpc.createChannelAccount)
  create(@Payload() req: RpcRequest<CreateChannelAccountDto>) {
    return this.accounts.create(scopeOf(req.ctx), req.data);
  }

  @MessagePattern(ExecutorRpc.getChannelAccount)
  get(@Payload() req: RpcRequest<{ id: string }>) {
    return this.accounts.get(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(ExecutorRpc.updateChannelAccount)
  update(@Payload() req: RpcRequest<{ id: string; changes: UpdateChannelAccountDto }>) {
    return this.accounts.update(scopeOf(req.ctx), req.data.id, req.data.changes);
  }

  @MessagePattern(ExecutorRpc.removeChannelAccount)
  remove(@Payload() req: RpcRequest<{ id: string }>) {
    return this.accounts.remove(scopeOf(req.ctx), req.data.id);
  }

  @MessagePattern(ExecutorRpc.verifyChannelAccount)
  verify(@Payload() req: RpcRequest<{ id: string }>) {
    return this.accounts.verify(scopeOf(req.ctx), req.data.id);
  }
}
