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
/** RPC requests whose handler has not finished yet. */
let open = 0;
/** Set once runWithContext is used: that context has no end we know of. */
let pinned = false;

/** Runs `fn` and everything it starts in `ctx`, for good (an HTTP request, a stream). */
export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  pinned = true;
  return storage.run(ctx, fn);
}

/**
 * Runs `fn` in `ctx` for a request whose end the caller reports with `done` (the RPC
 * interceptor). When the last open request is done, the storage is switched off until the next
 * one. Node 20's AsyncLocalStorage hooks every promise of the process from its first `run()`
 * on, at two to three times the cost of a bare promise. In the executor that was about a sixth
 * of its CPU while sending, although its send path never reads the context. A process that also
 * uses runWithContext keeps it on.
 */
export function openRequestContext<T>(
  ctx: RequestContext,
  fn: () => T,
): { result: T; done: () => void } {
  open++;
  let closed = false;
  const done = () => {
    if (closed) return;
    closed = true;
    open--;
    if (open === 0 && !pinned) storage.disable();
  };
  try {
    return { result: storage.run(ctx, fn), done };
  } catch (err) {
    done();
    throw err;
  }
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
