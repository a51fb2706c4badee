import { bearerToken } from '@app/auth';
import { currentContext, DomainError } from '@app/common';
import { AccountsRpc, ResolvedKey } from '@app/contracts';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CAMPAIGNS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { ADMIN_ONLY, IS_PUBLIC } from './auth.decorators';
import { KeyCache } from './key-cache';

const unauthorized = (why: string) =>
  new DomainError('UNAUTHORIZED', `Invalid or missing API key: ${why}`, 401);

/** `Authorization: Bearer <key>` on every route not marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: KeyCache,
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.header('authorization');
    if (!header) throw unauthorized('no Authorization header');
    const key = bearerToken(header);
    if (!key) throw unauthorized('expected "Authorization: Bearer <key>"');
    const resolved = await this.resolve(key);
    const ctx = currentContext();
    if (ctx)
      Object.assign(ctx, {
        tenantId: resolved.tenantId,
        workspaceId: resolved.workspaceId ?? undefined,
        apiKeyId: resolved.apiKeyId,
        admin: resolved.admin,
      });
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && !resolved.admin) {
      throw new DomainError('FORBIDDEN', 'This route needs a tenant admin key', 403);
    }
    return true;
  }

  async resolve(key: string): Promise<ResolvedKey> {
    const fingerprint = KeyCache.fingerprint(key);
    const cached = this.cache.get(fingerprint);
    if (cached) return cached;
    const resolved = await this.campaigns.call<ResolvedKey>(AccountsRpc.resolveKey, { key });
    this.cache.set(fingerprint, resolved);
    return resolved;
  }
}
