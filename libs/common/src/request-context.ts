import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is asking and under which request id; crosses service boundaries inside every RPC. */
export interface RequestContext {
  requestId: string;
  tenantId?: string;
  workspaceId?: string;
  apiKeyId?: string;
  admin?: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
