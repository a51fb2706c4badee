import { DomainError, RpcController, RpcRequest } from '@app/common';
import { AccountsRpc } from '@app/contracts';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsService } from './accounts.service';

function tenantOf(req: RpcRequest): string {
  if (!req.ctx.tenantId) throw new DomainError('FORBIDDEN', 'No tenant in request context', 403);
  return req.ctx.tenantId;
}

@RpcController()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @MessagePattern(AccountsRpc.resolveKey)
  resolve(@Payload() req: RpcRequest<{ key: string }>) {
    return this.accounts.resolveKey(req.data.key);
  }

  @MessagePattern(AccountsRpc.createWorkspace)
  createWorkspace(@Payload() req: RpcRequest<{ slug: string; name?: string }>) {
    return this.accounts.createWorkspace(tenantOf(req), req.data.slug, req.data.name);
  }

  @MessagePattern(AccountsRpc.listWorkspaces)
  listWorkspaces(@Payload() req: RpcRequest) {
    return this.accounts.listWorkspaces(tenantOf(req));
  }

  /** `workspaceId: null` asks for an admin key (admin callers only; the gateway checks). */
  @MessagePattern(AccountsRpc.createKey)
  createKey(@Payload() req: RpcRequest<{ workspaceId: string | null; name: string }>) {
    return this.accounts.createKey(tenantOf(req), req.data.workspaceId, req.data.name);
  }

  @MessagePattern(AccountsRpc.listKeys)
  listKeys(@Payload() req: RpcRequest<{ workspaceId: string | null }>) {
    return this.accounts.listKeys(tenantOf(req), req.data.workspaceId);
  }

  @MessagePattern(AccountsRpc.revokeKey)
  revokeKey(@Payload() req: RpcRequest<{ workspaceId: string | null; keyId: string }>) {
    return this.accounts.revokeKey(tenantOf(req), req.data.workspaceId, req.data.keyId);
  }
}
